import Foundation
import Testing
import VitalsTestSupport
import VitalsTestTraits

/// The status page in a real browser: Debian's Chromium, headless, against a running vitals serve
/// watching real HTTP services whose health the test switches. For each state it reads the DOM
/// Chromium rendered and checks that what the page shows (the headline, each service's state,
/// ready replicas, the blocking dependency) is what /api/v1/status and the services' real state
/// say, that the page logged nothing to the console, and keeps a screenshot
/// (.build/test-artifacts/status-page/).
@Suite(.serialized, .blockingWork) struct StatusPageBrowserTests {
    static let artifacts = TestPaths.packageRoot + "/.build/test-artifacts/status-page"

    /// web has two replicas (two servers), api depends on db.
    static func stack(web: [Int], api: Int, db: Int) -> String {
        let probe = "probes:\n      readiness: {httpGet: {path: /health/ready}, periodSeconds: 1, failureThreshold: 1}"
        return """
            name: shop
            services:
              web:
                kind: http
                endpoints: [\(web.map { "\"127.0.0.1:\($0)\"" }.joined(separator: ", "))]
                \(probe)
              db:
                kind: http
                endpoints: ["127.0.0.1:\(db)"]
                \(probe)
              api:
                kind: http
                endpoints: ["127.0.0.1:\(api)"]
                dependsOn: [db]
                \(probe)
            """
    }

    struct Browser {
        let chromium: String
        let profile: String

        init() throws {
            guard let chromium = TestPaths.tool("chromium") else {
                throw MissingPrerequisite("chromium is not installed; scripts/test installs Debian's chromium")
            }
            self.chromium = chromium
            profile = try TestPaths.temporaryDirectory("chromium-profile")
        }

        func arguments(_ extra: [String]) -> [String] {
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                "--user-data-dir=\(profile)", "--enable-logging=stderr", "--v=0",
            ] + extra
        }

        /// The DOM after the page's script ran for a few (virtual) seconds, and Chromium's log.
        func dom(_ url: String) throws -> (dom: String, log: String) {
            let directory = try TestPaths.temporaryDirectory("chromium-dom")
            let script =
                "'\(chromium)' \(arguments(["--virtual-time-budget=3000", "--dump-dom", url]).map { "'\($0)'" }.joined(separator: " ")) > '\(directory)/dom.html' 2> '\(directory)/log.txt'"
            let result = try runCommand("/bin/sh", ["-c", script], timeout: 90)
            guard result.status == 0 else { throw MissingPrerequisite("chromium --dump-dom failed: \(result.output)") }
            return (
                try String(contentsOfFile: "\(directory)/dom.html", encoding: .utf8),
                try String(contentsOfFile: "\(directory)/log.txt", encoding: .utf8)
            )
        }

