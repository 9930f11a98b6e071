import ArgumentParser
import VitalsDaemon
import VitalsDocuments
import VitalsOrchestrator
import VitalsProbe
import VitalsStack

extension VitalsCommand {
    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Probe every replica once and report.",
            discussion: """
                Runs each service's startup, liveness and readiness probes once against every endpoint. \
                Exits 0 when every selected service is ready, 1 when one is not, 2 for an invalid stack \
                file or usage.
                """)

        enum Output: String, ExpressibleByArgument, CaseIterable {
            case table, json
        }

        @OptionGroup var stackFile: StackFileOptions

        @OptionGroup var probing: ProbeOptions

        @Option(name: .customLong("service"), help: "Only this service (repeatable).")
        var services: [String] = []

        @Option(help: "table for people, json for scripts (see docs/orchestrator.md for the shape).")
        var output: Output = .table

        func run() async throws {
            let stack = try stackFile.load()
            try validateSelection(services, in: stack)
            let prober = try probing.makeProber()
            let report = await OneShotCheck.run(stack: stack, selection: services, prober: prober)
            prober.killRunningCommands()
            switch output {
            case .table:
                print(CheckTable.render(report), terminator: "")
            case .json:
                print(report.json.text, terminator: "")
            }
            if !report.ready { throw ExitCode(1) }
        }
    }
}
