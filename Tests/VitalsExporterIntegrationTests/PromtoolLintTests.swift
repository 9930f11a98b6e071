import Foundation
import Testing
import VitalsTestSupport
import VitalsTestTraits

/// `promtool check metrics` on a real scrape finds nothing beyond what node_exporter's own
/// `checkmetrics.sh` tolerates: lint findings for its inherited names `^node_(entropy|memory|netstat|wifi_station)_`.
@Suite(.blockingWork) struct PromtoolLintTests {
    static let tolerated = try! NSRegularExpression(pattern: "^node_(entropy|memory|netstat|wifi_station)_")

    @Test func scrapePassesPromtoolCheckMetrics() throws {
        guard let promtool = TestPaths.tool("promtool") else {
            throw MissingPrerequisite("promtool is not installed; run scripts/test, which installs Debian's prometheus")
        }
        let textfiles = try TestPaths.temporaryDirectory("textfile")
        let exporter = try ExporterUnderTest(vitalsArguments: ["--collector.textfile.directory=\(textfiles)"])
        let scrape = try exporter.scrape()
        let file = textfiles + "/../scrape-\(UUID().uuidString).txt"
        try scrape.write(toFile: file, atomically: true, encoding: .utf8)
        let result = try runCommand("/bin/sh", ["-c", "\(promtool) check metrics < '\(file)'"])
        let findings = result.output.split(separator: "\n").map(String.init).filter { !$0.isEmpty }
        let unexpected = findings.filter { line in
            Self.tolerated.firstMatch(in: line, range: NSRange(line.startIndex..., in: line)) == nil
        }
        #expect(!result.output.contains("error while linting"), "\(result.output)")
        #expect(unexpected.isEmpty, "promtool findings: \(unexpected.joined(separator: "\n"))")
    }
}
