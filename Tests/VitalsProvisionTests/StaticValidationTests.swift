import Foundation
import Testing
import VitalsProvision
import VitalsStack
import VitalsStackFile
import VitalsTestSupport
import VitalsTestTraits

/// The generated files, checked by the real tools: promtool, amtool and the Grafana dashboard
/// JSON schema, on the example stacks and variations of them.
@Suite(.serialized, .blockingWork) struct StaticValidationTests {
    @Test func theFixturesLoad() throws {
        #expect(try ProvisionFixtures.allStacks().count == 6)
    }

    @Test(arguments: 0..<5)
    func promtoolAcceptsTheConfigAndTheRulesAndTheRuleTestsPass(index: Int) throws {
        let (name, stack) = try ProvisionFixtures.allStacks()[index]
        let directory = try ProvisionFixtures.provision(stack)
        let prometheus = directory + "/prometheus"
        let config = try ProvisionFixtures.run("promtool", ["check", "config", "prometheus.yml"], in: prometheus)
        #expect(config.status == 0, "\(name): \(config.output)")
        let rules = try FileManager.default.contentsOfDirectory(atPath: prometheus + "/rules").sorted().map {
            "rules/" + $0
        }
        #expect(!rules.isEmpty)
        let lint = try ProvisionFixtures.run("promtool", ["check", "rules", "--lint-fatal"] + rules, in: prometheus)
        #expect(lint.status == 0, "\(name): \(lint.output)")
        let tests = try FileManager.default.contentsOfDirectory(atPath: prometheus + "/tests").sorted().map {
            "tests/" + $0
        }
        #expect(tests.count == rules.count, "one test file per rules file")
        let unit = try ProvisionFixtures.run("promtool", ["test", "rules"] + tests, in: prometheus)
        #expect(unit.status == 0, "\(name): \(unit.output)")
        #expect(!unit.output.contains("FAILED"))
    }

    @Test(arguments: 0..<5)
    func amtoolAcceptsTheAlertmanagerConfig(index: Int) throws {
        let (name, stack) = try ProvisionFixtures.allStacks()[index]
        let directory = try ProvisionFixtures.provision(stack)
        let result = try ProvisionFixtures.run(
            "amtool", ["check-config", directory + "/alertmanager/alertmanager.yml"])
        #expect(result.status == 0, "\(name): \(result.output)")
    }

    @Test(arguments: 0..<5)
    func dashboardsMatchTheSchemaAndTheGrid(index: Int) throws {
        let (name, stack) = try ProvisionFixtures.allStacks()[index]
        let directory = try ProvisionFixtures.provision(stack)
        let dashboards = try FileManager.default.contentsOfDirectory(atPath: directory + "/grafana/dashboards").sorted()
            .map { directory + "/grafana/dashboards/" + $0 }
        #expect(dashboards.contains { $0.hasSuffix("stack-health.json") })
        let schema = try DashboardChecks.validateSchema(dashboards)
        #expect(schema.status == 0, "\(name): \(schema.output)")
        let datasourceUID = try DashboardChecks.datasourceUID(directory)
        for path in dashboards {
            let problems = try DashboardChecks.problems(path, datasourceUID: datasourceUID)
            #expect(problems.isEmpty, "\(name) \(path): \(problems.joined(separator: "\n"))")
        }
    }

