import Foundation
import Logging
import NIOCore
import NIOHTTP1
import Synchronization
import Testing
import VitalsHTTP
import VitalsTestSupport
import VitalsTestTraits

/// Holds `/slow` answers until the test opens it, so that the test decides when a slow request
/// ends instead of a sleep guessing how long the test needs.
final class SlowGate: Sendable {
    private let state = Mutex<(open: Bool, waiting: [CheckedContinuation<Void, Never>])>((false, []))
    /// How many requests have reached the gate.
    let reached = Atomic<Int>(0)

    func pass() async {
        reached.add(1, ordering: .relaxed)
        await withCheckedContinuation { continuation in
            let open = state.withLock { state in
                if !state.open { state.waiting.append(continuation) }
                return state.open
            }
            if open { continuation.resume() }
        }
    }

    func open() {
        let waiting = state.withLock { state in
            state.open = true
            defer { state.waiting = [] }
            return state.waiting
        }
        for continuation in waiting { continuation.resume() }
    }
}

/// A responder whose behaviour the test picks by path.
struct ScriptedResponder: HTTPResponder {
    /// Where `/slow` waits; closed until the test opens it.
    let slow = SlowGate()

    /// Off the cooperative pool: other suites' blocking tests can starve it for seconds, and this
    /// server's answers then time out (seen in a full CI run, every test stalled 13 s at start).
    func executor(for request: HTTPRequest) -> (any TaskExecutor)? { BlockingExecutor.shared }

    func respond(to request: HTTPRequest) async -> HTTPResponse {
        switch request.path {
        case "/slow":
            await slow.pass()
            return .text("slow done\n")
        case "/echo":
            return .text(
                "\(request.method.rawValue) \(request.queryValues("q").joined(separator: ",")) \(request.body.readableBytes)"
            )
        case "/big":
            return .text(String(repeating: "metric_line 1\n", count: 5000))
        default:
            return .text("ok\n")
        }
    }
}

/// Counts the requests that reach it, to see how many a connection got the server to answer.
final class CountingResponder: HTTPResponder {
    /// Off the cooperative pool: other suites' blocking tests can starve it for seconds, and this
    /// server's answers then time out (seen in a full CI run, every test stalled 13 s at start).
    func executor(for request: HTTPRequest) -> (any TaskExecutor)? { BlockingExecutor.shared }

    let answered = Atomic<Int>(0)
    let scripted = ScriptedResponder()

    func respond(to request: HTTPRequest) async -> HTTPResponse {
        answered.add(1, ordering: .relaxed)
        return await scripted.respond(to: request)
    }
}

/// Tells the test when a `/slow` request has reached the responder, so that the test acts while it
/// is in flight without guessing how long that takes.
final class InFlightResponder: HTTPResponder {
    /// Off the cooperative pool: other suites' blocking tests can starve it for seconds, and this
    /// server's answers then time out (seen in a full CI run, every test stalled 13 s at start).
    func executor(for request: HTTPRequest) -> (any TaskExecutor)? { BlockingExecutor.shared }

    let scripted = ScriptedResponder()
    let slowFinished = Atomic<Bool>(false)

    func respond(to request: HTTPRequest) async -> HTTPResponse {
        guard request.path == "/slow" else { return await scripted.respond(to: request) }
        let response = await scripted.respond(to: request)
        slowFinished.store(true, ordering: .relaxed)
        return response
    }
}

