import Foundation
import Testing
import VitalsProvision
import VitalsStack
import VitalsStackFile
import VitalsTestSupport
import VitalsTestTraits

/// `vitals provision --target kubernetes`, checked by the tools a cluster would apply: the core
/// resources by kubernetes-validate against a pinned Kubernetes version, prometheus-operator's by
/// its CRD schemas, and the rules by promtool with the file target's own unit tests.
@Suite(.serialized, .blockingWork) struct KubernetesTargetTests {
    /// The Kubernetes version the core resources are validated against.
    static let kubernetesVersion = "1.31.0"
    static let stacks = ["chatbot", "local", "chat-compose", "chat-cluster"]
    static let python = TestPaths.packageRoot + "/.build-drill/venv/bin/python3"
    static let scripts = TestPaths.packageRoot + "/Tests/Fixtures/kubernetes"

    /// Provisions both targets of a stack: the Kubernetes one, and the file target of the same
    /// view of the stack (the DaemonSet standing for its nodes), into fresh directories.
    static func provision(_ name: String) throws -> (kubernetes: String, files: String) {
        let path = TestPaths.packageRoot + "/stacks/\(name).yaml"
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let stack = try StackLoader.parse(text, file: path)
        let kubernetes = try TestPaths.temporaryDirectory("kubernetes")
        let output = try Provisioner.provision(
            stack,
            options: Provisioner.Options(
                target: .kubernetes(namespace: "monitoring"), stackSource: text, imageTag: "test"))
        let directory = OutputDirectory(root: kubernetes)
        try directory.apply(directory.plan(output.files), force: false)
        let files = try TestPaths.temporaryDirectory("files")
        let fileOutput = OutputDirectory(root: files)
        try fileOutput.apply(
            fileOutput.plan(try Provisioner.files(for: Provisioner.kubernetesView(of: stack))), force: false)
        return (kubernetes, files)
    }

    static func yamlFiles(_ directory: String) throws -> [String] {
        let enumerator = FileManager.default.enumerator(atPath: directory)
        var files: [String] = []
        while let path = enumerator?.nextObject() as? String {
            if path.hasSuffix(".yaml") { files.append(directory + "/" + path) }
        }
        return files.sorted()
    }

    static func validate(_ files: [String]) throws -> (status: Int32, output: String) {
        guard FileManager.default.isExecutableFile(atPath: python) else {
            throw MissingPrerequisite("the Python environment is missing; scripts/test creates .build-drill/venv")
        }
        return try runCommand(
            python,
            [scripts + "/validate.py", kubernetesVersion, TestPaths.shared + "/schemas/prometheus-operator"] + files,
            timeout: 300)
    }

    @Test(arguments: stacks)
    func everyResourceValidates(stack: String) throws {
        let (kubernetes, _) = try Self.provision(stack)
        let files = try Self.yamlFiles(kubernetes)
        let result = try Self.validate(files)
        #expect(result.status == 0, "\(result.output)")
        let validated = result.output.split(separator: "\n").filter { $0.hasPrefix("ok ") }
        // Every file but the kustomization is one resource.
        #expect(validated.count == files.count - 1, "\(result.output)")
        for kind in ["DaemonSet", "Deployment", "Service", "ConfigMap", "PodMonitor", "PrometheusRule"] {
            #expect(validated.contains { $0.hasPrefix("ok \(kind) ") }, "no \(kind): \(result.output)")
        }
        #expect(validated.contains { $0.hasPrefix("ok AlertmanagerConfig ") })
    }

    /// The validator is strict: a field the schema does not know, or a wrong type, fails.
    @Test func theValidatorRejectsWhatACLusterWould() throws {
        let (kubernetes, _) = try Self.provision("chat-cluster")
        let daemonSet = kubernetes + "/exporter/daemonset.yaml"
        let text = try String(contentsOfFile: daemonSet, encoding: .utf8)
        try text.replacingOccurrences(of: "hostPID: true", with: "hostPID: true\n      hostPIDs: true")
            .write(toFile: daemonSet, atomically: true, encoding: .utf8)
        let monitor = kubernetes + "/monitors/backend.yaml"
        let monitorText = try String(contentsOfFile: monitor, encoding: .utf8)
        try monitorText.replacingOccurrences(of: "scheme: http", with: "scheme: gopher")
            .write(toFile: monitor, atomically: true, encoding: .utf8)
        let result = try Self.validate([daemonSet, monitor])
        #expect(result.status == 1)
        #expect(result.output.contains("error \(daemonSet): DaemonSet vitals-exporter"), "\(result.output)")
        #expect(result.output.contains("error \(monitor): ServiceMonitor"), "\(result.output)")
    }

    /// The PrometheusRules hold exactly the file target's rule files, and those pass promtool's
    /// checks and the file target's unit tests when taken out of the resources.
    @Test(arguments: stacks)
    func theRulesAreTheFileTargetsAndPassItsTests(stack: String) throws {
        let (kubernetes, files) = try Self.provision(stack)
        let prometheus = files + "/prometheus"
        let extracted = try TestPaths.temporaryDirectory("extracted")
        let compared = try runCommand(
            Self.python, [Self.scripts + "/extract_rules.py", kubernetes, prometheus + "/rules", extracted])
        #expect(compared.status == 0, "\(compared.output)")
        #expect(!compared.output.contains("differs") && compared.output.contains("same stack"), "\(compared.output)")
        // The file target's tests, run against the extracted rules in place of its own.
        try FileManager.default.removeItem(atPath: prometheus + "/rules")
        try FileManager.default.copyItem(atPath: extracted, toPath: prometheus + "/rules")
        let rules = try FileManager.default.contentsOfDirectory(atPath: prometheus + "/rules").sorted().map {
            "rules/" + $0
        }
        let lint = try ProvisionFixtures.run("promtool", ["check", "rules", "--lint-fatal"] + rules, in: prometheus)
        #expect(lint.status == 0, "\(lint.output)")
        let tests = try FileManager.default.contentsOfDirectory(atPath: prometheus + "/tests").sorted().map {
            "tests/" + $0
        }
        #expect(tests.count == rules.count)
        let unit = try ProvisionFixtures.run("promtool", ["test", "rules"] + tests, in: prometheus)
        #expect(unit.status == 0, "\(unit.output)")
        #expect(!unit.output.contains("FAILED"))
    }

