/// Why a request to the Kubernetes API failed, in words for the operator.
public enum KubernetesAPIError: Error, Sendable, Hashable, CustomStringConvertible {
    /// No connection, or it broke.
    case unreachable(server: String, reason: String)
    /// The API server answered with a status it was not asked for, with its own message.
    case status(code: Int, path: String, message: String)
    /// The service account may not do this: the generated Role is missing or not bound.
    case forbidden(path: String, message: String)
    /// The resource version a watch resumes from is too old: list again.
    case gone
    /// No answer within the time allowed.
    case timedOut(path: String, seconds: Int)
    /// An answer, or one line of a watch, larger than the bound.
    case tooLarge(path: String, bytes: Int)
    /// An answer that is not the JSON expected.
    case malformed(path: String, reason: String)
    /// The service account token or CA could not be read.
    case credentials(String)

    public var description: String {
        switch self {
        case .unreachable(let server, let reason): "cannot reach the Kubernetes API at \(server): \(reason)"
        case .status(let code, let path, let message): "the Kubernetes API answered \(code) to GET \(path): \(message)"
        case .forbidden(let path, let message):
            "the Kubernetes API refused GET \(path) (403): \(message); vitals serve's service account needs the Role and RoleBinding that vitals provision --target kubernetes writes (serve/role-*.yaml)"
        case .gone: "the watch's resource version has expired (410 Gone); listing again"
        case .timedOut(let path, let seconds): "no answer from the Kubernetes API to GET \(path) within \(seconds) s"
        case .tooLarge(let path, let bytes): "the Kubernetes API's answer to GET \(path) exceeds \(bytes >> 20) MiB"
        case .malformed(let path, let reason): "unexpected answer from the Kubernetes API to GET \(path): \(reason)"
        case .credentials(let reason): "cannot read the Kubernetes credentials: \(reason)"
        }
    }
}

extension KubernetesAPIError {
    /// A watch event that could not be read: not JSON, not an EndpointSlice, or too large.
    var isUnreadableEvent: Bool {
        switch self {
        case .malformed, .tooLarge: true
        default: false
        }
    }
}
