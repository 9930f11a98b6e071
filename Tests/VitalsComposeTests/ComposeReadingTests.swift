import Testing

@testable import VitalsCompose

/// The pieces of compose's own behaviour the import relies on: interpolation, `.env`, port
/// mappings and merging several files.
@Suite struct ComposeReadingTests {
    @Test func interpolationFollowsCompose() throws {
        let interpolation = ComposeInterpolation(environment: ["SET": "x", "EMPTY": ""])
        #expect(try interpolation.apply("${SET}-$SET-${SET:-d}-${EMPTY:-d}-${EMPTY-d}-${UNSET-d}").text == "x-x-x-d--d")
        #expect(try interpolation.apply("$$SET costs $$5").text == "$SET costs $5")
        #expect(try interpolation.apply("${SET:+alt}${EMPTY:+alt}${UNSET+alt}").text == "alt")
        let (text, unset) = try interpolation.apply("a${UNSET}b$OTHER")
        #expect(text == "ab" && unset == ["UNSET", "OTHER"])
        #expect(throws: ComposeInterpolation.Failure.required(variable: "UNSET", message: "say why")) {
            try interpolation.apply("${UNSET:?say why}")
        }
        #expect(throws: ComposeInterpolation.Failure.required(variable: "EMPTY", message: "")) {
            try interpolation.apply("${EMPTY:?}")
        }
        #expect(throws: ComposeInterpolation.Failure.self) { try interpolation.apply("${UNCLOSED") }
    }

    @Test func dotEnvReadsLikeCompose() {
        let values = DotEnv.parse(
            """
            # a comment
            PLAIN=value
            export EXPORTED=yes
            QUOTED="two words # not a comment"
            SINGLE='$NOT_EXPANDED'
            TRAILING=value # a comment
            EMPTY=
            not a line
            """)
        #expect(values["PLAIN"] == "value" && values["EXPORTED"] == "yes")
        #expect(values["QUOTED"] == "two words # not a comment")
        #expect(values["SINGLE"] == "$NOT_EXPANDED")
        #expect(values["TRAILING"] == "value" && values["EMPTY"] == "")
        #expect(values.count == 6)
    }

    @Test(
        arguments: [
            ("8000", nil, [], 8000),
            ("8000:8000", nil, [8000], 8000),
            ("9090:80/udp", nil, [9090], 80),
            ("127.0.0.1:8000-8002:8000", "127.0.0.1", [8000, 8001, 8002], 8000),
            ("[::1]:9000:9000", "::1", [9000], 9000),
        ] as [(String, String?, [Int], Int)])
    func shortPortMappings(text: String, hostIP: String?, published: [Int], target: Int) throws {
        let tree = ComposeTree.scalar(text, .init(file: "f", line: 1, column: 1))
        let mapping = try ServiceReader().portMapping(tree, service: "s")
        #expect(mapping.hostIP == hostIP && mapping.published == published && mapping.target == target)
    }

    @Test func laterFilesOverrideAndJoinLikeCompose() throws {
        let position = ComposeTree.Position(file: "f", line: 1, column: 1)
        func scalar(_ text: String) -> ComposeTree { .scalar(text, position) }
        let base = ComposeTree.mapping(
            [
                ("image", scalar("app:1")), ("ports", .sequence([scalar("8000:8000")], position)),
                ("command", .sequence([scalar("a"), scalar("b")], position)),
                ("healthcheck", .mapping([("interval", scalar("10s")), ("retries", scalar("3"))], position)),
            ], position)
        let override = ComposeTree.mapping(
            [
                ("image", scalar("app:2")), ("ports", .sequence([scalar("9000:9000")], position)),
                ("command", .sequence([scalar("c")], position)),
                ("healthcheck", .mapping([("interval", scalar("30s"))], position)),
            ], position)
        let merged = ComposeTree.merge(base, override)
        #expect(merged["image"]?.string == "app:2")
        #expect(merged["ports"]?.items?.compactMap(\.string) == ["8000:8000", "9000:9000"])
        #expect(merged["command"]?.items?.compactMap(\.string) == ["c"])
        #expect(merged["healthcheck"]?["interval"]?.string == "30s")
        #expect(merged["healthcheck"]?["retries"]?.string == "3")
    }

    @Test func healthcheckURLsAreFoundInCurlWgetAndPython() {
        func url(_ test: [String]) -> HealthcheckURL? {
            HealthcheckURL(ComposeService.Healthcheck(test: test, shell: false))
        }
        #expect(
            url(["curl", "-f", "http://localhost:8000/health"])
                == HealthcheckURL(scheme: "http", port: 8000, path: "/health"))
        #expect(url(["/bin/sh", "-c", "wget -qO- https://127.0.0.1/ready || exit 1"])?.effectivePort == 443)
        #expect(
            url(["python", "-c", "import urllib.request; urllib.request.urlopen('http://localhost:5000/ping')"])?.path
                == "/ping")
        #expect(url(["redis-cli", "ping"]) == nil)
        #expect(url(["/bin/sh", "-c", "nc -z localhost 80"]) == nil)
    }
}