@Suite(.serialized, .blockingWork) struct HTTPServerTests {
    static func start(
        responder: any HTTPResponder = ScriptedResponder(), _ adjust: (inout HTTPServerConfiguration) -> Void = { _ in }
    ) async throws -> (HTTPServer, Int) {
        var configuration = HTTPServerConfiguration(listenAddresses: [ListenAddress(host: "127.0.0.1", port: 0)])
        adjust(&configuration)
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let server = HTTPServer(configuration: configuration, responder: responder, logger: logger)
        let addresses = try await server.start()
        return (server, try #require(addresses.first?.port))
    }

    @Test func answersAndDecodesQueryAndBody() async throws {
        let (server, port) = try await Self.start { $0.maxBodyBytes = 1024 }
        try await withTeardown({ await server.shutdown() }) {
            let response = try await blocking {
                let connection = try RawConnection(port: port)
                try connection.send("POST /echo?q=a%20b&q=c HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello")
                return try connection.readResponse()
            }
            #expect(response?.status == 200)
            #expect(response?.bodyText == "POST a b,c 5")
        }
    }

    @Test func keepAliveServesSeveralRequestsOnOneConnection() async throws {
        let (server, port) = try await Self.start()
        try await withTeardown({ await server.shutdown() }) {
            let bodies = try await blocking {
                let connection = try RawConnection(port: port)
                return try (0..<3).map { _ in
                    try connection.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
                    return try connection.readResponse()?.bodyText
                }
            }
            #expect(bodies == ["ok\n", "ok\n", "ok\n"])
        }
    }

    @Test func idleKeepAliveConnectionsAreClosedAfterTheIdleTimeout() async throws {
        let (server, port) = try await Self.start { $0.idleTimeout = .milliseconds(300) }
        try await withTeardown({ await server.shutdown() }) {
            let (status, closed) = try await blocking {
                let connection = try RawConnection(port: port)
                try connection.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
                let status = try connection.readResponse()?.status
                return (status, connection.isClosedByPeer(within: 3))
            }
            #expect(status == 200)
            #expect(closed)
        }
    }

    @Test func aRequestThatNeverFinishesIsCutOffWithoutBlockingOthers() async throws {
        let (server, port) = try await Self.start { $0.requestReadTimeout = .milliseconds(400) }
        try await withTeardown({ await server.shutdown() }) {
            let (otherStatus, closed) = try await blocking {
                let slowloris = try RawConnection(port: port)
                try slowloris.send("GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ")
                // Meanwhile other clients are served at once.
                let otherStatus = try httpGet(port: port, path: "/").status
                // A byte every 100 ms for 3 s: a deadline that each byte extended would keep the
                // connection open throughout; the whole-request deadline (400 ms) closes it while
                // the bytes still trickle in.
                var closedWhileTrickling = false
                for _ in 0..<30 {
                    if slowloris.isClosedByPeer(within: 0.1) {
                        closedWhileTrickling = true
                        break
                    }
                    try? slowloris.send("a")
                }
                return (otherStatus, closedWhileTrickling)
            }
            #expect(otherStatus == 200)
            #expect(closed)
        }
    }

    @Test(arguments: [
        ("GARBAGE\r\n\r\n", 400),
        ("GET / HTTP/1.1\r\nHost: x\r\nX-Big: \(String(repeating: "b", count: 20_000))\r\n\r\n", 431),
        (
            "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 2000000\r\n\r\n"
                + String(repeating: "z", count: 2_000_000), 413
        ),
        ("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n", 413),
    ])
    func badRequestsGet4xx(request: String, status: Int) async throws {
        let (server, port) = try await Self.start()
        try await withTeardown({ await server.shutdown() }) {
            let (answer, next) = try await blocking {
                let connection = try RawConnection(port: port)
                try? connection.send(request)
                return (try connection.readResponse()?.status, try httpGet(port: port, path: "/").status)
            }
            #expect(answer == status)
            #expect(next == 200)
        }
    }

    /// A body the server takes none of is refused from its headers alone: the 413 arrives before
    /// the client has sent a byte of the body, and the connection is closed rather than drained.
    @Test func anUnwantedBodyIsRefusedBeforeItIsSent() async throws {
        let responder = CountingResponder()
        let (server, port) = try await Self.start(responder: responder)
        try await withTeardown({ await server.shutdown() }) {
            let (status, closed) = try await blocking {
                let connection = try RawConnection(port: port)
                try connection.send("GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 1048576\r\n\r\n")
                return (try connection.readResponse()?.status, connection.isClosedByPeer(within: 3))
            }
            #expect(status == 413)
            #expect(closed)
            #expect(responder.answered.load(ordering: .relaxed) == 0)
        }
    }

    @Test func pipelinedRequestsAreAnsweredInOrder() async throws {
        let responder = ScriptedResponder()
        let (server, port) = try await Self.start(responder: responder)
        try await withTeardown({ await server.shutdown() }) {
            let connection = try await blocking {
                let connection = try RawConnection(port: port)
                try connection.send(
                    "GET /slow HTTP/1.1\r\nHost: x\r\n\r\nGET /echo?q=2 HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n"
                )
                return connection
            }
            // The later two are queued behind the first while it is held.
            #expect(await eventually(within: 10) { responder.slow.reached.load(ordering: .relaxed) == 1 })
            responder.slow.open()
            let bodies = try await blocking { try (0..<3).map { _ in try connection.readResponse()?.bodyText } }
            #expect(bodies == ["slow done\n", "GET 2 0", "ok\n"])
        }
    }

    /// A client that pipelines requests and never reads the answers gets no further than the
    /// answers its socket buffers hold, and is disconnected at the write timeout.
    @Test func aClientThatNeverReadsIsBoundedAndDisconnected() async throws {
        let responder = CountingResponder()
        let (server, port) = try await Self.start(responder: responder) { $0.writeTimeout = .milliseconds(500) }
        try await withTeardown({ await server.shutdown() }) {
            let connection = try await blocking {
                let connection = try RawConnection(port: port)
                var receiveBuffer: Int32 = 4096
                setsockopt(
                    connection.descriptor, SOL_SOCKET, SO_RCVBUF, &receiveBuffer, socklen_t(MemoryLayout<Int32>.size))
                let request = "GET /big HTTP/1.1\r\nHost: x\r\n\r\n"
                // 200 pipelined requests for 70 kB answers: 14 MB if the server answered them all.
                for _ in 0..<25 { try? connection.send(String(repeating: request, count: 8)) }
                return connection
            }
            let closed = await eventually(within: 10) { server.connectionCount == 0 }
            withExtendedLifetime(connection) {}
            #expect(closed)
            // Socket buffers on loopback hold a few answers, never the 200 asked for.
            #expect(responder.answered.load(ordering: .relaxed) < 40)
            let next = try await blocking { try httpGet(port: port, path: "/").status }
            #expect(next == 200)
        }
    }

    /// At the connection cap the idlest keep-alive connection makes room for a new one; only when
    /// every connection is busy is a new one refused.
    @Test func atTheConnectionCapTheIdlestConnectionMakesRoom() async throws {
        let (server, port) = try await Self.start { $0.maxConnections = 4 }
        try await withTeardown({ await server.shutdown() }) {
            // One at a time: each turns idle (its response flushed) before the next one opens,
            // so the first is the idlest. The client can read an answer before the server has
            // recorded its flush, hence the wait.
            var idle: [RawConnection] = []
            for held in 1...4 {
                idle.append(
                    try await blocking {
                        let connection = try RawConnection(port: port)
                        try connection.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
                        _ = try connection.readResponse()
                        return connection
                    })
                #expect(await eventually(within: 5) { server.idleConnectionCount == held })
            }
            let (oldestClosed, newerOpen, newStatus) = try await blocking { [idle] in
                let status = try httpGet(port: port, path: "/").status
                return (idle[0].isClosedByPeer(within: 3), !idle[3].isClosedByPeer(within: 0.2), status)
            }
            #expect(newStatus == 200)
            #expect(oldestClosed)
            #expect(newerOpen)
        }
    }

    @Test func whenEveryConnectionIsBusyANewOneIsRefused() async throws {
        let responder = CountingResponder()
        let (server, port) = try await Self.start(responder: responder) { $0.maxConnections = 2 }
        try await withTeardown({ await server.shutdown() }) {
            let busy = try await blocking {
                try (0..<2).map { _ in
                    let connection = try RawConnection(port: port)
                    try connection.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n")
                    return connection
                }
            }
            // Both requests are being answered (held at the gate) once the responder has seen both.
            #expect(await eventually(within: 5) { responder.scripted.slow.reached.load(ordering: .relaxed) == 2 })
            let refused = try await blocking {
                let extra = try RawConnection(port: port)
                try? extra.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
                return (try? extra.readResponse()) == nil
            }
            responder.scripted.slow.open()
            let busyBodies = try await blocking { try busy.map { try $0.readResponse()?.bodyText } }
            #expect(refused)
            #expect(busyBodies == ["slow done\n", "slow done\n"])
        }
    }

    @Test func gzipOnlyWhenAcceptedAndWorthIt() async throws {
        let (server, port) = try await Self.start()
        try await withTeardown({ await server.shutdown() }) {
            let encodings = try await blocking {
                [
                    try httpGet(port: port, path: "/big", headers: ["Accept-Encoding": "gzip"]).header(
                        "Content-Encoding"),
                    try httpGet(port: port, path: "/big").header("Content-Encoding"),
                    try httpGet(port: port, path: "/", headers: ["Accept-Encoding": "gzip"]).header("Content-Encoding"),
                ]
            }
            #expect(encodings == ["gzip", nil, nil])
        }
    }

    @Test func shutdownClosesIdleConnectionsAtOnceAndFinishesInFlightRequests() async throws {
        let responder = InFlightResponder()
        let (server, port) = try await Self.start(responder: responder)
        let (idle, busy) = try await blocking {
            let idle = try RawConnection(port: port)
            try idle.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            _ = try idle.readResponse()
            // The slow answer comes from a task on Swift's cooperative pool, which other suites'
            // synchronous waits can hold for seconds under the full run (CI once saw no answer
            // within 10 s): the busy client waits as long as the shutdown may take and more.
            let busy = try RawConnection(port: port, timeout: 30)
            try busy.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n")
            return (idle, busy)
        }
        #expect(await eventually(within: 10) { responder.scripted.slow.reached.load(ordering: .relaxed) == 1 })
        let clock = ContinuousClock()
        let started = clock.now
        async let stopped: Void = server.shutdown()
        let idleClosed = try await blocking { idle.isClosedByPeer(within: 10) }
        // At once: while the slow request is still held, not after it.
        let stillInFlight = !responder.slowFinished.load(ordering: .relaxed)
        responder.scripted.slow.open()
        let response = try await blocking { try busy.readResponse() }
        #expect(idleClosed)
        #expect(stillInFlight, "the idle connection was closed only after the in-flight request finished")
        #expect(response?.bodyText == "slow done\n")
        await stopped
        // Bounded by the grace period (10 s), plus scheduling slack under the full suite.
        #expect(clock.now - started < .seconds(20), "shutdown waits for in-flight requests, not for ever")
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
