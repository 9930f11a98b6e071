import ArgumentParser
import VitalsLogging
import VitalsStack
import VitalsStackFile

#if canImport(Glibc)
import Glibc
#endif

/// The stack file argument, loaded and validated, with errors printed for the operator.
struct StackFileOptions: ParsableArguments {
    @Argument(help: "The stack file (YAML).", completion: .file(extensions: ["yaml", "yml"]))
    var stackFile: String

    /// Loads the stack or prints every error and exits 2.
    func load() throws -> Stack { try loadWithText().stack }

    /// The stack and the file's text, read once, for what carries the file along (a ConfigMap).
    func loadWithText() throws -> (stack: Stack, text: String) {
        do {
            return try StackLoader.loadWithText(path: stackFile)
        } catch {
            printError(error.description)
            throw ExitCode(2)
        }
    }
}

/// Writes a line to standard error.
func printError(_ text: String) {
    StandardError.writeLine(text)
}

/// Checks that every `--service` names a service of the stack.
func validateSelection(_ names: [String], in stack: Stack) throws {
    let unknown = names.filter { stack.service(named: $0) == nil }
    guard unknown.isEmpty else {
        printError(
            "unknown service \(unknown.map { "\"\($0)\"" }.joined(separator: ", ")) in --service; the stack has: \(stack.services.map(\.name).joined(separator: ", "))"
        )
        throw ExitCode(2)
    }
}
