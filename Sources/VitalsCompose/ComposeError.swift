import VitalsSystem

/// A compose file that cannot be read: the file, line and column, and what was expected.
public typealias ComposeError = SourceError

extension SourceError {
    init(_ position: ComposeTree.Position, _ message: String) {
        self.init(file: position.file, line: position.line, column: position.column, message: message)
    }
}
