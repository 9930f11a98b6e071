import ArgumentParser
import VitalsLogging

/// Parses and runs a command line the same way for every Vitals executable.
public enum CommandEntry {
    /// Runs `Command` with the process's arguments. Usage errors exit 2, like an invalid stack or
    /// config file, so that scripts need tell only "not ready" (1) from "called wrong" (2).
    public static func run<Command: ParsableCommand>(_ command: Command.Type) async {
        do {
            var parsed = try Command.parseAsRoot()
            if var asynchronous = parsed as? any AsyncParsableCommand {
                try await asynchronous.run()
            } else {
                try parsed.run()
            }
        } catch {
            if Command.exitCode(for: error) == .validationFailure {
                StandardError.writeLine(Command.fullMessage(for: error))
                Command.exit(withError: ExitCode(2))
            }
            Command.exit(withError: error)
        }
    }
}
