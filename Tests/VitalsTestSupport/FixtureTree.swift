import Foundation

/// node_exporter's fixture trees, ready to point an exporter at.
///
/// The shared copy was unpacked from upstream's `sys.ttar` with its symbolic links written
/// out as small files holding the link target. node_exporter's end-to-end test runs on real
/// links, so this copies the tree once and turns those files back into links.
public enum FixtureTree {
    private static let prepared: Result<String, any Error> = Result { try materialize() }

    /// The root of a prepared copy of ../shared/fixtures/node_exporter. It sits at
    /// `<workingDirectory>/collector/fixtures`, where node_exporter's test runs it from, so that
    /// relative paths in the output (textfile HELP texts) come out as in the golden file.
    public static func root() throws -> String { try prepared.get() + "/collector/fixtures" }

    /// The directory to run an exporter in so that `collector/fixtures/...` resolves.
    public static func workingDirectory() throws -> String { try prepared.get() }

    private static func materialize() throws -> String {
        let base = try TestPaths.temporaryDirectory("vitals-fixtures")
        let destination = base + "/collector/fixtures"
        try FileManager.default.createDirectory(atPath: destination, withIntermediateDirectories: true)
        let copy = try runCommand("/bin/cp", ["-R", TestPaths.nodeExporterFixtures + "/.", destination])
        guard copy.status == 0 else { throw MissingPrerequisite("copying fixtures failed: \(copy.output)") }
        _ = try runCommand("/bin/chmod", ["-R", "u+w", destination])
        let manager = FileManager.default
        guard let enumerator = manager.enumerator(atPath: destination) else { return destination }
        var links: [(String, String)] = []
        for case let relative as String in enumerator {
            let path = destination + "/" + relative
            guard let attributes = try? manager.attributesOfItem(atPath: path),
                attributes[.type] as? FileAttributeType == .typeRegular,
                let size = attributes[.size] as? Int, size > 0, size < 512,
                let data = manager.contents(atPath: path), !data.contains(0x0A),
                let target = String(data: data, encoding: .utf8), target.hasPrefix("../")
            else { continue }
            let resolved = URL(fileURLWithPath: path).deletingLastPathComponent().appendingPathComponent(target).path
            if manager.fileExists(atPath: resolved) { links.append((path, target)) }
        }
        for (path, target) in links {
            try manager.removeItem(atPath: path)
            try manager.createSymbolicLink(atPath: path, withDestinationPath: target)
        }
        return base
    }
}
