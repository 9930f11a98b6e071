import Foundation
import Testing
import VitalsDocuments
import VitalsOrchestrator
import VitalsPageStyle
import VitalsProbe
import VitalsStack
import VitalsStatusPage
import VitalsTestSupport

/// The status document and page rendered from real stack states: what they say, that the HTML is
/// valid HTML5 (html5lib) and the JSON matches its schema (jsonschema), and that every text colour
/// meets WCAG AA against its background.
@Suite struct StatusPageTests {
    /// web (2 replicas, one failing), api (ready, but blocked by web) and db (ready).
    static let stack = Stack(
        name: "shop",
        services: [
            Service(
                name: "web", kind: .http,
                endpoints: [Endpoint(host: "10.0.0.1", port: 80), Endpoint(host: "10.0.0.2", port: 80)],
                dependsOn: [], metrics: nil,
                probes: [ProbeSpec(kind: .readiness, handler: .tcpSocket(port: nil), timing: ProbeTiming())],
                probesFromKind: false),
            Service(
                name: "api", kind: .fastapi, endpoints: [Endpoint(host: "10.0.0.3", port: 8000)], dependsOn: ["web"],
                metrics: nil,
                probes: [ProbeSpec(kind: .readiness, handler: .tcpSocket(port: nil), timing: ProbeTiming())],
                probesFromKind: false),
            Service(
                name: "db", kind: .postgres, endpoints: [Endpoint(host: "10.0.0.4", port: 5432)], dependsOn: [],
                metrics: nil,
                probes: [ProbeSpec(kind: .readiness, handler: .tcpSocket(port: nil), timing: ProbeTiming())],
                probesFromKind: false),
        ])

    /// The stack's status when `failing` replicas fail their readiness probe and the rest pass.
    static func status(failing: Set<String>, message: String = "dial tcp 10.0.0.2:80: connect: connection refused")
        -> StackStatus
    {
        var states: [StateKey: ProbeState] = [:]
        for service in stack.services {
            for endpoint in service.endpoints {
                var timing = ProbeTiming()
                timing.failureThreshold = 1
                var state = ProbeState(kind: .readiness, timing: timing)
                let fails = failing.contains(endpoint.description)
                state.record(
                    fails
                        ? ProbeResult(outcome: .failure, durationSeconds: 0.003, message: message)
                        : ProbeResult(outcome: .success, statusCode: 200, durationSeconds: 0.012))
                states[StateKey(service: service.name, endpoint: endpoint, probe: .readiness)] = state
            }
        }
        return StackStatus.evaluate(stack: stack, services: stack.services, states: states)
    }

    static let start = 1_764_600_000.0  // 2025-12-01 14:40:00 UTC

    @Test func theDocumentSaysWhatIsDownAndWhy() throws {
        let history = StatusHistory()
        history.record(Self.status(failing: []), at: Self.start)
        let failing = Self.status(failing: ["10.0.0.2:80"])
        history.record(failing, at: Self.start + 30)
        let document = StatusDocument(status: failing, history: history, now: Self.start + 31, version: "test")
        #expect(document.state == .degraded)
        #expect(document.summary == "1 of 3 services ready")
        let json = document.json
        let services = try #require(json["services"]?.arrayValue)
        let web = try #require(services.first { $0["name"]?.stringValue == "web" })
        #expect(web["state"]?.stringValue == "degraded")
        #expect(web["readyReplicas"]?.integerValue == 1 && web["replicas"]?.integerValue == 2)
        #expect(web["lastError"]?.stringValue == "10.0.0.2:80: dial tcp 10.0.0.2:80: connect: connection refused")
        let api = try #require(services.first { $0["name"]?.stringValue == "api" })
        #expect(api["state"]?.stringValue == "blocked" && api["blockedBy"]?.stringValue == "web")
        // Two samples of web: ready, then not; one transition each for web and api.
        #expect(web["uptime"]?["1h"] == .number(0.5))
        let transitions = try #require(json["transitions"]?.arrayValue)
        #expect(Set(transitions.compactMap { $0["service"]?.stringValue }) == ["web", "api"])
        #expect(transitions.allSatisfy { $0["ready"] == .boolean(false) && $0["at"] == .number(Self.start + 30) })
        // All down: the headline says so.
        let down = StatusDocument(
            status: Self.status(failing: ["10.0.0.1:80", "10.0.0.2:80"]), history: history, now: Self.start + 40,
            version: "test")
        #expect(down.state == .down)
    }

