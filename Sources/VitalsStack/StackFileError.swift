/// A problem in a stack file: which file, where, and what was expected.
public struct StackFileError: Error, Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int
    public var message: String

    public init(file: String, line: Int, column: Int, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String { "\(file):\(line):\(column): \(message)" }
}

/// Every problem found in a stack file; validation reports them all at once.
public struct StackFileErrors: Error, Sendable, CustomStringConvertible {
    public var errors: [StackFileError]

    public init(_ errors: [StackFileError]) {
        self.errors = errors
    }

    public var description: String { errors.map(\.description).joined(separator: "\n") }
}
