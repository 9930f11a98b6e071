import Foundation
import Testing
import VitalsProvision
import VitalsTestSupport
import VitalsTestTraits

/// `vitals provision` as an operator runs it: --check, --force, hand-written files, stale
/// files, and bad input, each leaving the output as it was when it fails.
@Suite(.serialized, .blockingWork) struct ProvisionCommandTests {
    static var vitals: String { TestPaths.product("vitals") }

    static func run(_ arguments: [String]) async throws -> (status: Int32, output: String) {
        try await blocking { try runCommand(vitals, arguments) }
    }

    static func writeStack(_ text: String) throws -> String {
        let path = try TestPaths.temporaryDirectory("stack") + "/shop.yaml"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static let shop = """
        name: shop
        nodes: ["node-1:9100"]
        services:
          api:
            kind: fastapi
            endpoints: ["api:8000"]
            metrics: {path: /metrics}
          cache:
            kind: redis
            endpoints: ["cache:6379"]
            metrics: {targets: ["cache-exporter:9121"]}
        """

    /// Every file under a directory with its contents.
    static func snapshot(_ directory: String) -> [String: String] {
        var files: [String: String] = [:]
        guard let walker = FileManager.default.enumerator(atPath: directory) else { return files }
        while let relative = walker.nextObject() as? String {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: directory + "/" + relative, isDirectory: &isDirectory),
                !isDirectory.boolValue
            {
                files[relative] =
                    (try? String(contentsOfFile: directory + "/" + relative, encoding: .utf8)) ?? "<binary>"
            }
        }
        return files
    }

    @Test func checkReportsDriftAndPassesWhenUpToDate() async throws {
        let stack = try Self.writeStack(Self.shop)
        let out = try TestPaths.temporaryDirectory("out")
        let first = try await Self.run(["provision", stack, "--out", out, "--check"])
        #expect(first.status == 1, "an empty directory is out of date")
        #expect(first.output.contains("+++ b/prometheus/prometheus.yml"))
        #expect(Self.snapshot(out).isEmpty, "--check writes nothing")

        let write = try await Self.run(["provision", stack, "--out", out])
        #expect(write.status == 0, "\(write.output)")
        #expect(write.output.contains("created  \(out)/prometheus/prometheus.yml"))
        let written = Self.snapshot(out)
        #expect(written.keys.contains("grafana/dashboards/redis.json"))
        #expect(!written.keys.contains { $0.contains(".vitals-provision-") }, "the staging directory is gone")
        #expect(written[".vitals-provision.manifest"]?.contains("  prometheus/prometheus.yml\n") == true)

        let clean = try await Self.run(["provision", stack, "--out", out, "--check"])
        #expect(clean.status == 0, "\(clean.output)")
        #expect(clean.output.contains("up to date"))

        // Someone edits a generated file: --check shows the edit as a diff and fails.
        let config = out + "/prometheus/prometheus.yml"
        let edited = written["prometheus/prometheus.yml"]!.replacingOccurrences(
            of: "scrape_interval: \"15s\"", with: "scrape_interval: \"5s\"")
        try edited.write(toFile: config, atomically: true, encoding: .utf8)
        let drift = try await Self.run(["provision", stack, "--out", out, "--check"])
        #expect(drift.status == 1)
        #expect(drift.output.contains("-  scrape_interval: \"5s\""), "\(drift.output)")
        #expect(drift.output.contains("+  scrape_interval: \"15s\""), "\(drift.output)")
        #expect(drift.output.contains("1 edited by hand"))

        // A plain run leaves the edit alone: it shows the edit and fails, and writes nothing.
        let refused = try await Self.run(["provision", stack, "--out", out])
        #expect(refused.status == 1)
        #expect(refused.output.contains("-  scrape_interval: \"5s\""), "\(refused.output)")
        #expect(refused.output.contains("edited since they were written"), "\(refused.output)")
        #expect(Self.snapshot(out)["prometheus/prometheus.yml"] == edited)

        // --force puts it back, and touches nothing else.
        let again = try await Self.run(["provision", stack, "--out", out, "--force"])
        #expect(again.status == 0)
        #expect(again.output.contains("1 updated"))
        #expect(Self.snapshot(out) == written)
    }

