import Testing
import VitalsSystem

@testable import VitalsStack
@testable import VitalsStackFile

@Suite struct StackLoaderTests {
    static let root: String = {
        "/" + #filePath.split(separator: "/").dropLast(3).joined(separator: "/")
    }()

    @Test func loadsTheChatbotExample() throws {
        let stack = try StackLoader.load(path: Self.root + "/stacks/chatbot.yaml")
        #expect(stack.name == "chatbot")
        #expect(stack.hosts.map(\.description) == ["10.0.0.5:9100", "10.0.0.6:9100"])
        let backend = try #require(stack.service(named: "backend"))
        #expect(backend.kind == .fastapi)
        #expect(backend.endpoints.count == 3)
        #expect(backend.dependsOn == ["redis", "postgres"])
        #expect(backend.probe(.startup)?.timing.periodSeconds == 2)
        #expect(backend.probe(.startup)?.timing.failureThreshold == 30)
        #expect(backend.probe(.readiness)?.timing.failureThreshold == 2)
        #expect(backend.probe(.readiness)?.timing.timeoutSeconds == 2)  // from defaults
        let redis = try #require(stack.service(named: "redis"))
        #expect(redis.probesFromKind)
        #expect(redis.probe(.readiness)?.handler == .redisPing(port: nil))
        #expect(redis.metrics?.targets?.first?.description == "redis-exporter:9121")
        let vitals = try #require(stack.service(named: "vitals"))
        guard case .httpGet(let action) = vitals.probe(.readiness)?.handler else {
            Issue.record("vitals readiness is not HTTP")
            return
        }
        #expect(action.path == "/health/live")
        #expect(stack.closure(of: ["backend"]).map(\.name) == ["postgres", "redis", "backend"])
    }

    @Test func loadsTheLocalExample() throws {
        let stack = try StackLoader.load(path: Self.root + "/stacks/local.yaml")
        #expect(stack.services.map(\.name) == ["host-exporter", "redis"])
    }

    @Test func kindDefaultsFallBackToHealth() throws {
        let stack = try StackLoader.parse(
            "name: s\nservices:\n  api:\n    kind: fastapi\n    endpoints: [\"a:1\"]\n", file: "s.yaml")
        guard case .httpGet(let readiness) = stack.services[0].probe(.readiness)?.handler else {
            Issue.record("no HTTP readiness")
            return
        }
        #expect(readiness.path == "/health/ready")
        #expect(readiness.fallbackPath == "/health")
    }

