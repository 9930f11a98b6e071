import Foundation
import Testing
import VitalsProvision
import VitalsStack
import VitalsStackFile
import VitalsTestSupport
import VitalsTestTraits

/// `--drill`: the same rules and routing with every duration divided by 60, accepted by the real
/// tools, and a production output that never depends on it.
@Suite(.serialized, .blockingWork) struct CadenceTests {
    static func drillFiles(_ stack: Stack) throws -> [String: String] {
        let output = try Provisioner.provision(stack, options: .init(cadence: .drill))
        return Dictionary(uniqueKeysWithValues: output.files.map { ($0.path, $0.contents) })
    }

    @Test func durationsAndRangesAreDividedBySixtyWithAFloorOfThreeScrapes() throws {
        let stack = try StackLoader.load(path: TestPaths.packageRoot + "/stacks/chatbot.yaml")
        let production = Dictionary(
            uniqueKeysWithValues: try Provisioner.files(for: stack).map { ($0.path, $0.contents) })
        let drill = try Self.drillFiles(stack)
        let backend = try #require(drill["prometheus/rules/service-backend.yml"])
        // FastAPIHighErrorRatio: for 5m over rate(...[5m]) becomes for 5s over [6s] (the floor).
        #expect(production["prometheus/rules/service-backend.yml"]?.contains("for: \"5m\"") == true)
        #expect(backend.contains("for: \"5s\""))
        #expect(!backend.contains("[5m]") && backend.contains("[6s]"))
        // An hour of LLM spend is a minute.
        #expect(production["prometheus/rules/service-backend.yml"]?.contains("[1h])) > 10") == true)
        #expect(backend.contains("[1m])) > 10"))
        let prometheus = try #require(drill["prometheus/prometheus.yml"])
        #expect(prometheus.contains("scrape_interval: \"2s\"") && prometheus.contains("evaluation_interval: \"1s\""))
        let alertmanager = try #require(drill["alertmanager/alertmanager.yml"])
        #expect(alertmanager.contains("group_wait: \"5s\"") && alertmanager.contains("group_interval: \"2s\""))
        // The same alerts and the same routing, and no unit tests.
        #expect(
            Set(drill.keys.filter { $0.hasPrefix("prometheus/rules/") })
                == Set(production.keys.filter { $0.hasPrefix("prometheus/rules/") }))
        #expect(!drill.keys.contains { $0.hasPrefix("prometheus/tests/") })
        #expect(Self.alertNames(in: drill) == Self.alertNames(in: production))
        // The production output is what it always was.
        #expect(
            production
                == Dictionary(uniqueKeysWithValues: try Provisioner.files(for: stack).map { ($0.path, $0.contents) }))
    }

    @Test func promtoolAndAmtoolAcceptTheDrillOutput() throws {
        for (name, stack) in try ProvisionFixtures.allStacks() {
            let directory = try TestPaths.temporaryDirectory("drill-provision")
            let output = OutputDirectory(root: directory)
            try output.apply(
                output.plan(Provisioner.provision(stack, options: .init(cadence: .drill)).files), force: false)
            let prometheus = directory + "/prometheus"
            let config = try ProvisionFixtures.run("promtool", ["check", "config", "prometheus.yml"], in: prometheus)
            #expect(config.status == 0, "\(name): \(config.output)")
            let rules = try FileManager.default.contentsOfDirectory(atPath: prometheus + "/rules").sorted().map {
                "rules/" + $0
            }
            let lint = try ProvisionFixtures.run(
                "promtool", ["check", "rules", "--lint-fatal"] + rules, in: prometheus)
            #expect(lint.status == 0, "\(name): \(lint.output)")
            let amtool = try ProvisionFixtures.run(
                "amtool", ["check-config", directory + "/alertmanager/alertmanager.yml"])
            #expect(amtool.status == 0, "\(name): \(amtool.output)")
        }
    }

    static func alertNames(in files: [String: String]) -> [String] {
        files.filter { $0.key.hasPrefix("prometheus/rules/") }.values
            .flatMap { $0.split(separator: "\n").filter { $0.contains("- alert: ") } }.map { String($0) }.sorted()
    }
}
