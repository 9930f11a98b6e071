import Foundation
import Testing
import VitalsStack
import VitalsTestSupport

@testable import VitalsProbe

/// The redis probe against a real `redis-server`, started and stopped by the test.
@Suite(.serialized) struct RedisProbeTests {
    static func startRedis(port: Int, extra: [String] = []) throws -> ManagedProcess {
        guard let redis = TestPaths.tool("redis-server") else {
            throw MissingPrerequisite("redis-server is not installed; scripts/test installs it (apt-get install redis-server)")
        }
        let directory = try TestPaths.temporaryDirectory("redis")
        let process = try ManagedProcess(
            redis,
            ["--port", "\(port)", "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", directory] + extra)
        guard process.output(contains: "Ready to accept connections", within: 10) else {
            process.stop()
            throw MissingPrerequisite("redis-server did not start: \(process.outputText)")
        }
        return process
    }

    static func probe(_ port: Int) async throws -> ProbeResult {
        let prober = try Prober(userAgent: "vitals-probe/test")
        return await prober.run(.redisPing(port: nil), endpoint: Endpoint(host: "127.0.0.1", port: port), timeoutSeconds: 2)
    }

    @Test func aRunningRedisAnswersPong() async throws {
        let port = freePort()
        let redis = try Self.startRedis(port: port)
        let result = try await Self.probe(port)
        #expect(result.outcome == .success, "\(result)")

        redis.stop()
        let down = try await Self.probe(port)
        #expect(down.outcome == .failure)
        #expect(down.message?.contains("connection refused") == true, "\(down)")
    }

    @Test func aRedisThatWantsAPasswordFailsWithItsAnswer() async throws {
        let port = freePort()
        let redis = try Self.startRedis(port: port, extra: ["--requirepass", "s3cret"])
        defer { redis.stop() }
        let result = try await Self.probe(port)
        #expect(result.outcome == .failure)
        #expect(result.message?.contains("NOAUTH") == true, "\(result)")
    }

    @Test func somethingThatIsNotRedisFails() async throws {
        let server = try await HealthTargetServer()
        defer { Task { await server.close() } }
        let result = try await Self.probe(server.port)
        #expect(result.outcome == .failure, "an HTTP server must not pass a redis probe: \(result)")
    }
}
