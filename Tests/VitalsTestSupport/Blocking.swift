import Dispatch

/// Runs blocking test code (socket reads, process waits) on a Dispatch thread, so that it never
/// occupies Swift's small cooperative pool while an in-process server needs it.
public func blocking<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        DispatchQueue.global().async {
            continuation.resume(with: Result { try body() })
        }
    }
}
