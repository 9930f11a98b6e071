import Foundation
import Testing
import VitalsExposition
import VitalsTestSupport

@testable import VitalsExporter

/// The os collector parses os-release again only when the file changed, and then at once.
@Suite struct OSCollectorTests {
    static func version(_ collector: OSCollector) throws -> String? {
        let info = try collector.collect().first { $0.name == "node_os_info" }
        return info?.metrics.first?.labels.first { $0.name == "version_id" }?.value
    }

    @Test func anEditedOrReplacedFileIsReadAgainAndAnUnchangedOneIsNot() throws {
        let root = try TestPaths.temporaryDirectory("os-release")
        try FileManager.default.createDirectory(atPath: root + "/etc", withIntermediateDirectories: true)
        let file = root + "/etc/os-release"
        try "ID=debian\nVERSION_ID=\"12\"\n".write(toFile: file, atomically: false, encoding: .utf8)
        var configuration = ExporterConfiguration()
        configuration.rootFS = root
        let collector = OSCollector(configuration: configuration)
        #expect(try Self.version(collector) == "12")
        #expect(try Self.version(collector) == "12")

        // An upgrade rewrites the file in place with other content.
        try "ID=debian\nVERSION_ID=\"13\"\nVERSION_CODENAME=trixie\n".write(
            toFile: file, atomically: false, encoding: .utf8)
        #expect(try Self.version(collector) == "13")

        // A package manager replaces it (a new inode) with content of the same length.
        try "ID=debian\nVERSION_ID=\"14\"\nVERSION_CODENAME=forky!\n".write(
            toFile: file, atomically: true, encoding: .utf8)
        #expect(try Self.version(collector) == "14")

        // Removed from /etc: the fallback in /usr/lib is read.
        try FileManager.default.removeItem(atPath: file)
        try FileManager.default.createDirectory(atPath: root + "/usr/lib", withIntermediateDirectories: true)
        try "ID=debian\nVERSION_ID=\"11\"\n".write(
            toFile: root + "/usr/lib/os-release", atomically: true, encoding: .utf8)
        #expect(try Self.version(collector) == "11")
    }
}
