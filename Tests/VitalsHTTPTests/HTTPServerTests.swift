import Foundation
import Logging
import NIOCore
import NIOHTTP1
import Testing
import VitalsHTTP
import VitalsTestSupport

/// A responder whose behaviour the test picks by path.
struct ScriptedResponder: HTTPResponder {
    func respond(to request: HTTPRequest) async -> HTTPResponse {
        switch request.path {
        case "/slow":
            try? await Task.sleep(for: .milliseconds(700))
            return .text("slow done\n")
        case "/echo":
            return .text("\(request.method.rawValue) \(request.queryValues("q").joined(separator: ",")) \(request.body.readableBytes)")
        case "/big":
            return .text(String(repeating: "metric_line 1\n", count: 5000))
        default:
            return .text("ok\n")
        }
    }
}

@Suite(.serialized) struct HTTPServerTests {
    static func start(_ adjust: (inout HTTPServerConfiguration) -> Void = { _ in }) async throws -> (HTTPServer, Int) {
        var configuration = HTTPServerConfiguration(listenAddresses: [ListenAddress(host: "127.0.0.1", port: 0)])
        adjust(&configuration)
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let server = HTTPServer(configuration: configuration, responder: ScriptedResponder(), logger: logger)
        let addresses = try await server.start()
        return (server, try #require(addresses.first?.port))
    }

    @Test func answersAndDecodesQueryAndBody() async throws {
        let (server, port) = try await Self.start()
        defer { Task { await server.shutdown() } }
        let response = try await blocking {
            let connection = try RawConnection(port: port)
            try connection.send("POST /echo?q=a%20b&q=c HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello")
            return try connection.readResponse()
        }
        #expect(response?.status == 200)
        #expect(response?.bodyText == "POST a b,c 5")
    }

    @Test func keepAliveServesSeveralRequestsOnOneConnection() async throws {
        let (server, port) = try await Self.start()
        defer { Task { await server.shutdown() } }
        let bodies = try await blocking {
            let connection = try RawConnection(port: port)
            return try (0..<3).map { _ in
                try connection.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
                return try connection.readResponse()?.bodyText
            }
        }
        #expect(bodies == ["ok\n", "ok\n", "ok\n"])
    }

    @Test func idleKeepAliveConnectionsAreClosedAfterTheIdleTimeout() async throws {
        let (server, port) = try await Self.start { $0.idleTimeout = .milliseconds(300) }
        defer { Task { await server.shutdown() } }
        let (status, closed) = try await blocking {
            let connection = try RawConnection(port: port)
            try connection.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            let status = try connection.readResponse()?.status
            return (status, connection.isClosedByPeer(within: 3))
        }
        #expect(status == 200)
        #expect(closed)
    }

    @Test func aRequestThatNeverFinishesIsCutOffWithoutBlockingOthers() async throws {
        let (server, port) = try await Self.start { $0.requestReadTimeout = .milliseconds(400) }
        defer { Task { await server.shutdown() } }
        let (otherStatus, closed) = try await blocking {
            let slowloris = try RawConnection(port: port)
            try slowloris.send("GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ")
            // Meanwhile other clients are served at once.
            let otherStatus = try httpGet(port: port, path: "/").status
            // Trickling more bytes does not extend the deadline.
            Thread.sleep(forTimeInterval: 0.2)
            try slowloris.send("a")
            return (otherStatus, slowloris.isClosedByPeer(within: 3))
        }
        #expect(otherStatus == 200)
        #expect(closed)
    }

    @Test(arguments: [
        ("GARBAGE\r\n\r\n", 400),
        ("GET / HTTP/1.1\r\nHost: x\r\nX-Big: \(String(repeating: "b", count: 20_000))\r\n\r\n", 431),
        ("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 2000000\r\n\r\n" + String(repeating: "z", count: 2_000_000), 413),
    ])
    func badRequestsGet4xx(request: String, status: Int) async throws {
        let (server, port) = try await Self.start()
        defer { Task { await server.shutdown() } }
        let (answer, next) = try await blocking {
            let connection = try RawConnection(port: port)
            try? connection.send(request)
            return (try connection.readResponse()?.status, try httpGet(port: port, path: "/").status)
        }
        #expect(answer == status)
        #expect(next == 200)
    }

    @Test func gzipOnlyWhenAcceptedAndWorthIt() async throws {
        let (server, port) = try await Self.start()
        defer { Task { await server.shutdown() } }
        let encodings = try await blocking {
            [
                try httpGet(port: port, path: "/big", headers: ["Accept-Encoding": "gzip"]).header("Content-Encoding"),
                try httpGet(port: port, path: "/big").header("Content-Encoding"),
                try httpGet(port: port, path: "/", headers: ["Accept-Encoding": "gzip"]).header("Content-Encoding"),
            ]
        }
        #expect(encodings == ["gzip", nil, nil])
    }

    @Test func shutdownClosesIdleConnectionsAtOnceAndFinishesInFlightRequests() async throws {
        let (server, port) = try await Self.start()
        let (idle, busy) = try await blocking {
            let idle = try RawConnection(port: port)
            try idle.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            _ = try idle.readResponse()
            let busy = try RawConnection(port: port)
            try busy.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n")
            Thread.sleep(forTimeInterval: 0.1)
            return (idle, busy)
        }
        let clock = ContinuousClock()
        let started = clock.now
        async let stopped: Void = server.shutdown()
        let (idleClosed, response) = try await blocking { (idle.isClosedByPeer(within: 0.5), try busy.readResponse()) }
        #expect(idleClosed)
        #expect(response?.bodyText == "slow done\n")
        await stopped
        #expect(clock.now - started < .seconds(3))
        let refused = try await blocking { (try? RawConnection(port: port, timeout: 1)) == nil }
        #expect(refused)
    }

    @Test func listenAddressesParseLikeNodeExporter() throws {
        #expect(try ListenAddress(parsing: ":9100") == ListenAddress(host: nil, port: 9100))
        #expect(try ListenAddress(parsing: "127.0.0.1:9100") == ListenAddress(host: "127.0.0.1", port: 9100))
        #expect(try ListenAddress(parsing: "[::1]:9100") == ListenAddress(host: "::1", port: 9100))
        #expect(throws: ListenAddressError.self) { try ListenAddress(parsing: "9100") }
        #expect(throws: ListenAddressError.self) { try ListenAddress(parsing: ":70000") }
        #expect(throws: ListenAddressError.self) { try ListenAddress(parsing: "::1:9100") }
    }
}
