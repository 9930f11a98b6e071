import Foundation
import Logging
import Testing
import VitalsExposition
import VitalsTestSupport

@testable import VitalsExporter

/// node_exporter's textfile collector test cases: each fixture directory and its expected output.
@Suite struct TextfileCollectorTests {
    static let cases = [
        "no_metric_files", "two_metric_files", "nonexistent_path", "client_side_timestamp",
        "different_metric_types", "inconsistent_metrics", "histogram", "histogram_extra_dimension", "summary",
        "summary_extra_dimension", "metrics_merge_same_help", "metrics_merge_empty_help", "metrics_merge_no_help",
        "metrics_merge_different_help",
    ]

    @Test(arguments: cases)
    func matchesNodeExporterOutput(name: String) throws {
        let fixtures = try FixtureTree.root()
        let workingDirectory = try FixtureTree.workingDirectory()
        var options = TextfileOptions()
        // Upstream runs from collector/ with fixtures/textfile/<case>; paths in the output are relative.
        options.directories = ["\(workingDirectory)/collector/fixtures/textfile/\(name)"]
        options.fixedModificationTime = 1
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let collector = TextfileCollector(options: options, logger: logger)
        let families = FamilyMerger.merge(try collector.collect()).families
        let rendered = TextFormatWriter().string(families)
            .replacingOccurrences(of: "\(workingDirectory)/collector/", with: "")
        let expected = try String(contentsOfFile: "\(fixtures)/textfile/\(name).out", encoding: .utf8)
        #expect(rendered == expected)
    }

    /// A FIFO named like a textfile would block `open()` forever; it is skipped and flagged.
    /// A file over the limit is skipped and flagged whole, never cut.
    @Test(.timeLimit(.minutes(1))) func aFIFOAndAnOversizedFileAreSkippedAndFlagged() throws {
        let directory = try TestPaths.temporaryDirectory("textfile")
        try "# TYPE good gauge\ngood 1\n".write(toFile: directory + "/a.prom", atomically: true, encoding: .utf8)
        #expect(mkfifo(directory + "/fifo.prom", 0o644) == 0)
        try ("# TYPE big gauge\n" + String(repeating: "big 1\n", count: 400)).write(
            toFile: directory + "/big.prom", atomically: true, encoding: .utf8)
        var options = TextfileOptions()
        options.directories = [directory]
        options.maxFileBytes = 1024
        let collector = TextfileCollector(options: options, logger: Logger(label: "test"))
        let text = TextFormatWriter().string(FamilyMerger.merge(try collector.collect()).families)
        #expect(text.contains("good 1\n"))
        #expect(!text.contains("big 1"))
        #expect(!text.contains("fifo.prom"))
        #expect(text.contains("node_textfile_scrape_error 1\n"))
    }

    @Test func aBrokenFileIsSkippedAndFlaggedWithoutLosingTheOthers() throws {
        let directory = try TestPaths.temporaryDirectory("textfile")
        try "# TYPE good gauge\ngood 1\n".write(toFile: directory + "/a.prom", atomically: true, encoding: .utf8)
        try "bad{ 1\n".write(toFile: directory + "/b.prom", atomically: true, encoding: .utf8)
        try "ignored 1\n".write(toFile: directory + "/c.txt", atomically: true, encoding: .utf8)
        var options = TextfileOptions()
        options.directories = [directory]
        let collector = TextfileCollector(options: options, logger: Logger(label: "test"))
        let text = TextFormatWriter().string(FamilyMerger.merge(try collector.collect()).families)
        #expect(text.contains("good 1\n"))
        #expect(text.contains("node_textfile_scrape_error 1\n"))
        #expect(text.contains("a.prom\"}"))
        #expect(!text.contains("b.prom\"}"))
        #expect(!text.contains("ignored"))
    }
}
