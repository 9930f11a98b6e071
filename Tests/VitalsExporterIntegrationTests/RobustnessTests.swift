import Foundation
import Testing
import VitalsExposition
import VitalsTestSupport
import VitalsTestTraits

/// The exporter under hostile or broken conditions, bounded in time and count, on loopback only.
@Suite(.serialized, .blockingWork) struct ExporterRobustnessTests {
    /// A procfs whose loadavg is a FIFO with no writer: reading it blocks forever, like a hung driver.
    @Test func aHangingCollectorIsBoundedByItsTimeout() throws {
        let root = try TestPaths.temporaryDirectory("hanging-proc")
        #expect(mkfifo(root + "/loadavg", 0o644) == 0)
        let exporter = try ExporterUnderTest(vitalsArguments: [
            "--path.procfs=\(root)", "--collector.timeout=300ms", "--collector.disable-defaults",
            "--collector.loadavg", "--collector.uname",
        ])
        for attempt in 0..<2 {
            let started = Date()
            let body = try exporter.scrape()
            #expect(Date().timeIntervalSince(started) < 3, "scrape \(attempt) took too long")
            #expect(body.contains("node_scrape_collector_success{collector=\"loadavg\"} 0"))
            #expect(body.contains("node_scrape_collector_success{collector=\"uname\"} 1"))
        }
        #expect(exporter.process.output(contains: "timed out"))
        #expect(exporter.process.output(contains: "its previous run has not returned yet"))
    }

    @Test func systemdFailsCleanlyWithoutDBus() throws {
        let exporter = try ExporterUnderTest(vitalsArguments: ["--collector.systemd"])
        let body = try exporter.scrape()
        #expect(body.contains("node_scrape_collector_success{collector=\"systemd\"} 0"))
        #expect(body.contains("node_scrape_collector_success{collector=\"cpu\"} 1"))
        #expect(exporter.process.output(contains: "couldn't get dbus connection"))
    }

    @Test func aClientThatNeverFinishesItsRequestDoesNotBlockScrapes() throws {
        let exporter = try ExporterUnderTest(vitalsArguments: ["--web.read-timeout=1s"])
        var slowlorises: [RawConnection] = []
        for _ in 0..<20 {
            let connection = try RawConnection(port: exporter.port)
            try connection.send("GET /metrics HTTP/1.1\r\nHost: x\r\nX-Slow: ")
            slowlorises.append(connection)
        }
        let started = Date()
        for _ in 0..<5 { #expect(try exporter.get("/metrics").status == 200) }
        #expect(Date().timeIntervalSince(started) < 5)
        for connection in slowlorises { #expect(connection.isClosedByPeer(within: 4)) }
    }

    @Test func aThousandConcurrentConnectionsDoNotCrashItAndMemoryReturns() throws {
        var limit = rlimit()
        getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        limit.rlim_cur = min(limit.rlim_max, 8192)
        setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        #expect(limit.rlim_cur >= 2100, "the test needs 2,100 file descriptors")

        let exporter = try ExporterUnderTest(vitalsArguments: [])
        for _ in 0..<5 { _ = try exporter.scrape() }
        let baseline = try Self.residentBytes(exporter.process.pid)

        var connections: [RawConnection] = []
        for _ in 0..<1000 { connections.append(try RawConnection(port: exporter.port, timeout: 60)) }
        for connection in connections { try connection.send("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n") }
        var statuses: [Int: Int] = [:]
        for connection in connections {
            if let response = try connection.readResponse() { statuses[response.status, default: 0] += 1 }
        }
        let peak = try Self.residentBytes(exporter.process.pid)
        connections.removeAll()
        #expect(exporter.process.process.isRunning)
        #expect(statuses[200, default: 0] > 0)
        #expect(Set(statuses.keys).isSubset(of: [200, 503]), "\(statuses)")
        #expect(statuses.values.reduce(0, +) == 1000)

        // Memory comes back near the baseline once the connections are gone (the exporter trims
        // its heap after a scrape when none is in flight); give it ten seconds of scrapes.
        var after = Int.max
        let deadline = Date().addingTimeInterval(10)
        while after >= baseline + 24 * 1024 * 1024, Date() < deadline {
            _ = try exporter.scrape()
            after = try Self.residentBytes(exporter.process.pid)
        }
        #expect(after < baseline + 24 * 1024 * 1024, "baseline \(baseline), peak \(peak), after \(after)")
    }

    static func residentBytes(_ pid: Int32) throws -> Int {
        let status = try String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
        guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
            let kilobytes = Int(line.split(separator: " ").dropFirst().first ?? "")
        else { throw MissingPrerequisite("no VmRSS for \(pid)") }
        return kilobytes * 1024
    }
}
