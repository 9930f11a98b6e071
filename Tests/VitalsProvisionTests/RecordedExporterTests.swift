import Foundation
import Testing
import VitalsExposition
import VitalsProvision
import VitalsStack
import VitalsStackFile
import VitalsTestSupport

/// The generated rules against what the real exporters expose (Tests/Fixtures/recorded, made by
/// scripts/record-exporters): every metric a rule or a unit test reads must exist, with the label
/// names the rule and the test give it, and the label values they match on, so that no alert
/// passes promtool on invented series and stays silent on the day.
@Suite struct RecordedExporterTests {
    /// What one exporter's recording holds: per metric, the label sets of its series.
    struct Recording {
        var series: [String: [[String: String]]] = [:]

        init(_ files: [String]) throws {
            for file in files {
                let text = try String(
                    contentsOfFile: TestPaths.packageRoot + "/Tests/Fixtures/recorded/\(file).prom", encoding: .utf8)
                let families = try TextFormatParser().parse(Array(text.utf8)).families
                for family in families {
                    for metric in family.metrics {
                        let labels = Dictionary(metric.labels.map { ($0.name, $0.value) }) { first, _ in first }
                        switch metric.value {
                        case .histogram(let histogram):
                            for bucket in histogram.buckets {
                                series[family.name + "_bucket", default: []].append(
                                    labels.merging(["le": Self.pythonBound(bucket.upperBound, file: text)]) { $1 })
                            }
                            series[family.name + "_sum", default: []].append(labels)
                            series[family.name + "_count", default: []].append(labels)
                        case .summary:
                            series[family.name + "_sum", default: []].append(labels)
                            series[family.name + "_count", default: []].append(labels)
                        case .sample:
                            series[family.name, default: []].append(labels)
                        }
                    }
                }
            }
        }

        /// A bucket bound as the exporter wrote it (Python writes `1.0`, Go writes `1`).
        static func pythonBound(_ bound: Double, file: String) -> String {
            if bound.isInfinite { return "+Inf" }
            let go = NumberTextForTests.shortest(bound)
            let python = go.contains(".") || go.contains("e") ? go : go + ".0"
            return file.contains("le=\"\(python)\"") ? python : go
        }
    }

    /// Which recordings each rule group reads.
    static func recordings(for group: String, kind: ServiceKind?) -> [String] {
        if group.hasSuffix("/host") { return ["node_exporter", "vitals-exporter"] }
        if group.hasSuffix("/stack") { return ["vitals-serve"] }
        if group.hasSuffix("/containers") { return ["vitals-exporter-containers", "vitals-serve-containers"] }
        switch kind {
        case .fastapi: return ["fastapi_instrumentator"]
        case .redis: return ["redis_exporter"]
        case .celery: return ["flower", "redis_exporter"]
        case .postgres: return ["postgres_exporter"]
        default: return []
        }
    }

    /// Labels Prometheus attaches at scrape time, which no exporter exposes.
    static let targetLabels: Set<String> = ["job", "instance", "stack", "service"]

    static let stack = """
        name: recorded
        nodes: ["node:9100"]
        services:
          backend:
            kind: fastapi
            endpoints: ["backend-1:8000"]
            dependsOn: [redis, postgres]
            metrics: {path: /metrics}
          redis:
            kind: redis
            endpoints: ["redis:6379"]
            metrics: {targets: ["redis-exporter:9121"]}
          worker:
            kind: celery
            dependsOn: [redis]
            metrics: {exporter: flower, targets: ["flower:5555"]}
          postgres:
            kind: postgres
            endpoints: ["postgres:5432"]
            metrics: {targets: ["postgres-exporter:9187"]}
          vitals:
            kind: vitals
            endpoints: ["vitals:9110"]
          sidecar:
            kind: tcp
            replicas: 1
        """