    /// Each dashboard ConfigMap holds the file target's JSON byte for byte, and the datasource the
    /// dashboards refer to by uid.
    @Test(arguments: stacks)
    func theDashboardsAreTheFileTargetsByteForByte(stack: String) throws {
        let (kubernetes, files) = try Self.provision(stack)
        let dashboards = try FileManager.default.contentsOfDirectory(atPath: files + "/grafana/dashboards").sorted()
        #expect(!dashboards.isEmpty)
        let script = """
            import json, sys, yaml
            resource = yaml.safe_load(open(sys.argv[1]))
            assert resource["metadata"]["labels"]["grafana_dashboard"] == "1"
            (name, text), = resource["data"].items()
            sys.stdout.write(name + "\\n" + text)
            """
        for file in dashboards {
            let slug = String(file.dropLast(".json".count))
            let read = try runCommand(Self.python, ["-c", script, kubernetes + "/grafana/dashboard-\(slug).yaml"])
            #expect(read.status == 0, "\(read.output)")
            let expected = try String(contentsOfFile: files + "/grafana/dashboards/\(file)", encoding: .utf8)
            #expect(read.output == file + "\n" + expected, "grafana/dashboard-\(slug).yaml differs from \(file)")
        }
        let configMaps = try FileManager.default.contentsOfDirectory(atPath: kubernetes + "/grafana")
        #expect(configMaps.filter { $0.hasPrefix("dashboard-") }.count == dashboards.count)
        let datasource = try String(contentsOfFile: kubernetes + "/grafana/datasource.yaml", encoding: .utf8)
        let fileDatasource = try String(
            contentsOfFile: files + "/grafana/provisioning/datasources/prometheus.yml", encoding: .utf8)
        let uid = try #require(fileDatasource.split(separator: "\n").first { $0.contains("uid:") })
        #expect(datasource.contains(uid.trimmingCharacters(in: .whitespaces)))
        #expect(datasource.contains("grafana_datasource: \"1\""))
    }

    /// The kustomization lists every resource written, and nothing else.
    @Test(arguments: stacks)
    func theKustomizationListsEveryResource(stack: String) throws {
        let (kubernetes, _) = try Self.provision(stack)
        let written = try Self.yamlFiles(kubernetes).map { String($0.dropFirst(kubernetes.count + 1)) }
            .filter { $0 != "kustomization.yaml" }
        let kustomization = try String(contentsOfFile: kubernetes + "/kustomization.yaml", encoding: .utf8)
        let listed = kustomization.split(separator: "\n").filter { $0.hasPrefix("- ") && $0.hasSuffix(".yaml") }
            .map { String($0.dropFirst(2)) }
        #expect(listed == written)
    }

    /// Secrets are referenced, never written: the Slack URL and PagerDuty key are keys of a Secret.
    @Test func secretsAreReferencedThroughASecret() throws {
        let (kubernetes, _) = try Self.provision("chatbot")
        let config = try String(contentsOfFile: kubernetes + "/alertmanager/alertmanagerconfig.yaml", encoding: .utf8)
        #expect(config.contains("apiURL:\n        key: slack-webhook-url\n        name: vitals-chatbot-alerting"))
        #expect(
            config.contains("routingKey:\n        key: pagerduty-routing-key\n        name: vitals-chatbot-alerting"))
        #expect(!config.contains("/etc/alertmanager/secrets"))
        // The templates the file target keeps in vitals.tmpl are written out: no template call is left.
        #expect(!config.contains("template \"vitals."))
    }

    /// --check finds drift in the Kubernetes output as in the file target's.
    @Test func checkDetectsDrift() throws {
        let vitals = TestPaths.product("vitals")
        let stack = TestPaths.packageRoot + "/stacks/chat-cluster.yaml"
        let out = try TestPaths.temporaryDirectory("kubernetes-check")
        let arguments = ["provision", stack, "--target", "kubernetes", "--namespace", "apps", "--out", out]
        #expect(try runCommand(vitals, arguments).status == 0)
        #expect(try runCommand(vitals, arguments + ["--check"]).status == 0)
        let deployment = out + "/serve/deployment.yaml"
        let text = try String(contentsOfFile: deployment, encoding: .utf8)
        try text.replacingOccurrences(of: "replicas: 1", with: "replicas: 2")
            .write(toFile: deployment, atomically: true, encoding: .utf8)
        let drift = try runCommand(vitals, arguments + ["--check"])
        #expect(drift.status == 1)
        #expect(drift.output.contains("serve/deployment.yaml"), "\(drift.output)")
        // Another namespace is another output.
        let moved = try runCommand(
            vitals,
            ["provision", stack, "--target", "kubernetes", "--namespace", "monitoring", "--out", out, "--check"])
        #expect(moved.status == 1)
        let bad = try runCommand(
            vitals, ["provision", stack, "--target", "kubernetes", "--namespace", "Not_A_Name", "--out", out])
        #expect(bad.status == 2)
        #expect(bad.output.contains("is not a Kubernetes namespace name"), "\(bad.output)")
    }
}
