import ArgumentParser
import VitalsStack

#if canImport(Glibc)
import Glibc
#endif

/// The stack file argument, loaded and validated, with errors printed for the operator.
struct StackFileOptions: ParsableArguments {
    @Argument(help: "The stack file (YAML).", completion: .file(extensions: ["yaml", "yml"]))
    var stackFile: String

    /// Loads the stack or prints every error and exits 2.
    func load() throws -> Stack {
        do {
            return try StackLoader.load(path: stackFile)
        } catch {
            printError(error.description)
            throw ExitCode(2)
        }
    }
}

/// Writes a line to standard error.
func printError(_ text: String) {
    var line = text
    if !line.hasSuffix("\n") { line += "\n" }
    var bytes = Array(line.utf8)
    bytes.withUnsafeMutableBytes { raw in
        var offset = 0
        while offset < raw.count {
            let written = write(STDERR_FILENO, raw.baseAddress! + offset, raw.count - offset)
            if written <= 0 { break }
            offset += written
        }
    }
}

/// Checks that every `--service` names a service of the stack.
func validateSelection(_ names: [String], in stack: Stack) throws {
    let unknown = names.filter { stack.service(named: $0) == nil }
    guard unknown.isEmpty else {
        printError(
            "unknown service \(unknown.map { "\"\($0)\"" }.joined(separator: ", ")) in --service; the stack has: \(stack.services.map(\.name).joined(separator: ", "))")
        throw ExitCode(2)
    }
}

/// Parses `120s`, `2m`, `1h30m` or plain seconds.
func parseDuration(_ text: String) -> Duration? {
    if let seconds = Double(text), seconds >= 0 { return .milliseconds(Int64(seconds * 1000)) }
    var total = 0.0
    var number = ""
    for character in text {
        if character.isNumber || character == "." {
            number.append(character)
            continue
        }
        guard let value = Double(number) else { return nil }
        switch character {
        case "h": total += value * 3600
        case "m": total += value * 60
        case "s": total += value
        default: return nil
        }
        number = ""
    }
    guard number.isEmpty else { return nil }
    return .milliseconds(Int64(total * 1000))
}
