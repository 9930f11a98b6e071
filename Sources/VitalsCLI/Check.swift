import ArgumentParser
import VitalsOrchestrator
import VitalsProbe
import VitalsStack

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

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

        @Option(name: .customLong("service"), help: "Only this service (repeatable).")
        var services: [String] = []

        @Option(help: "table for people, json for scripts (see docs/orchestrator.md for the shape).")
        var output: Output = .table

        func run() async throws {
            let stack = try stackFile.load()
            try validateSelection(services, in: stack)
            let prober = try Prober(userAgent: VitalsVersion.userAgent)
            let report = await OneShotCheck.run(stack: stack, selection: services, prober: prober)
            switch output {
            case .table:
                print(OneShotCheck.table(report), terminator: "")
            case .json:
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                print(String(decoding: try encoder.encode(report), as: UTF8.self))
            }
            if !report.ready { throw ExitCode(1) }
        }
    }
}