    @Test func everySelectorOfEveryRuleMatchesTheRealExporters() throws {
        let stack = try StackLoader.parse(Self.stack, file: "recorded.yaml")
        let files = try Provisioner.files(for: stack)
        var checked = 0
        for rules in files where rules.path.hasPrefix("prometheus/rules/") {
            let group = Self.values(of: "name", in: rules.contents).first ?? ""
            let service = stack.service(named: String(group.split(separator: "/").last ?? ""))
            let recording = try Recording(Self.recordings(for: group, kind: service?.kind))
            for expr in Self.values(of: "expr", in: rules.contents) {
                for selector in PromQLSelectors.extract(expr) where selector.name != "up" {
                    checked += 1
                    let series = recording.series[selector.name] ?? []
                    #expect(
                        !series.isEmpty,
                        "\(group): \(selector.name) is not exposed by \(Self.recordings(for: group, kind: service?.kind))"
                    )
                    for matcher in selector.matchers where !Self.targetLabels.contains(matcher.name) {
                        #expect(
                            series.contains { $0[matcher.name] != nil },
                            "\(group): \(selector.name) has no label \(matcher.name)")
                        if matcher.op == "=" {
                            #expect(
                                series.contains { $0[matcher.name] == matcher.value },
                                "\(group): no \(selector.name) series has \(matcher.name)=\"\(matcher.value)\"")
                        }
                    }
                }
            }
        }
        #expect(checked > 40)
    }

    /// promtool's input series have the names, label names and bucket bounds of real series.
    @Test func unitTestInputsHaveTheShapeOfRealSeries() throws {
        let stack = try StackLoader.parse(Self.stack, file: "recorded.yaml")
        let files = try Provisioner.files(for: stack)
        var checked = 0
        for test in files where test.path.hasPrefix("prometheus/tests/") {
            let rules = try #require(
                files.first { $0.path == test.path.replacingOccurrences(of: "/tests/", with: "/rules/") })
            let group = Self.values(of: "name", in: rules.contents).first ?? ""
            let service = stack.service(named: String(group.split(separator: "/").last ?? ""))
            let recording = try Recording(Self.recordings(for: group, kind: service?.kind))
            for input in Self.values(of: "series", in: test.contents) {
                guard let selector = PromQLSelectors.extract(input).first, selector.name != "up" else { continue }
                checked += 1
                let names = Set(selector.matchers.map(\.name)).subtracting(Self.targetLabels)
                let real = recording.series[selector.name] ?? []
                #expect(
                    real.contains { Set($0.keys).subtracting(Self.targetLabels) == names },
                    "\(group): test input \(input) has labels \(names.sorted()); the exporter's series have \(Set(real.map { $0.keys.sorted() }))"
                )
                if let le = selector.matchers.first(where: { $0.name == "le" }) {
                    #expect(
                        real.contains { $0["le"] == le.value }, "\(group): bucket le=\"\(le.value)\" does not exist")
                }
            }
        }
        #expect(checked > 40)
    }

    /// Quoted values of `key:` lines in a generated YAML file.
    static func values(of key: String, in yaml: String) -> [String] {
        yaml.split(separator: "\n").compactMap { line -> String? in
            let trimmed = line.drop { $0 == " " || $0 == "-" }.drop { $0 == " " }
            guard trimmed.hasPrefix(key + ": ") else { return nil }
            var value = String(trimmed.dropFirst(key.count + 2))
            if value.hasPrefix("\""), value.hasSuffix("\"") {
                value = String(value.dropFirst().dropLast()).replacingOccurrences(of: "\\\"", with: "\"")
                    .replacingOccurrences(of: "\\\\", with: "\\")
            }
            return value
        }
    }
}

/// `name{label="value",...}` selectors in a PromQL expression or a promtool series.
enum PromQLSelectors {
    struct Matcher {
        var name: String
        var op: String
        var value: String
    }

    struct Selector {
        var name: String
        var matchers: [Matcher]
    }

    static func extract(_ expr: String) -> [Selector] {
        var selectors: [Selector] = []
        let characters = Array(expr)
        var index = 0
        while index < characters.count {
            guard characters[index] == "{" else {
                index += 1
                continue
            }
            var start = index
            while start > 0,
                characters[start - 1].isLetter || characters[start - 1].isNumber || characters[start - 1] == "_"
                    || characters[start - 1] == ":"
            {
                start -= 1
            }
            let name = String(characters[start..<index])
            var end = index + 1
            var inString = false
            while end < characters.count, inString || characters[end] != "}" {
                if characters[end] == "\\" { end += 1 } else if characters[end] == "\"" { inString.toggle() }
                end += 1
            }
            let body = String(characters[(index + 1)..<min(end, characters.count)])
            if !name.isEmpty { selectors.append(Selector(name: name, matchers: matchers(body))) }
            index = end + 1
        }
        return selectors
    }

    static func matchers(_ body: String) -> [Matcher] {
        var result: [Matcher] = []
        var rest = Substring(body)
        while let op = rest.range(of: "!~") ?? rest.range(of: "=~") ?? rest.range(of: "!=") ?? rest.range(of: "="),
            let open = rest[op.upperBound...].firstIndex(of: "\"")
        {
            // The earliest operator wins.
            let candidates = ["!~", "=~", "!=", "="].compactMap { rest.range(of: $0) }
            let first = candidates.min { $0.lowerBound < $1.lowerBound }!
            let name = rest[..<first.lowerBound].trimmingCharacters(in: CharacterSet(charactersIn: " ,"))
            var close = rest.index(after: rest[first.upperBound...].firstIndex(of: "\"") ?? open)
            var value = ""
            while close < rest.endIndex, rest[close] != "\"" {
                if rest[close] == "\\" { close = rest.index(after: close) }
                if close < rest.endIndex { value.append(rest[close]) }
                close = rest.index(after: close)
            }
            result.append(Matcher(name: name, op: String(rest[first]), value: value))
            rest = close < rest.endIndex ? rest[rest.index(after: close)...] : ""
        }
        return result
    }
}

/// Go's shortest float text, for bucket bounds.
enum NumberTextForTests {
    static func shortest(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int(value)) }
        return "\(value)"
    }
}
