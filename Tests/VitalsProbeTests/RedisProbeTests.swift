import Foundation
import Testing
import VitalsStack
import VitalsTestSupport

@testable import VitalsProbe

/// The redis probe against a real `redis-server`, started and stopped by the test.
@Suite(.serialized) struct RedisProbeTests {
    static func probe(_ port: Int) async throws -> ProbeResult {
        let prober = try Prober(userAgent: "vitals-probe/test")
        return await prober.run(
            .redisPing(port: nil), endpoint: Endpoint(host: "127.0.0.1", port: port), timeoutSeconds: 2)
    }

    @Test func aRunningRedisAnswersPong() async throws {
        let port = freePort()
        let redis = try RedisServer.start(port: port)
        let result = try await Self.probe(port)
        #expect(result.outcome == .success, "\(result)")

        redis.stop()
        let down = try await Self.probe(port)
        #expect(down.outcome == .failure)
        #expect(down.message?.contains("connection refused") == true, "\(down)")
    }

    @Test func aRedisThatWantsAPasswordFailsWithItsAnswer() async throws {
        let port = freePort()
        let redis = try RedisServer.start(port: port, extraArguments: ["--requirepass", "s3cret"])
        defer { redis.stop() }
        let result = try await Self.probe(port)
        #expect(result.outcome == .failure)
        #expect(result.message?.contains("NOAUTH") == true, "\(result)")
    }

    @Test func somethingThatIsNotRedisFails() async throws {
        let server = try await HealthTargetServer()
        try await withTeardown({ await server.close() }) {
            let result = try await Self.probe(server.port)
            #expect(result.outcome == .failure, "an HTTP server must not pass a redis probe: \(result)")
        }
    }
}