    /// A user's edited copy of a generated dashboard, saved beside it, keeps the generator's
    /// marker text; it is still theirs. Nothing the manifest does not list is ever deleted.
    @Test func aCopyOfAGeneratedFileSurvivesEveryRun() async throws {
        let stack = try Self.writeStack(Self.shop)
        let out = try TestPaths.temporaryDirectory("out")
        #expect(try await Self.run(["provision", stack, "--out", out]).status == 0)
        let original = try #require(Self.snapshot(out)["grafana/dashboards/redis.json"])
        let copy = original.replacingOccurrences(of: "\"title\": \"", with: "\"title\": \"My ")
        try copy.write(toFile: out + "/grafana/dashboards/my-copy.json", atomically: true, encoding: .utf8)
        #expect(try await Self.run(["provision", stack, "--out", out]).status == 0)
        #expect(Self.snapshot(out)["grafana/dashboards/my-copy.json"] == copy)

        // Even when the dashboard it was copied from goes away.
        try Self.shop.components(separatedBy: "  cache:")[0].write(toFile: stack, atomically: true, encoding: .utf8)
        let smaller = try await Self.run(["provision", stack, "--out", out])
        #expect(smaller.status == 0, "\(smaller.output)")
        let after = Self.snapshot(out)
        #expect(after["grafana/dashboards/redis.json"] == nil)
        #expect(after["grafana/dashboards/my-copy.json"] == copy)
    }

    /// A generated file that a new run no longer produces, but that someone edited, is kept.
    @Test func anEditedStaleFileIsKeptUnlessForced() async throws {
        let stack = try Self.writeStack(Self.shop)
        let out = try TestPaths.temporaryDirectory("out")
        #expect(try await Self.run(["provision", stack, "--out", out]).status == 0)
        let rules = out + "/prometheus/rules/service-cache.yml"
        let edited = try String(contentsOfFile: rules, encoding: .utf8) + "# tuned by hand\n"
        try edited.write(toFile: rules, atomically: true, encoding: .utf8)
        try Self.shop.components(separatedBy: "  cache:")[0].write(toFile: stack, atomically: true, encoding: .utf8)

        let refused = try await Self.run(["provision", stack, "--out", out])
        #expect(refused.status == 1)
        #expect(refused.output.contains("no longer produced but were edited since"), "\(refused.output)")
        #expect(Self.snapshot(out)["prometheus/rules/service-cache.yml"] == edited)
        #expect(Self.snapshot(out)["grafana/dashboards/redis.json"] != nil, "nothing is written when a run is refused")

        let forced = try await Self.run(["provision", stack, "--out", out, "--force"])
        #expect(forced.status == 0, "\(forced.output)")
        #expect(Self.snapshot(out)["prometheus/rules/service-cache.yml"] == nil)
    }

    @Test func aHandWrittenFileIsNeverOverwrittenWithoutForce() async throws {
        let stack = try Self.writeStack(Self.shop)
        let out = try TestPaths.temporaryDirectory("out")
        try FileManager.default.createDirectory(atPath: out + "/prometheus", withIntermediateDirectories: true)
        let mine = "# my own prometheus config\nglobal: {scrape_interval: 1m}\n"
        try mine.write(toFile: out + "/prometheus/prometheus.yml", atomically: true, encoding: .utf8)

        let refused = try await Self.run(["provision", stack, "--out", out])
        #expect(refused.status == 1)
        #expect(refused.output.contains("not written by vitals provision"))
        #expect(refused.output.contains("prometheus/prometheus.yml"))
        #expect(
            Self.snapshot(out) == ["prometheus/prometheus.yml": mine],
            "nothing at all is written when a file is in the way")

