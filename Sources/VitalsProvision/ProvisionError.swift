/// Why provisioning could not go ahead, written for the operator.
public enum ProvisionError: Error, Sendable, CustomStringConvertible {
    /// The stack cannot be provisioned as it is (nothing to scrape, a name clash, ...).
    case invalidStack(String)
    /// Files that are not Vitals' to replace or remove as they are: written by someone else, or
    /// generated and edited since; `--force` replaces them.
    case conflicts(handWritten: [String], edited: [String], editedStale: [String])
    /// The output directory cannot be written.
    case cannotWrite(path: String, reason: String)

    public var description: String {
        switch self {
        case .invalidStack(let message): message
        case .conflicts(let handWritten, let edited, let editedStale):
            [
                handWritten.isEmpty
                    ? nil
                    : "these files were not written by vitals provision and would be overwritten:\n"
                        + handWritten.map { "  \($0)" }.joined(separator: "\n"),
                edited.isEmpty
                    ? nil
                    : "these generated files were edited since they were written (the diff above shows the edits):\n"
                        + edited.map { "  \($0)" }.joined(separator: "\n"),
                editedStale.isEmpty
                    ? nil
                    : "these generated files are no longer produced but were edited since, so they are kept:\n"
                        + editedStale.map { "  \($0)" }.joined(separator: "\n"),
                "nothing was written; move your changes elsewhere (into the stack file, or a file of your own) or pass --force to replace them",
            ].compactMap { $0 }.joined(separator: "\n")
        case .cannotWrite(let path, let reason): "cannot write \(path): \(reason)"
        }
    }
}
