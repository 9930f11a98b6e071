import Foundation

/// Polls `condition` until it holds or `timeout` passes; returns whether it held. For state that a
/// real server or process reaches asynchronously, never as a speed check.
public func eventually(
    within timeout: TimeInterval, every interval: TimeInterval = 0.05, _ condition: () throws -> Bool
) async rethrows -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if try condition() { return true }
        try? await Task.sleep(for: .milliseconds(Int(interval * 1000)))
    }
    return try condition()
}