        func screenshot(_ url: String, to path: String, width: Int, dark: Bool = false) throws {
            var extra = ["--screenshot=\(path)", "--window-size=\(width),1400", "--hide-scrollbars"]
            if dark { extra.append("--force-dark-mode") }
            let result = try runCommand(chromium, arguments(extra + [url]), timeout: 90)
            guard result.status == 0 else {
                throw MissingPrerequisite("chromium --screenshot failed: \(result.output)")
            }
        }
    }

    static func status(_ port: Int) -> [String: Any]? {
        guard let body = try? httpGet(port: port, path: "/api/v1/status").bodyText else { return nil }
        return try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any]
    }

    /// The `<li>` of a service in the rendered DOM.
    static func serviceItem(_ dom: String, _ name: String) -> Substring? {
        guard let start = dom.range(of: "<li class=\"service\" id=\"service-\(name)\"") else { return nil }
        let rest = dom[start.lowerBound...]
        guard let end = rest.range(of: "</details>") else { return nil }
        return rest[..<end.upperBound]
    }

    /// Checks the rendered page against the API, state by state.
    static func expectPageMatches(
        _ dom: String, _ status: [String: Any], sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let state = status["state"] as? String ?? "?"
        #expect(dom.contains("id=\"headline\" data-state=\"\(state)\""), sourceLocation: sourceLocation)
        for service in status["services"] as? [[String: Any]] ?? [] {
            let name = service["name"] as? String ?? "?"
            guard let item = serviceItem(dom, name) else {
                Issue.record("no \(name) in the page", sourceLocation: sourceLocation)
                continue
            }
            #expect(
                item.contains("data-state=\"\(service["state"] as? String ?? "?")\""), sourceLocation: sourceLocation)
            let replicas = "\(service["readyReplicas"] as? Int ?? -1)/\(service["replicas"] as? Int ?? -1) replicas"
            #expect(item.contains("<dt>Ready</dt><dd>\(replicas)</dd>"), "\(name)", sourceLocation: sourceLocation)
            if let blockedBy = service["blockedBy"] as? String {
                #expect(item.contains("<dt>Blocked by</dt><dd>\(blockedBy)</dd>"), sourceLocation: sourceLocation)
            } else {
                #expect(!item.contains("Blocked by"), sourceLocation: sourceLocation)
            }
        }
    }

    @Test(.timeLimit(.minutes(5))) func thePageShowsWhatTheProbesSeeInAHeadlessBrowser() async throws {
        let browser = try Browser()
        try FileManager.default.createDirectory(atPath: Self.artifacts, withIntermediateDirectories: true)
        let web1 = try await HealthTargetServer()
        let web2 = try await HealthTargetServer()
        let api = try await HealthTargetServer()
        let db = try await HealthTargetServer()
        try await withTeardown({
            for server in [web1, web2, api, db] { await server.close() }
        }) {
            let directory = try TestPaths.temporaryDirectory("status-browser")
            let file = directory + "/stack.yaml"
            try Self.stack(web: [web1.port, web2.port], api: api.port, db: db.port)
                .write(toFile: file, atomically: true, encoding: .utf8)
            let port = freePort()
            let serve = try ManagedProcess(
                TestPaths.product("vitals"), ["serve", file, "--web.listen-address", "127.0.0.1:\(port)"])
            defer { serve.stop() }
            let url = "http://127.0.0.1:\(port)/"

            /// Waits for the API to report `state`, then checks the page against it.
            func check(_ name: String, state: String, services: [String: String], dark: Bool = false) async throws {
                var seen: [String: Any]?
                let reached = await eventually(within: 20, every: 0.2) {
                    seen = Self.status(port)
                    let states = Dictionary(
                        uniqueKeysWithValues: (seen?["services"] as? [[String: Any]] ?? []).map {
                            ($0["name"] as? String ?? "", $0["state"] as? String ?? "")
                        })
                    return seen?["state"] as? String == state && states == services
                }
                #expect(reached, "\(name): \(String(describing: seen)) \(serve.outputText.suffix(1000))")
                let (dom, log) = try browser.dom(url)
                // The page reloads itself only when the state changes, which it does not here.
                if let status = Self.status(port) { Self.expectPageMatches(dom, status) }
                let console = log.split(separator: "\n").filter { $0.contains(":CONSOLE") }
                #expect(console.isEmpty, "\(name): the page logged to the console: \(console)")
                let shot = "\(Self.artifacts)/\(name).png"
                try browser.screenshot(url, to: shot, width: dark ? 390 : 1280, dark: dark)
                let size = (try? FileManager.default.attributesOfItem(atPath: shot)[.size] as? Int) ?? 0
                #expect(size > 10_000, "\(name): screenshot \(shot) has \(size) bytes")
            }

            try await check("all-ready", state: "ready", services: ["web": "ready", "db": "ready", "api": "ready"])
            web2.set("/health/ready", status: 503)
            try await check(
                "one-replica-failing", state: "degraded", services: ["web": "degraded", "db": "ready", "api": "ready"])
            web2.set("/health/ready", status: 200)
            db.set("/health/ready", status: 503)
            try await check(
                "blocked-by-dependency", state: "down", services: ["web": "ready", "db": "down", "api": "blocked"])
            try await check(
                "dark-mode-phone", state: "down", services: ["web": "ready", "db": "down", "api": "blocked"], dark: true
            )
        }
    }

    /// `--web.config.file` protects the page, its assets and its API like every other path.
    @Test func basicAuthProtectsThePageItsAssetsAndItsAPI() async throws {
        let htpasswd = try #require(TestPaths.tool("htpasswd"), "apache2-utils is not installed; run scripts/test")
        let made = try runCommand(htpasswd, ["-nbBC", "4", "oncall", "s3cret"])
        let hash = String(made.output.split(separator: "\n")[0].split(separator: ":", maxSplits: 1)[1])
        let directory = try TestPaths.temporaryDirectory("status-auth")
        try "basic_auth_users:\n  oncall: '\(hash)'\n".write(
            toFile: directory + "/web.yml", atomically: true, encoding: .utf8)
        let target = try await HealthTargetServer()
        try await withTeardown({ await target.close() }) {
            try Self.stack(web: [target.port], api: target.port, db: target.port)
                .write(toFile: directory + "/stack.yaml", atomically: true, encoding: .utf8)
            let port = freePort()
            let serve = try ManagedProcess(
                TestPaths.product("vitals"),
                [
                    "serve", directory + "/stack.yaml", "--web.listen-address", "127.0.0.1:\(port)",
                    "--web.config.file", directory + "/web.yml",
                ])
            defer { serve.stop() }
            #expect(await eventually(within: 15) { (try? httpGet(port: port, path: "/health/live")) != nil })
            let credentials = "Basic " + Data("oncall:s3cret".utf8).base64EncodedString()
            for path in ["/", "/api/v1/status", "/static/status.css", "/static/status.js"] {
                #expect(try httpGet(port: port, path: path).status == 401, "\(path)")
                #expect(try httpGet(port: port, path: path, headers: ["Authorization": credentials]).status == 200)
            }
        }
    }
}