    @Test func historyIsPerMinuteBoundedAndForgetsOldMinutes() {
        let history = StatusHistory()
        // One sample every 5 s for 25 hours: web ready for the first 24 h, then down.
        var time = Self.start
        while time < Self.start + 25 * 3600 {
            let down = time >= Self.start + 24 * 3600
            history.record(Self.status(failing: down ? ["10.0.0.1:80", "10.0.0.2:80"] : []), at: time)
            time += 5
        }
        // The last hour: down throughout; the last day (24 hour buckets, the current one partial):
        // ready except for the last hour.
        #expect(history.uptime("web", over: .hour, at: time) == 0)
        let day = history.uptime("web", over: .day, at: time) ?? -1
        #expect(abs(day - 23.0 / 24.0) < 0.01, "\(day)")
        #expect(history.minutes("web", at: time).count == 60)
        // Seen at the last sample, every minute of the hour holds its 12 samples, none ready.
        #expect(history.minutes("web", at: time - 5).allSatisfy { $0.samples == 12 && $0.ready == 0 })
        // A quiet hour later, the minute buckets are empty again, not stale.
        #expect(history.minutes("web", at: time + 3600).allSatisfy { $0.samples == 0 })
        #expect(history.uptime("web", over: .hour, at: time + 3600) == nil)
        #expect(history.transitions().count == 2)  // web and api became not ready, once
        #expect(history.uptime("nope", over: .hour, at: time) == nil)
    }

    @Test func thePageShowsStatesInWordsAndEscapesWhatProbesSay() {
        let history = StatusHistory()
        let status = Self.status(failing: ["10.0.0.2:80"], message: "<script>alert(1)</script> & \u{7}bell")
        history.record(status, at: Self.start)
        let html = StatusPage(document: StatusDocument(status: status, history: history, now: Self.start, version: "t"))
            .html
        #expect(html.contains("<span class=\"badge state-degraded\">Degraded</span> 1 of 3 services ready"))
        #expect(html.contains("<li class=\"service\" id=\"service-api\" data-state=\"blocked\">"))
        #expect(html.contains("<dt>Blocked by</dt><dd>web</dd>"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; \u{FFFD}bell"))
        #expect(!html.contains("<script>alert"))
        #expect(html.contains("kept in memory only: a restart of vitals serve starts it again"))
        #expect(html.contains("<main>") && html.contains("<h2 id=\"services-heading\">Services</h2>"))
    }

    @Test func everyTextColourMeetsWCAGAA() {
        #expect(abs(PagePalette.contrast("#000000", "#ffffff") - 21) < 1e-9)
        #expect(abs(PagePalette.contrast("#777777", "#ffffff") - 4.48) < 0.01)
        for palette in [PagePalette.light, PagePalette.dark] {
            for pair in palette.textPairs {
                let ratio = PagePalette.contrast(pair.foreground, pair.background)
                #expect(ratio >= 4.5, "\(pair.name): \(pair.foreground) on \(pair.background) is \(ratio):1")
            }
        }
    }

    /// The page parses without a single error in html5lib, and the document validates against
    /// schemas/status.schema.json, for a stack that is ready, one that is partly down, and one with
    /// no history yet.
    @Test(.timeLimit(.minutes(2))) func thePageIsValidHTML5AndTheDocumentMatchesItsSchema() throws {
        let python = TestPaths.packageRoot + "/.build-drill/venv/bin/python3"
        guard FileManager.default.isExecutableFile(atPath: python) else {
            throw MissingPrerequisite("the Python environment is missing; scripts/test creates .build-drill/venv")
        }
        let directory = try TestPaths.temporaryDirectory("status-page")
        let history = StatusHistory()
        var index = 0
        for failing in [Set<String>(), ["10.0.0.2:80"], ["10.0.0.1:80", "10.0.0.2:80", "10.0.0.4:5432"]] {
            let status = Self.status(failing: failing)
            if index > 0 { history.record(status, at: Self.start + Double(index) * 60) }
            let document = StatusDocument(
                status: status, history: index == 0 ? StatusHistory() : history,
                now: Self.start + Double(index) * 60 + 1, version: "test")
            try StatusPage(document: document).html.write(
                toFile: "\(directory)/page-\(index).html", atomically: true, encoding: .utf8)
            try document.json.text.write(toFile: "\(directory)/status-\(index).json", atomically: true, encoding: .utf8)
            index += 1
        }
        let script = """
            import glob, json, sys, html5lib, jsonschema
            schema = json.load(open(sys.argv[2]))
            problems = []
            for path in sorted(glob.glob(sys.argv[1] + "/page-*.html")):
                parser = html5lib.HTMLParser(strict=False)
                parser.parse(open(path, "rb").read())
                problems += ["%s: %s" % (path, error) for error in parser.errors]
            for path in sorted(glob.glob(sys.argv[1] + "/status-*.json")):
                for error in jsonschema.Draft7Validator(schema).iter_errors(json.load(open(path))):
                    problems.append("%s: %s at %s" % (path, error.message, list(error.path)))
            print("\\n".join(problems) or "ok")
            sys.exit(1 if problems else 0)
            """
        let result = try runCommand(
            python, ["-c", script, directory, TestPaths.packageRoot + "/schemas/status.schema.json"])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("ok"))
    }
}
