/// A problem in a file that a person wrote (a stack file, a web config): which file, where, and
/// what was expected, as compilers report it. Line and column are 1-based; 0 means the file as a
/// whole (it could not be read, say). The one error type with a position, for every file Vitals reads.
public struct SourceError: Error, Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int
    public var message: String

    public init(file: String, line: Int = 0, column: Int = 0, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String {
        line > 0 ? "\(file):\(line):\(column): \(message)" : "\(file): \(message)"
    }
}
