import Testing
import VitalsTestSupport

/// Runs a suite's tests on ``BlockingExecutor``'s threads rather than Swift's cooperative pool, for
/// tests that block on processes and sockets while other suites run servers in process.
public struct BlockingWorkTrait: SuiteTrait, TestTrait, TestScoping {
    public var isRecursive: Bool { true }

    public func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        try await withTaskExecutorPreference(BlockingExecutor.shared) { try await function() }
    }
}

extension Trait where Self == BlockingWorkTrait {
    /// The test blocks a thread while it waits: keep it off the cooperative pool.
    public static var blockingWork: Self { BlockingWorkTrait() }
}
