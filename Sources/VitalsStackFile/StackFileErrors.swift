import VitalsSystem

/// A problem in a stack file: which file, where, and what was expected.
public typealias StackFileError = SourceError

/// Every problem found in a stack file; validation reports them all at once.
public struct StackFileErrors: Error, Sendable, CustomStringConvertible {
    public var errors: [StackFileError]

    public init(_ errors: [StackFileError]) {
        self.errors = errors
    }

    public var description: String { errors.map(\.description).joined(separator: "\n") }
}
