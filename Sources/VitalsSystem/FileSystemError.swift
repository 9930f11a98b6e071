#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A failed read of a kernel file or directory, with the path and the errno behind it.
///
/// Collectors use ``isNotFound`` to tell "this kernel does not have that file" (skip quietly)
/// from real failures (report the collector as failed).
public struct FileSystemError: Error, Sendable, Hashable, CustomStringConvertible {
    public var path: String
    public var operation: String
    public var errorNumber: Int32
    /// Said instead of the errno's text when the errno alone would mislead.
    public var explanation: String?

    public init(path: String, operation: String, errorNumber: Int32, explanation: String? = nil) {
        self.path = path
        self.operation = operation
        self.errorNumber = errorNumber
        self.explanation = explanation
    }

    /// The file or directory does not exist (ENOENT, ENOTDIR) or the kernel does not offer it (ENODEV, ENXIO).
    public var isNotFound: Bool {
        errorNumber == ENOENT || errorNumber == ENOTDIR || errorNumber == ENODEV || errorNumber == ENXIO
    }

    /// Errors that mean "this attribute is not available here" rather than a broken system:
    /// missing, permission denied, or unsupported/invalid for this device (EINVAL, EOPNOTSUPP).
    public var isUnavailable: Bool {
        isNotFound || errorNumber == EACCES || errorNumber == EPERM || errorNumber == EINVAL
            || errorNumber == EOPNOTSUPP || errorNumber == EAGAIN || errorNumber == EIO
    }

    /// The errno's text in Go's style (`permission denied`), as node_exporter puts it in labels.
    public var reason: String {
        if let explanation { return explanation }
        let text = String(cString: strerror(errorNumber))
        guard let first = text.first else { return text }
        return first.lowercased() + text.dropFirst()
    }

    public var description: String { "\(operation) \(path): \(reason)" }
}

/// Runs a read; a file that does not exist yields nil instead of an error. Other errors propagate.
public func ifPresent<Value>(_ read: () throws(FileSystemError) -> Value) throws(FileSystemError) -> Value? {
    do {
        return try read()
    } catch {
        guard error.isNotFound else { throw error }
        return nil
    }
}
