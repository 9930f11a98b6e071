import ArgumentParser
import VitalsDaemon
import VitalsProvision
import VitalsStack

extension VitalsCommand {
    struct Provision: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write Prometheus, Alertmanager and Grafana configuration for a stack.",
            discussion: """
                Writes prometheus/prometheus.yml, prometheus/rules/*.yml with their promtool unit tests in \
                prometheus/tests/, alertmanager/alertmanager.yml with its notification templates, Grafana's \
                datasource and dashboard provider under grafana/provisioning/, dashboards under \
                grafana/dashboards/, and RUNBOOK.md, which every alert links to. The output depends only on \
                the stack file, so it can be committed and checked for drift with --check.

                A rule that reads metrics nothing in the stack scrapes could never fire: it is left out, and \
                each one is named on stderr (--strict makes that an error).

                Files are replaced atomically. What was written is recorded in .vitals-provision.manifest in \
                the output directory (each path with a hash of its contents). Only files listed there, and \
                unchanged since, are ever replaced or removed: a file someone edited or wrote is shown as a \
                diff and left alone, and the run fails, unless --force is given. A file the manifest does not \
                list is never deleted. See docs/provisioner.md.

                --target kubernetes writes Kubernetes resources instead, for prometheus-operator and \
                Grafana's dashboard sidecar, into one namespace: vitals-exporter as a DaemonSet, vitals \
                serve as a Deployment with the stack file in a ConfigMap, a ServiceMonitor, PodMonitor or \
                ScrapeConfig per scraped service, the same rule groups as PrometheusRules, the same routing \
                as an AlertmanagerConfig, the dashboards and datasource as ConfigMaps, and a \
                kustomization.yaml. See docs/kubernetes.md.
                """)

        @OptionGroup var stackFile: StackFileOptions

        @Option(help: "The output directory, such as provisioning/chatbot.")
        var out: String

        @Flag(help: "Write nothing; print a diff of what would change and exit 1 if anything would.")
        var check = false

        @Flag(help: "Replace files that were written or edited by hand.")
        var force = false

        @Flag(
            help: ArgumentHelp(
                "Compress every duration 60-fold for fault drills (for: 5m becomes 5s; 2 s scrapes).",
                discussion: "For testing alerts against real failures, never for production: no unit tests are written."
            ))
        var drill = false

        @Flag(help: "Fail (exit 2) instead of leaving out rules that could never fire.")
        var strict = false

        enum TargetKind: String, ExpressibleByArgument, CaseIterable {
            case files, kubernetes
        }

        @Option(help: "What to write: configuration files, or Kubernetes resources.")
        var target: TargetKind = .files

        @Option(help: "The namespace of the Kubernetes resources (with --target kubernetes).")
        var namespace: String?

        func validate() throws {
            if namespace != nil, target != .kubernetes {
                throw ValidationError("--namespace applies only to --target kubernetes")
            }
            if target == .kubernetes, drill {
                throw ValidationError("--drill applies only to --target files: drills run against local files")
            }
        }

        func run() async throws {
            let (stack, text) = try stackFile.loadWithText()
            let files: [GeneratedFile]
            do {
                let output = try Provisioner.provision(
                    stack,
                    options: Provisioner.Options(
                        cadence: drill ? .drill : .production, strict: strict,
                        target: target == .kubernetes ? .kubernetes(namespace: namespace ?? "monitoring") : .files,
                        stackSource: text, imageTag: VitalsVersion.current))
                for note in output.omitted { printError("left out \(note)") }
                files = output.files
            } catch {
                printError("\(stackFile.stackFile): \(error.description)")
                throw ExitCode(2)
            }
            let directory = OutputDirectory(root: out)
            let plan = directory.plan(files)
            if check {
                guard plan.hasChanges || !plan.conflicts.isEmpty else {
                    print("\(out) is up to date with \(stackFile.stackFile) (\(files.count) files)")
                    return
                }
                print(directory.diff(plan), terminator: "")
                var summary =
                    "\(out) is out of date: \(plan.created.count) to create, \(plan.updated.count) to update, \(plan.removed.count) to remove"
                if !plan.conflicts.isEmpty { summary += ", \(plan.conflicts.count) edited by hand" }
                printError(summary + "; run vitals provision \(stackFile.stackFile) --out \(out)")
                throw ExitCode(1)
            }
            if !plan.conflicts.isEmpty, !force {
                // Show what would be lost before refusing, so the operator can move it elsewhere.
                print(
                    directory.diff(
                        OutputDirectory.Plan(
                            handWritten: plan.handWritten, edited: plan.edited, editedStale: plan.editedStale)),
                    terminator: "")
            }
            do {
                try directory.apply(plan, force: force)
            } catch {
                printError(error.description)
                throw ExitCode(1)
            }
            for file in plan.created { print("created  \(out)/\(file.path)") }
            for (file, _) in plan.updated + plan.edited + plan.handWritten { print("updated  \(out)/\(file.path)") }
            for (path, _) in plan.removed + plan.editedStale { print("removed  \(out)/\(path)") }
            print(
                "provisioned stack \(stack.name) into \(out): \(plan.created.count) created, \(plan.updated.count + plan.edited.count + plan.handWritten.count) updated, \(plan.unchanged.count) unchanged, \(plan.removed.count + plan.editedStale.count) removed"
            )
        }
    }
}
