/// Why provisioning could not go ahead, written for the operator.
public enum ProvisionError: Error, Sendable, CustomStringConvertible {
    /// The stack cannot be provisioned as it is (nothing to scrape, a name clash, ...).
    case invalidStack(String)
    /// Files in the way that Vitals did not write; `--force` overwrites them.
    case handWrittenFiles([String])
    /// The output directory cannot be written.
    case cannotWrite(path: String, reason: String)

    public var description: String {
        switch self {
        case .invalidStack(let message): message
        case .handWrittenFiles(let paths):
            "these files were not written by vitals provision and would be overwritten; move them away or pass --force:\n"
                + paths.map { "  \($0)" }.joined(separator: "\n")
        case .cannotWrite(let path, let reason): "cannot write \(path): \(reason)"
        }
    }
}
