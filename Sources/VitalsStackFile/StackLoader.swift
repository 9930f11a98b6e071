import VitalsDuration
import VitalsStack
import VitalsSystem
import Yams

/// Reads and validates stack files.
///
/// Every problem is reported with its file, line and column and what was expected, and all of
/// them at once, so that one run of `vitals validate` lists everything to fix.
public enum StackLoader {
    /// Reads a stack file from disk.
    public static func load(path: String) throws(StackFileErrors) -> Stack { try loadWithText(path: path).stack }

    /// Reads, parses and validates a stack file, and returns its text too.
    public static func loadWithText(path: String) throws(StackFileErrors) -> (stack: Stack, text: String) {
        let text: String
        do {
            text = try FileAccess.readString(path)
        } catch {
            throw StackFileErrors([
                StackFileError(file: path, line: 0, column: 0, message: "cannot read the stack file: \(error.reason)")
            ])
        }
        return (try parse(text, file: path), text)
    }

    /// Parses and validates the text of a stack file.
    public static func parse(_ text: String, file: String) throws(StackFileErrors) -> Stack {
        if let violation = YAMLInputLimits().violation(in: text, file: file) {
            throw StackFileErrors([violation])
        }
        let root: Node?
        do {
            // The reader reads every scalar by its text and style, so Yams need not resolve tags:
            // its resolver matches each scalar against NSRegularExpressions, which pulls ICU's
            // regex engine into memory for the life of `vitals serve` (docs/benchmarks.md).
            root = try Yams.compose(yaml: text, .basic)
        } catch let error as YamlError {
            throw StackFileErrors([yamlError(error, file: file, text: text)])
        } catch {
            throw StackFileErrors([StackFileError(file: file, line: 1, column: 1, message: "\(error)")])
        }
        var reader = YAMLTreeReader(file: file)
        guard let root else {
            throw StackFileErrors([
                StackFileError(
                    file: file, line: 1, column: 1,
                    message: "the file is empty; expected a mapping with name and services")
            ])
        }
        let stack = reader.readStack(root)
        if let stack, reader.errors.isEmpty { reader.checkGraph(stack) }
        guard reader.errors.isEmpty, let stack else {
            throw StackFileErrors(reader.errors.sorted { ($0.line, $0.column) < ($1.line, $1.column) })
        }
        return stack
    }

    static func yamlError(_ error: YamlError, file: String, text: String) -> StackFileError {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            let prefix = context.map { "\($0.text): " } ?? ""
            return StackFileError(
                file: file, line: mark.line, column: mark.column, message: "invalid YAML: \(prefix)\(problem)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            // Yams points at the mapping; point at the second occurrence of the key instead.
            var position = (context.mark.line, context.mark.column)
            if let key = duplicates.first {
                var seen = 0
                for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
                where index + 1 >= context.mark.line {
                    let indent = line.prefix { $0 == " " }.count
                    let rest = line.dropFirst(indent)
                    if rest.hasPrefix(key + ":") || rest.hasPrefix("\"\(key)\":") {
                        seen += 1
                        if seen == 2 {
                            position = (index + 1, indent + 1)
                            break
                        }
                    }
                }
            }
            return StackFileError(
                file: file, line: position.0, column: position.1,
                message:
                    "duplicate key \(duplicates.map { "\"\($0)\"" }.joined(separator: ", ")): each service name and each key may appear only once"
            )
        default:
            return StackFileError(file: file, line: 1, column: 1, message: "invalid YAML: \(error)")
        }
    }
}
