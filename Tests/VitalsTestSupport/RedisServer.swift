import Foundation

/// A real `redis-server` from Debian's package on loopback, without persistence.
public enum RedisServer {
    public static func start(port: Int, extraArguments: [String] = []) throws -> ManagedProcess {
        guard let redis = TestPaths.tool("redis-server") else {
            throw MissingPrerequisite(
                "redis-server is not installed; scripts/test installs it (apt-get install redis-server)")
        }
        let directory = try TestPaths.temporaryDirectory("redis")
        let process = try ManagedProcess(
            redis,
            ["--port", "\(port)", "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", directory]
                + extraArguments)
        guard process.output(contains: "Ready to accept connections", within: 10) else {
            process.stop()
            throw MissingPrerequisite("redis-server did not start: \(process.outputText)")
        }
        return process
    }
}
