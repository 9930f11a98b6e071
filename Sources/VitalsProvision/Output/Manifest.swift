/// The record of what `vitals provision` wrote into an output directory: each path with a hash of
/// its contents, sorted, one per line, so that it is deterministic and reads well in a diff.
///
/// ```
/// # vitals provision manifest: the files it generated here, with FNV-1a 64-bit hashes of their
/// # contents. Only listed files with unchanged contents are ever replaced or removed.
/// 5b1c0e6f9d2a4e33  prometheus/prometheus.yml
/// ```
struct Manifest: Sendable, Equatable {
    /// Path → hash, as hex.
    var hashes: [String: String]

    init(files: [GeneratedFile]) {
        hashes = Dictionary(files.map { ($0.path, Self.hash($0.contents)) }) { first, _ in first }
    }

    private init(hashes: [String: String]) {
        self.hashes = hashes
    }

    static let header = """
        # vitals provision manifest: the files it generated here, with FNV-1a 64-bit hashes of their
        # contents. Only listed files with unchanged contents are ever replaced or removed.

        """

    var text: String {
        Self.header + hashes.sorted { $0.key < $1.key }.map { "\($0.value)  \($0.key)\n" }.joined()
    }

    /// Reads a manifest; lines that do not have the form `HASH  PATH` are ignored, so a damaged
    /// manifest can only make the provisioner more careful, never less.
    static func parse(_ text: String) -> Manifest {
        var hashes: [String: String] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let parts = line.split(separator: " ", maxSplits: 1)
            guard parts.count == 2, parts[0].count == 16, parts[0].allSatisfy(\.isHexDigit) else { continue }
            let path = parts[1].drop { $0 == " " }
            guard !path.isEmpty, !path.hasPrefix("/"), !path.split(separator: "/").contains("..") else { continue }
            hashes[String(path)] = String(parts[0])
        }
        return Manifest(hashes: hashes)
    }

    /// FNV-1a, 64 bits: it detects edits; it does not need to resist forgery, since whoever can
    /// write the output directory can write the files themselves.
    static func hash(_ text: String) -> String { FNV1a.hex64(text) }
}