    @Test func everyAlertHasATestAndEveryTestAnAlert() throws {
        for (name, stack) in try ProvisionFixtures.allStacks() {
            let files = try Provisioner.files(for: stack)
            for rules in files where rules.path.hasPrefix("prometheus/rules/") {
                let test = try #require(
                    files.first { $0.path == rules.path.replacingOccurrences(of: "/rules/", with: "/tests/") })
                let alerts = Set(Self.values(of: "alert", in: rules.contents))
                let tested = Set(Self.values(of: "alertname", in: test.contents))
                #expect(!alerts.isEmpty)
                #expect(alerts == tested, "\(name) \(rules.path): untested \(alerts.subtracting(tested))")
                // Each alert is tested at least twice: firing on bad input (once per cause), silent
                // on good input.
                for alert in alerts {
                    #expect(Self.values(of: "alertname", in: test.contents).filter { $0 == alert }.count >= 2)
                }
            }
        }
    }

    @Test func twoRunsGiveTheSameBytes() throws {
        for (name, stack) in try ProvisionFixtures.allStacks() {
            let first = try Provisioner.files(for: stack)
            let second = try Provisioner.files(for: try StackLoader.parse(Self.reload(stack), file: stack.file))
            #expect(first == second, "\(name) is not deterministic")
            for file in first {
                #expect(!file.contents.contains("__inputs") && !file.contents.contains("${DS_"), "\(file.path)")
                #expect(file.contents.contains(Provisioner.marker), "\(file.path) lacks the marker")
            }
        }
    }

    @Test func scrapeJobsFollowTheStack() throws {
        let stack = try StackLoader.parse(ProvisionFixtures.everyKind, file: "every-kind.yaml")
        let files = try Provisioner.files(for: stack)
        let config = try #require(files.first { $0.path == "prometheus/prometheus.yml" }).contents
        let jobs = Self.values(of: "job_name", in: config)
        // node first, then every service with metrics or a kind that always has them, in file order.
        #expect(
            jobs
                == ["node", "api", "chat", "cache", "worker", "db", "prom", "am", "grafana", "watch", "web"].map {
                    "\(stack.name)/\($0)"
                })
        #expect(config.contains("- \"cache-exporter:9121\"") || config.contains("- cache-exporter:9121"))
        #expect(config.contains("honor_labels: true"), "the vitals job keeps the probed services' labels")
        #expect(config.contains("scrape_interval: \"10s\""))
        #expect(config.contains("evaluation_interval: \"20s\""))
        #expect(
            config.contains("- am-1:9093") && config.contains("- am-2:9093"), "both Alertmanagers are alerting targets")
        let datasource = try #require(files.first { $0.path == "grafana/provisioning/datasources/prometheus.yml" })
            .contents
        #expect(datasource.contains("url: http://prom:9090"))
        #expect(datasource.contains("timeInterval: \"10s\""))
        // Several stacks can share one Grafana: named after the stack, and never the default.
        #expect(datasource.contains("isDefault: false"))
        #expect(Self.values(of: "name", in: datasource) == ["Prometheus (\(stack.name))"], "exactly one datasource")
        let alertmanager = try #require(files.first { $0.path == "alertmanager/alertmanager.yml" }).contents
        #expect(alertmanager.contains("api_url_file: /run/secrets/slack"))
        #expect(alertmanager.contains("routing_key_file: /run/secrets/pd"))
        #expect(alertmanager.contains("auth_password_file: /run/secrets/smtp"))
        // Thresholds from the file reach the rules.
        let api = try #require(files.first { $0.path == "prometheus/rules/service-api.yml" }).contents
        #expect(api.contains("> 0.99"))
        #expect(api.contains("> 0.25"))
        #expect(!api.contains("LLMCostPerHourHigh"), "llm: false leaves out the LLM alerts")
        let chat = try #require(files.first { $0.path == "prometheus/rules/service-chat.yml" }).contents
        #expect(chat.contains("LLMCostPerHourHigh") && chat.contains("> 0.5"))
    }

    /// The stack file's text again (the fixtures are in memory or on disk).
    static func reload(_ stack: Stack) throws -> String {
        if FileManager.default.fileExists(atPath: stack.file) {
            return try String(contentsOfFile: stack.file, encoding: .utf8)
        }
        let name = stack.file.replacingOccurrences(of: ".yaml", with: "")
        switch name {
        case "one-service": return ProvisionFixtures.oneService
        case "many-replicas": return ProvisionFixtures.manyReplicas
        default: return ProvisionFixtures.everyKind
        }
    }

    /// The values of `key:` entries in a YAML text (plain or quoted).
    static func values(of key: String, in text: String) -> [String] {
        text.split(separator: "\n").compactMap { line in
            let trimmed = line.trimmingCharacters(in: .whitespaces).drop { $0 == "-" || $0 == " " }
            guard trimmed.hasPrefix(key + ": ") else { return nil }
            var value = String(trimmed.dropFirst(key.count + 2))
            if value.hasPrefix("\""), value.hasSuffix("\"") { value = String(value.dropFirst().dropLast()) }
            return value
        }
    }
}
