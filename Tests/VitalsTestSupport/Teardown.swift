/// Runs `body`, then awaits `teardown`, also when `body` throws: what `defer { Task { … } }`
/// cannot do, since it leaves the server closing while the next test starts.
public func withTeardown<Result>(
    _ teardown: () async -> Void, _ body: () async throws -> Result
) async rethrows -> Result {
    let result: Result
    do {
        result = try await body()
    } catch {
        await teardown()
        throw error
    }
    await teardown()
    return result
}