    @Test func containersWithoutAddressesAreReplicasTheEngineReportsOn() throws {
        let stack = try StackLoader.parse(
            """
            name: chat
            services:
              worker:
                kind: celery
                replicas: 2
              db:
                kind: postgres
                endpoints: ["127.0.0.1:5432"]
                probes:
                  readiness: {container: {name: chat-db-1}, periodSeconds: 2}
                  liveness: {container: {service: postgres, project: other}}
            """, file: "s.yaml")
        let worker = stack.services[0]
        #expect(worker.endpoints == [.engineReplica("worker-1"), .engineReplica("worker-2")])
        #expect(worker.endpoints.map(\.description) == ["worker-1", "worker-2"])
        let readiness = try #require(worker.probe(.readiness))
        #expect(
            readiness.handler
                == .container(ContainerSelector(.composeService(project: nil, service: "worker", number: nil))))
        #expect(readiness.timing.failureThreshold == 1)
        let db = stack.services[1]
        #expect(db.probe(.readiness)?.handler == .container(ContainerSelector(.name("chat-db-1"))))
        #expect(db.probe(.readiness)?.timing.periodSeconds == 2)
        #expect(
            db.probe(.liveness)?.handler
                == .container(ContainerSelector(.composeService(project: "other", service: "postgres", number: nil))))
    }

    /// One case per kind of error: the message, line and column.
    @Test(
        arguments: [
            (
                "name: s\nservices:\n  a:\n    kind: tcp\n    replicas: 2\n    probes:\n      readiness: {tcpSocket: {}}\n",
                7, 7, "has replicas without addresses, so its readiness probe must be a container probe, not TCP"
            ),
            (
                "name: s\nservices:\n  a:\n    kind: tcp\n    endpoints: [\"x:1\"]\n    replicas: 2\n", 6, 15,
                "has both endpoints and replicas"
            ),
            (
                "name: s\nservices:\n  a:\n    kind: tcp\n    replicas: 0\n", 5, 15, "must be from 1 to 1000"
            ),
            (
                "name: s\nservices:\n  a:\n    kind: tcp\n    replicas: 1\n    probes:\n      readiness: {container: {service: a, name: b}}\n",
                7, 30, "container takes service (a compose service) or name (one container), not both"
            ),
            (
                "name: s\nservices:\n  a:\n    kind: tcp\n    replicas: 1\n    probes:\n      readiness: {container: {name: \"a b\"}}\n",
                7, 37, "container.name must be a compose or container name"
            ),
            (
                "name: s\nservices:\n  a:\n    kind: tcp\n    replicas: 1\n    probes:\n      readiness: {container: {}}\n",
                7, 30, "container needs service (a compose service) or name (one container)"
            ),
            (
                "name: s\nservices:\n  a:\n    kind: tcp\n    endpoints: [\"x:1\"]\n    colour: red\n", 6, 5,
                "unknown key \"colour\""
            ),
            ("name: s\nservices:\n  a:\n    kind: tcp\n    endpoints: \"x:1\"\n", 5, 16, "must be a list"),
            (
                "name: s\nservices:\n  a:\n    kind: tcp\n    endpoints: [\"x:99999\"]\n", 5, 17,
                "port must be a number from 1 to 65535"
            ),
            ("name: s\nservices:\n  a:\n    kind: tcp\n    endpoints: [\"no-port\"]\n", 5, 17, "expected host:port"),
            (
                "name: s\nservices:\n  a:\n    kind: tcp\n    endpoints: [\"x:1\"]\n  a:\n    kind: tcp\n    endpoints: [\"y:1\"]\n",
                6, 3, "duplicate"
            ),
            (
                "name: s\nservices:\n  a:\n    kind: tcp\n    endpoints: [\"x:1\"]\n    dependsOn: [b]\n", 6, 5,
                "depends on \"b\", which is not a service"
            ),
            (
                "name: s\nservices:\n  a:\n    kind: tcp\n    endpoints: [\"x:1\"]\n    dependsOn: [b]\n  b:\n    kind: tcp\n    endpoints: [\"y:1\"]\n    dependsOn: [a]\n",
                6, 5, "dependency cycle: a -> b -> a"
            ),
            (
                "name: s\nservices:\n  a:\n    kind: tcp\n    endpoints: [\"x:1\"]\n    probes:\n      readiness: {tcpSocket: {}, failureThreshold: 0}\n",
                7, 52, "failureThreshold must be from 1 to 1000"
            ),
            (
                "name: s\nservices:\n  a:\n    kind: tcp\n    endpoints: [\"x:1\"]\n    probes:\n      liveness: {tcpSocket: {}, successThreshold: 2}\n",
                7, 51, "successThreshold must be 1 for liveness"
            ),
            (
                "name: s\nservices:\n  a:\n    kind: tcp\n    endpoints: [\"x:1\"]\n    probes:\n      readiness: {periodSeconds: ten, tcpSocket: {}}\n",
                7, 34, "must be a whole number"
            ),
            (
                "name: s\nservices:\n  a:\n    kind: mongodb\n    endpoints: [\"x:1\"]\n", 4, 11,
                "unknown kind \"mongodb\""
            ),
            (
                "name: s\nservices:\n  a:\n    kind: tcp\n    endpoints: [\"x:1\"]\n    probes:\n      readiness: {periodSeconds: 5}\n",
                7, 18, "needs one of httpGet, tcpSocket, exec or container"
            ),
            ("services:\n  a:\n    kind: tcp\n    endpoints: [\"x:1\"]\n", 1, 1, "missing key \"name\""),
            ("name: s\nservices:\n  a: [1\n", 4, 1, "invalid YAML"),
            (
                "name: s\nservices:\n  a:\n    kind: redis\n    endpoints: [\"x:1\"]\n    alerts: {errorRatio: 0.1}\n",
                6, 14, "unknown key \"errorRatio\" in service \"a\" alerts; expected one of: memoryRatio, clientsRatio"
            ),
            (
                "name: s\nservices:\n  a:\n    kind: redis\n    endpoints: [\"x:1\"]\n    alerts: {memoryRatio: 1.5}\n",
                6, 27, "alerts.memoryRatio must be from 0.0001 to 0.99, found 1.5"
            ),
            (
                "name: s\nservices:\n  a:\n    kind: tcp\n    endpoints: [\"x:1\"]\n    llm: true\n", 6, 10,
                "llm applies to fastapi services"
            ),
            (
                "name: s\nservices:\n  a: {kind: tcp, endpoints: [\"x:1\"]}\nalerting:\n  receivers:\n    - name: chat\n      slack: {apiURL: \"https://hooks.slack.com/x\"}\n",
                7, 15, "apiURL would write a secret into the generated files; put it in a file and use apiURLFile"
            ),
            (
                "name: s\nservices:\n  a: {kind: tcp, endpoints: [\"x:1\"]}\nalerting:\n  receivers:\n    - name: chat\n      webhook: {url: \"https://x/y\"}\n  criticalReceiver: pager\n",
                8, 21, "\"pager\" is not one of alerting.receivers (chat)"
            ),
            (
                "name: s\nservices:\n  a: {kind: tcp, endpoints: [\"x:1\"]}\nalerting:\n  receivers:\n    - name: chat\n      webhook: {url: \"https://x/y\"}\n    - name: chat\n      webhook: {url: \"https://x/z\"}\n",
                8, 7, "receiver \"chat\" is declared twice"
            ),
            // Durations beyond what Go's int64 nanoseconds hold are errors, not traps.
            (
                "name: s\ndefaults:\n  scrapeInterval: 9999999999h\nservices:\n  a: {kind: tcp, endpoints: [\"x:1\"]}\n",
                3, 19, "defaults.scrapeInterval: invalid duration \"9999999999h\": too large"
            ),
            (
                "name: s\ndefaults:\n  evaluationInterval: 48h\nservices:\n  a: {kind: tcp, endpoints: [\"x:1\"]}\n", 3,
                23, "out of range; expected from 1s to 24h0m0s"
            ),
            (
                "name: s\ndefaults:\n  scrapeInterval: 0\nservices:\n  a: {kind: tcp, endpoints: [\"x:1\"]}\n", 3, 19,
                "must be from 1s to 24h, found 0 seconds"
            ),
            (
                "name: s\ndefaults:\n  scrapeInterval: 99999999999999999999\nservices:\n  a: {kind: tcp, endpoints: [\"x:1\"]}\n",
                3, 19, "too large"
            ),
            (
                String(repeating: "[", count: 100) + String(repeating: "]", count: 100), 1, 65,
                "nested more than 64 deep"
            ),
            (
                "name: s\nservices:\n  a:\n    kind: http\n    endpoints: [\"x:1\"]\n    probes:\n      readiness:\n        httpGet:\n          path: /\n          httpHeaders:\n            - {name: \"X Token\", value: a}\n",
                11, 15, "header name \"X Token\" must be an HTTP token"
            ),
            (
                "name: s\nservices:\n  a:\n    kind: http\n    endpoints: [\"x:1\"]\n    probes:\n      readiness:\n        httpGet:\n          path: /\n          httpHeaders:\n            - {name: X-Token, value: \"a\\r\\nInjected: yes\"}\n",
                11, 15, "header X-Token's value must not contain a line break or NUL"
            ),
            (
                "name: s\nservices:\n  a:\n    kind: http\n    endpoints: [\"x:1\"]\n    probes:\n      readiness: {httpGet: {path: \"/a b\"}}\n",
                7, 35, "httpGet.path must not contain spaces or control characters"
            ),
        ] as [(String, Int, Int, String)])
    func rejectsWithPosition(text: String, line: Int, column: Int, message: String) {
        do {
            _ = try StackLoader.parse(text, file: "bad.yaml")
            Issue.record("expected an error")
        } catch {
            let match = error.errors.first { $0.message.contains(message) }
            #expect(match != nil, "got \(error.errors)")
            #expect(match?.line == line, "\(error.errors)")
            #expect(match?.column == column, "\(error.errors)")
            #expect(match?.description.hasPrefix("bad.yaml:\(line):\(column): ") == true)
        }
    }

    /// Nine anchored lists of nine aliases stand for 9^9 nodes; used as a complex mapping key, Yams
    /// would hash every one of them. The limits reject the file at the alias that crosses them.
    @Test(.timeLimit(.minutes(1))) func anAliasBombIsRejectedBeforeItIsExpanded() {
        var text = "name: s\nservices:\n  a: {kind: tcp, endpoints: [\"x:1\"]}\nbomb:\n"
        text += "  a: &a [x, x, x, x, x, x, x, x, x]\n"
        var previous = "a"
        for name in ["b", "c", "d", "e", "f", "g", "h", "i"] {
            text += "  \(name): &\(name) [" + Array(repeating: "*\(previous)", count: 9).joined(separator: ", ") + "]\n"
            previous = name
        }
        text += "  ? *i\n  : x\n"
        do {
            _ = try StackLoader.parse(text, file: "bomb.yaml")
            Issue.record("expected an error")
        } catch {
            #expect(error.errors.count == 1)
            let first = error.errors.first
            #expect(
                first?.message.contains("aliases expand the document beyond 1000000 nodes") == true, "\(error.errors)")
            // The list of g (9^7 nodes), whose aliases cross the limit, is on line 11.
            #expect(first?.line == 11)
        }
    }

    @Test func anOversizedFileIsRejectedWithItsSize() {
        let text = "name: s\n# " + String(repeating: "x", count: 9 << 20) + "\n"
        let error = #expect(throws: StackFileErrors.self) { try StackLoader.parse(text, file: "big.yaml") }
        #expect(error?.description.contains("stack files may be at most 8388608 bytes") == true)
    }

    @Test func reportsEveryErrorAtOnce() {
        let text = "name: s\nservices:\n  a:\n    kind: nope\n    endpoints: [\"x\"]\n    extra: 1\n"
        do {
            _ = try StackLoader.parse(text, file: "bad.yaml")
            Issue.record("expected errors")
        } catch {
            #expect(error.errors.count == 3, "\(error.errors)")
        }
    }

    /// YAML merge keys, as compose files use them to share settings between services: what a
    /// service sets itself wins, then the first merged mapping listed.
    @Test func mergeKeysShareSettingsAndWhatIsSetExplicitlyWins() throws {
        let stack = try StackLoader.parse(
            """
            name: s
            services:
              api: &python
                kind: fastapi
                endpoints: ["api:8000"]
                probes: &probes
                  readiness: {httpGet: {path: /ready}, periodSeconds: 3}
              worker:
                <<: *python
                endpoints: ["worker:8001"]
              admin:
                <<: [{kind: http, endpoints: ["admin:9000"]}, *python]
                probes:
                  <<: *probes
                  liveness: {tcpSocket: {}, periodSeconds: 7}
            """, file: "merge.yaml")
        let worker = try #require(stack.service(named: "worker"))
        #expect(worker.kind == .fastapi)
        #expect(worker.endpoints.map(\.description) == ["worker:8001"])
        #expect(worker.probe(.readiness)?.timing.periodSeconds == 3)
        let admin = try #require(stack.service(named: "admin"))
        #expect(admin.kind == .http, "the first merged mapping wins")
        #expect(admin.endpoints.map(\.description) == ["admin:9000"])
        #expect(admin.probe(.readiness)?.timing.periodSeconds == 3)
        #expect(admin.probe(.liveness)?.timing.periodSeconds == 7)
    }

    @Test func aBadMergeIsReportedWhereItIsWrittenAndOnce() {
        let text = """
            name: s
            services:
              api: &base
                kind: fastapi
                endpoints: ["api:8000"]
                colour: blue
                probes: {readiness: {tcpSocket: {}, periodSeconds: 0}}
              worker:
                <<: *base
              admin:
                <<: *base
              odd:
                <<: just-a-string
              quoted:
                "<<": {kind: tcp}
            """
        do {
            _ = try StackLoader.parse(text, file: "merge.yaml")
            Issue.record("expected errors")
        } catch {
            let colour = error.errors.filter { $0.message.contains("unknown key \"colour\"") }
            #expect(colour.count == 1, "\(error.errors)")
            #expect(colour.first?.line == 6 && colour.first?.column == 5, "\(error.errors)")
            let scalar = error.errors.first { $0.message.contains("a merge key (<<) takes a mapping") }
            #expect(scalar?.line == 13, "\(error.errors)")
            // A bad value inside the merged mapping is read in three services, reported once.
            #expect(error.errors.filter { $0.line == 7 }.count == 1, "\(error.errors)")
            #expect(
                error.errors.contains { $0.message.contains("unknown key \"<<\"") && $0.line == 15 },
                "a quoted << is an ordinary key: \(error.errors)")
        }
    }

    /// Merge keys cannot be used to get round the alias limits: each level merging the one
    /// before three times is rejected at the alias that crosses them, and a mapping that merges
    /// itself is invalid YAML.
    @Test(.timeLimit(.minutes(1))) func aMergeBombIsRejectedLikeAnAliasBomb() {
        var text = "name: s\nservices:\n  a0: &a0 {kind: tcp, endpoints: [\"x:1\"]}\n"
        for level in 1..<40 {
            text += "  a\(level): &a\(level) {<<: [*a\(level - 1), *a\(level - 1), *a\(level - 1)]}\n"
        }
        let bomb = #expect(throws: StackFileErrors.self) { try StackLoader.parse(text, file: "bomb.yaml") }
        #expect(
            bomb?.description.contains("aliases expand the document beyond 1000000 nodes") == true,
            "\(String(describing: bomb))")
        let itself = #expect(throws: StackFileErrors.self) {
            try StackLoader.parse("name: s\nservices:\n  a: &a {<<: *a}\n", file: "self.yaml")
        }
        #expect(itself?.description.contains("undefined alias") == true, "\(String(describing: itself))")
    }
}
