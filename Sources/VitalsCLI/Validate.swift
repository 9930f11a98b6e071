import ArgumentParser
import VitalsStack

extension VitalsCommand {
    struct Validate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check a stack file without probing anything.",
            discussion:
                "Prints every problem with its file, line and column, and exits 2; exits 0 when the file is valid.")

        @OptionGroup var stackFile: StackFileOptions

        func run() async throws {
            let stack = try stackFile.load()
            let probes = stack.services.reduce(0) { $0 + $1.probes.count * $1.endpoints.count }
            print(
                "\(stackFile.stackFile): valid: stack \(stack.name), \(stack.services.count) services, \(probes) probes"
            )
        }
    }
}
