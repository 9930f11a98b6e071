import Logging
import VitalsExposition
import VitalsProcFS
import VitalsSystem

/// `os`: the distribution from os-release(5), read below `--path.rootfs` so that a containerized
/// exporter reports the host's OS.
///
/// Like node_exporter, the file is parsed again only when it changed: a scrape `stat`s it and
/// reuses the last families while its identity (inode, size, modification time) is the same.
final class OSCollector: Collector {
    static let candidates = ["/etc/os-release", "/usr/lib/os-release"]
    static let infoKeys = [
        ("build_id", "BUILD_ID"), ("id", "ID"), ("id_like", "ID_LIKE"), ("image_id", "IMAGE_ID"),
        ("image_version", "IMAGE_VERSION"), ("name", "NAME"), ("pretty_name", "PRETTY_NAME"),
        ("variant", "VARIANT"), ("variant_id", "VARIANT_ID"), ("version", "VERSION"),
        ("version_codename", "VERSION_CODENAME"), ("version_id", "VERSION_ID"),
    ]

    let configuration: ExporterConfiguration
    /// The file read last and its identity then.
    struct Source: Equatable, Sendable {
        var path: String
        var identity: FileAccess.FileIdentity
    }
    /// What the last file read gave.
    private let last = InputMemo<Source, [MetricFamily]>()

    init(configuration: ExporterConfiguration) {
        self.configuration = configuration
    }

    func collect() throws -> [MetricFamily] {
        for candidate in Self.candidates {
            let path = configuration.rootFSPath(candidate)
            let identity: FileAccess.FileIdentity
            do {
                identity = try FileAccess.identity(path)
            } catch {
                guard error.isNotFound else { throw error }
                continue
            }
            do {
                return try last.value(for: Source(path: path, identity: identity)) { source throws(any Error) in
                    try Self.families(OSRelease.parse(FileAccess.read(source.path)))
                }
            } catch let error as FileSystemError where error.isNotFound {
                continue  // removed since the stat
            }
        }
        throw CollectorError.noData("no os-release file found")
    }

    static func families(_ release: OSRelease) throws -> [MetricFamily] {
        var info = MetricFamily.gauge(
            "node_os_info",
            "A metric with a constant '1' value labeled by build_id, id, id_like, image_id, image_version, name, pretty_name, variant, variant_id, version, version_codename, version_id."
        )
        info.add(1, labels: Self.infoKeys.map { Label($0.0, release[$0.1]) })
        var families = [info]
        if let version = Self.majorMinor(release["VERSION_ID"]), version > 0 {
            var family = MetricFamily.gauge(
                "node_os_version", "Metric containing the major.minor part of the OS version.")
            family.add(
                version, Label("id", release["ID"]), Label("id_like", release["ID_LIKE"]),
                Label("name", release["NAME"]))
            families.append(family)
        }
        let supportEnd = release["SUPPORT_END"]
        if !supportEnd.isEmpty {
            guard let timestamp = Self.unixDay(supportEnd) else {
                throw CollectorError.failed("SUPPORT_END \"\(supportEnd)\" is not a YYYY-MM-DD date")
            }
            families.append(
                .single(
                    "node_os_support_end_timestamp_seconds",
                    "Metric containing the end-of-life date timestamp of the OS.",
                    .gauge, timestamp))
        }
        return families
    }

    /// The leading `major[.minor]` of VERSION_ID, as node_exporter's `^[0-9]+\.?[0-9]*`.
    static func majorMinor(_ versionID: String) -> Double? {
        var text = ""
        var sawDot = false
        for character in versionID {
            if character.isASCII, character.isNumber {
                text.append(character)
            } else if character == ".", !sawDot, !text.isEmpty {
                sawDot = true
                text.append(character)
            } else {
                break
            }
        }
        if text.hasSuffix(".") { text.removeLast() }
        return text.isEmpty ? nil : Double(text)
    }

    /// Seconds since the epoch of midnight UTC on a `YYYY-MM-DD` date.
    static func unixDay(_ date: String) -> Double? {
        let parts = date.split(separator: "-")
        guard parts.count == 3, let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
            (1...12).contains(month), (1...31).contains(day)
        else { return nil }
        // Days from civil (Howard Hinnant's algorithm).
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
        let yearOfEra = shiftedYear - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return Double(era * 146_097 + dayOfEra - 719_468) * 86_400
    }
}

extension OSCollector: CollectorDefinition {
    static let name = "os"
    static let enabledByDefault = true

    convenience init(configuration: ExporterConfiguration, logger: Logger) {
        self.init(configuration: configuration)
    }
}
