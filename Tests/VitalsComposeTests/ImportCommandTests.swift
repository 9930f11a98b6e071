import Foundation
import Testing
import VitalsTestSupport

/// `vitals import compose` as a user runs it: stdout or --out, never clobbering a hand-written
/// file, and --check for drift.
@Suite struct ImportCommandTests {
    static let fixture = TestPaths.packageRoot + "/Tests/Fixtures/compose/chatbot"

    static func vitals(_ arguments: [String]) throws -> (status: Int32, output: String) {
        try runCommand(TestPaths.product("vitals"), ["import", "compose"] + arguments)
    }

    @Test func outWritesThenCheckPassesUntilTheComposeFileChanges() throws {
        let directory = try TestPaths.temporaryDirectory("import")
        let compose = directory + "/docker-compose.yml"
        try FileManager.default.copyItem(atPath: Self.fixture + "/docker-compose.yml", toPath: compose)
        try "POSTGRES_PASSWORD=x\n".write(toFile: directory + "/.env", atomically: true, encoding: .utf8)
        let out = directory + "/stack.yaml"

        let written = try Self.vitals([compose, "--out", out])
        #expect(written.status == 0, "\(written.output)")
        #expect(written.output.contains("note: migrate: left out"), "notes go to stderr")
        let validated = try runCommand(TestPaths.product("vitals"), ["validate", out])
        #expect(validated.status == 0, "\(validated.output)")

        #expect(try Self.vitals([compose, "--out", out, "--check"]).status == 0)
        // Regenerating over its own file is allowed.
        #expect(try Self.vitals([compose, "--out", out]).status == 0)

        var text = try String(contentsOfFile: compose, encoding: .utf8)
        text = text.replacingOccurrences(of: "replicas: 2", with: "replicas: 1")
        try text.write(toFile: compose, atomically: true, encoding: .utf8)
        let drift = try Self.vitals([compose, "--out", out, "--check"])
        #expect(drift.status == 1)
        #expect(drift.output.contains("no longer matches the compose files"), "\(drift.output)")
    }

    @Test func aFileThatImportDidNotWriteIsLeftAlone() throws {
        let directory = try TestPaths.temporaryDirectory("import-own")
        let out = directory + "/stack.yaml"
        let mine = "name: mine\nservices: {}\n"
        try mine.write(toFile: out, atomically: true, encoding: .utf8)
        let refused = try Self.vitals([Self.fixture + "/docker-compose.yml", "--out", out])
        #expect(refused.status == 2)
        #expect(refused.output.contains("was not written by vitals import compose"), "\(refused.output)")
        #expect(try String(contentsOfFile: out, encoding: .utf8) == mine)
        #expect(try Self.vitals([Self.fixture + "/docker-compose.yml", "--out", out, "--force"]).status == 0)
        #expect(try String(contentsOfFile: out, encoding: .utf8).hasPrefix("# Imported from compose"))
    }

    @Test func errorsNameTheFileAndExitTwo() throws {
        let missing = try Self.vitals(["/nonexistent/compose.yaml"])
        #expect(missing.status == 2)
        #expect(missing.output.contains("/nonexistent/compose.yaml: cannot read the compose file"), "\(missing.output)")
        // Found by fuzz-compose: when every service is left out there is no stack file to write.
        let directory = try TestPaths.temporaryDirectory("import-none")
        try "services:\n  job:\n    image: migrate\n    profiles: [tools]\n".write(
            toFile: directory + "/compose.yaml", atomically: true, encoding: .utf8)
        let none = try Self.vitals([directory + "/compose.yaml"])
        #expect(none.status == 2)
        #expect(none.output.contains("note: job: left out: it starts only with --profile tools"), "\(none.output)")
        #expect(none.output.contains("no compose service can be watched"), "\(none.output)")
        let usage = try Self.vitals([Self.fixture + "/docker-compose.yml", "--check"])
        #expect(usage.status == 2 && usage.output.contains("--check needs --out"), "\(usage.output)")
    }
}
