/// A kernel file whose content could not be used at all (empty, truncated, wrong format).
///
/// Single bad lines do not raise this: they are skipped and counted in the snapshot's
/// `malformedLines`, so one odd line never costs a whole collector.
public struct ProcParseError: Error, Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var message: String

    public init(file: String, message: String) {
        self.file = file
        self.message = message
    }

    public var description: String { "\(file): \(message)" }
}
