import Logging
import VitalsExposition
import VitalsProcFS
import VitalsSystem

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// `textfile`: metrics that other programs write into `*.prom` files, with the files' mtimes.
///
/// A file that does not parse, carries client-side timestamps, is larger than the limit, or is not
/// a regular file (a FIFO would block the scrape) is skipped as a whole, logged with the reason,
/// and flagged in `node_textfile_scrape_error`; the other files and the rest of the scrape are
/// unaffected.
struct TextfileCollector: ConfigurableCollector {
    typealias Options = TextfileOptions
    static let name = "textfile"
    static let enabledByDefault = true

    let options: TextfileOptions
    let logger: Logger

    init(options: TextfileOptions, logger: Logger) {
        self.options = options
        self.logger = logger
    }

    init(configuration: ExporterConfiguration, logger: Logger) {
        self.init(options: TextfileOptions(flags: configuration.flags), logger: logger)
    }

    func collect() throws -> [MetricFamily] {
        var errored = false
        var parsed: [MetricFamily] = []
        var filesByName: [String: [String]] = [:]
        var helpByName: [String: String] = [:]
        var mtimes: [(String, Double)] = []

        for directory in options.directories.flatMap(Self.expandGlob) {
            let entries: [FileAccess.DirectoryEntry]
            do {
                entries = try FileAccess.listDirectory(directory)
            } catch {
                if !directory.isEmpty {
                    errored = true
                    logger.error(
                        "failed to read textfile collector directory",
                        metadata: ["path": "\(directory)", "err": "\(error)"])
                }
                continue
            }
            for entry in entries where entry.name.hasSuffix(".prom") {
                let path = joinPath(directory, entry.name)
                let families: [MetricFamily]
                do {
                    let result = try TextFormatParser().parse(
                        try FileAccess.readRegularFile(path, limit: options.maxFileBytes))
                    if result.hasTimestamps {
                        throw TextfileError(
                            "textfile \"\(path)\" contains unsupported client-side timestamps, skipping entire file")
                    }
                    families = result.families
                } catch {
                    errored = true
                    logger.error("failed to collect textfile data", metadata: ["file": "\(path)", "err": "\(error)"])
                    continue
                }
                for family in families {
                    if let firstHelp = helpByName[family.name], !family.help.isEmpty, family.help != firstHelp {
                        errored = true
                        logger.error(
                            "inconsistent metric help text",
                            metadata: [
                                "metric": "\(family.name)", "original_help_text": "\(firstHelp)",
                                "new_help_text": "\(family.help)", "file": "\(filesByName[family.name]?.first ?? path)",
                            ])
                        continue
                    }
                    if !family.help.isEmpty { helpByName[family.name] = family.help }
                    filesByName[family.name, default: []].append(path)
                    parsed.append(family)
                }
                let mtime =
                    options.fixedModificationTime ?? ((try? FileAccess.modificationTime(path)) ?? 0).rounded(.down)
                mtimes.append((path, mtime))
            }
        }

        var families: [MetricFamily] = []
        for var family in parsed {
            if family.help.isEmpty {
                family.help =
                    helpByName[family.name]
                    ?? "Metric read from " + (filesByName[family.name] ?? []).joined(separator: ", ")
            }
            Self.fillMissingLabels(&family)
            families.append(family)
        }
        if !mtimes.isEmpty {
            var family = MetricFamily.gauge(
                "node_textfile_mtime_seconds", "Unixtime mtime of textfiles successfully read.")
            for (path, mtime) in mtimes.sorted(by: { $0.0.precedesInByteOrder($1.0) }) {
                family.add(mtime, Label("file", path))
            }
            families.append(family)
        }
        families.append(
            .single(
                "node_textfile_scrape_error", "1 if there was an error opening or reading a file, 0 otherwise", .gauge,
                errored ? 1 : 0))
        return families
    }

    /// Gives every series of a family the union of the family's label names, empty where absent,
    /// as node_exporter's `convertMetricFamily` does.
    static func fillMissingLabels(_ family: inout MetricFamily) {
        var names: [String] = []
        for metric in family.metrics {
            for label in metric.labels where !names.contains(label.name) { names.append(label.name) }
        }
        for index in family.metrics.indices where family.metrics[index].labels.count < names.count {
            for name in names where !family.metrics[index].labels.contains(where: { $0.name == name }) {
                family.metrics[index].labels.append(Label(name, ""))
            }
        }
    }

    /// Expands a glob pattern; a pattern that matches nothing stands for itself, as in node_exporter.
    static func expandGlob(_ pattern: String) -> [String] {
        var matches = glob_t()
        defer { globfree(&matches) }
        guard glob(pattern, 0, nil, &matches) == 0, matches.gl_pathc > 0 else { return [pattern] }
        return (0..<Int(matches.gl_pathc)).compactMap { index in
            matches.gl_pathv[index].map { String(cString: $0) }
        }
    }
}

/// A textfile that was read but cannot be used.
struct TextfileError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}

struct TextfileOptions: CollectorOptions {
    static let directoryFlag = CollectorFlag.values(
        "collector.textfile.directory",
        help: "Directory to read text files with metrics from, supports glob matching. (repeatable)")
    static let flags = [directoryFlag]

    /// Directories (or globs) holding `*.prom` files; empty disables reading.
    var directories: [String] = []
    /// Fixed mtime for tests, so output is reproducible.
    var fixedModificationTime: Double?
    /// Largest file read; a bigger one is skipped and flagged, never cut.
    var maxFileBytes = 16 << 20

    init() {}

    init(flags: CollectorFlagValues) {
        directories = flags.values(Self.directoryFlag).filter { !$0.isEmpty }
    }
}
