import Foundation

enum Fixtures {
    /// ../shared/fixtures/node_exporter beside the checkout.
    static let nodeExporter: String = {
        let root = #filePath.split(separator: "/").dropLast(3).joined(separator: "/")
        return "/" + root + "/../shared/fixtures/node_exporter"
    }()

    static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    static func file(_ relative: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: nodeExporter + "/" + relative)))
    }
}