        let forced = try await Self.run(["provision", stack, "--out", out, "--force"])
        #expect(forced.status == 0, "\(forced.output)")
        #expect(Self.snapshot(out)["prometheus/prometheus.yml"]?.contains(Provisioner.marker) == true)
    }

    @Test func filesNoLongerGeneratedAreRemovedAndHandWrittenOnesKept() async throws {
        let stack = try Self.writeStack(Self.shop)
        let out = try TestPaths.temporaryDirectory("out")
        #expect(try await Self.run(["provision", stack, "--out", out]).status == 0)
        let custom = "groups: []\n"
        try custom.write(toFile: out + "/prometheus/rules/custom.yml", atomically: true, encoding: .utf8)
        #expect(Self.snapshot(out)["prometheus/rules/service-cache.yml"] != nil)

        // The cache goes away from the stack.
        let smaller = Self.shop.components(separatedBy: "  cache:")[0]
        try smaller.write(toFile: stack, atomically: true, encoding: .utf8)
        let check = try await Self.run(["provision", stack, "--out", out, "--check"])
        #expect(check.status == 1)
        #expect(check.output.contains("+++ /dev/null"), "removals show in the diff")
        let result = try await Self.run(["provision", stack, "--out", out])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("removed  \(out)/prometheus/rules/service-cache.yml"))
        let after = Self.snapshot(out)
        #expect(after["prometheus/rules/service-cache.yml"] == nil)
        #expect(after["grafana/dashboards/redis.json"] == nil)
        #expect(after["prometheus/rules/custom.yml"] == custom, "a hand-written file is not ours to remove")
    }

    @Test func badInputGivesAClearErrorAndNoOutput() async throws {
        let out = try TestPaths.temporaryDirectory("out")
        let nothing = try Self.writeStack(
            "name: quiet\nservices:\n  db:\n    kind: postgres\n    endpoints: [\"db:5432\"]\n")
        let empty = try await Self.run(["provision", nothing, "--out", out])
        #expect(empty.status == 2)
        #expect(empty.output.contains("declares nothing to scrape"), "\(empty.output)")

        let orphan = try Self.writeStack(
            "name: q\nservices:\n  worker:\n    kind: celery\n    metrics: {path: /metrics}\n")
        let noEndpoints = try await Self.run(["provision", orphan, "--out", out])
        #expect(noEndpoints.status == 2)
        #expect(noEndpoints.output.contains("service \"worker\" has metrics but no endpoints"), "\(noEndpoints.output)")
        #expect(Self.snapshot(out).isEmpty)

        // An output directory that cannot be created: its parent is a file.
        let blocker = try TestPaths.temporaryDirectory("blocker") + "/file"
        try "x".write(toFile: blocker, atomically: true, encoding: .utf8)
        let stack = try Self.writeStack(Self.shop)
        let unwritable = try await Self.run(["provision", stack, "--out", blocker + "/out"])
        #expect(unwritable.status == 1)
        #expect(unwritable.output.contains("cannot write \(blocker)/out"), "\(unwritable.output)")

        // A directory without write permission (skipped for root, who may write anyway).
        if getuid() != 0 {
            let locked = try TestPaths.temporaryDirectory("locked")
            chmod(locked, 0o555)
            defer { chmod(locked, 0o755) }
            let denied = try await Self.run(["provision", stack, "--out", locked])
            #expect(denied.status == 1)
            #expect(denied.output.contains("cannot write"))
            #expect(Self.snapshot(locked).isEmpty)
        }

        // A flag of the other target is refused before anything is written.
        let namespaced = try await Self.run(["provision", stack, "--out", out, "--namespace", "chat"])
        #expect(namespaced.status == 2)
        #expect(namespaced.output.contains("--namespace applies only to --target kubernetes"), "\(namespaced.output)")
        let drilled = try await Self.run(["provision", stack, "--out", out, "--target", "kubernetes", "--drill"])
        #expect(drilled.status == 2)
        #expect(drilled.output.contains("--drill applies only to --target files"), "\(drilled.output)")
        #expect(Self.snapshot(out).isEmpty)

        let secret = try Self.writeStack(
            Self.shop
                + "\nalerting:\n  receivers:\n    - name: chat\n      slack: {apiURL: \"https://hooks.slack.com/x\"}\n")
        let inline = try await Self.run(["provision", secret, "--out", out])
        #expect(inline.status == 2)
        #expect(
            inline.output.contains(
                "apiURL would write a secret into the generated files; put it in a file and use apiURLFile"))
        #expect(inline.output.contains("\(secret):"), "the error names the file and position: \(inline.output)")
    }

    /// A disk that fills up while the new output is staged: the run fails naming the file and
    /// the cause, and the output of the previous run is left exactly as it was, with no staging
    /// directory behind. Runs in a mount namespace of its own, on a small tmpfs filled to the brim.
    @Test func aFullDiskLeavesThePreviousOutputWhole() async throws {
        guard let unshare = TestPaths.tool("unshare") else {
            throw MissingPrerequisite("unshare (util-linux) is missing")
        }
        let stack = try Self.writeStack(Self.shop)
        let grown = try Self.writeStack(
            Self.shop + "\n  queue:\n    kind: redis\n    endpoints: [\"queue:6379\"]\n"
                + "    metrics: {targets: [\"queue-exporter:9121\"]}\n")
        let work = try TestPaths.temporaryDirectory("full-disk")
        let disk = work + "/disk"
        try FileManager.default.createDirectory(atPath: disk, withIntermediateDirectories: true)
        // Everything that must be seen from outside the namespace goes to files under `work`.
        let script = """
            set -u
            mount -t tmpfs -o size=4m tmpfs "$1" || exit 90
            "$2" provision "$3" --out "$1/out" > "$5/first.log" 2>&1 || exit 91
            (cd "$1/out" && find . -type f | sort | xargs sha256sum) > "$5/before.txt"
            dd if=/dev/zero of="$1/filler" bs=4096 2>/dev/null
            "$2" provision "$4" --out "$1/out" > "$5/second.log" 2>&1
            echo $? > "$5/status.txt"
            (cd "$1/out" && find . -type f | sort | xargs sha256sum) > "$5/after.txt"
            ls -a "$1/out" > "$5/listing.txt"
            """
        let (status, output) = try await blocking {
            try runCommand(unshare, ["-m", "sh", "-c", script, "sh", disk, Self.vitals, stack, grown, work])
        }
        #expect(status == 0, "the namespace's setup failed (\(status)): \(output)")
        func read(_ name: String) -> String {
            (try? String(contentsOfFile: work + "/" + name, encoding: .utf8)) ?? ""
        }
        #expect(read("status.txt") == "1\n", "\(read("second.log"))")
        #expect(read("second.log").contains("cannot write \(disk)/out/"), "\(read("second.log"))")
        #expect(read("second.log").contains("no space left on device"), "\(read("second.log"))")
        #expect(read("before.txt").contains("prometheus/prometheus.yml"))
        #expect(read("after.txt") == read("before.txt"), "the previous output changed")
        #expect(!read("listing.txt").contains(".vitals-provision-"), "staging left behind: \(read("listing.txt"))")
    }

    @Test func theRepositoryProvisioningIsCurrent() async throws {
        for name in ["chatbot", "local", "chat-compose", "chat-cluster"] {
            let result = try await Self.run([
                "provision", TestPaths.packageRoot + "/stacks/\(name).yaml", "--out",
                TestPaths.packageRoot + "/provisioning/\(name)", "--check",
            ])
            #expect(
                result.status == 0,
                "provisioning/\(name) is stale; run vitals provision stacks/\(name).yaml --out provisioning/\(name): \(result.output.prefix(2000))"
            )
            let kubernetes = try await Self.run([
                "provision", TestPaths.packageRoot + "/stacks/\(name).yaml", "--target", "kubernetes", "--namespace",
                "monitoring", "--out", TestPaths.packageRoot + "/provisioning/\(name)/kubernetes", "--check",
            ])
            #expect(
                kubernetes.status == 0,
                "provisioning/\(name)/kubernetes is stale; run vitals provision stacks/\(name).yaml --target kubernetes --namespace monitoring --out provisioning/\(name)/kubernetes: \(kubernetes.output.prefix(2000))"
            )
        }
    }
}
