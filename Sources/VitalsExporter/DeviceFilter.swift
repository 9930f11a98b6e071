import Synchronization
import VitalsRegex

/// node_exporter's include/exclude filter for device names, mount points and fs types.
///
/// Patterns are Go RE2 regular expressions matched anywhere in the name (`MatchString`).
/// Matching results are memoized per name: the set of devices on a host is small and stable,
/// and matching is the costliest thing a scrape would otherwise do per device.
public final class DeviceFilter: Sendable {
    public let excludePattern: String?
    public let includePattern: String?
    private let compiled: Mutex<Compiled>

    private struct Compiled: Sendable {
        var exclude: GoRegex?
        var include: GoRegex?
        var memo: [String: Bool] = [:]
    }

    /// Compiles the patterns; nil or empty patterns are ignored, as in node_exporter.
    public init(exclude: String?, include: String?) throws(ConfigurationError) {
        let exclude = exclude.flatMap { $0.isEmpty ? nil : $0 }
        let include = include.flatMap { $0.isEmpty ? nil : $0 }
        self.excludePattern = exclude
        self.includePattern = include
        var state = Compiled()
        state.exclude = try Self.compile(exclude)
        state.include = try Self.compile(include)
        self.compiled = Mutex(state)
    }

    /// A filter that lets everything through.
    public static let acceptAll = try! DeviceFilter(exclude: nil, include: nil)

    /// Whether `name` should be skipped.
    public func ignores(_ name: String) -> Bool {
        compiled.withLock { state in
            if let known = state.memo[name] { return known }
            var ignored = false
            if let exclude = state.exclude, exclude.matches(name) { ignored = true }
            if !ignored, let include = state.include, !include.matches(name) { ignored = true }
            if state.memo.count >= 4096 { state.memo.removeAll(keepingCapacity: true) }
            state.memo[name] = ignored
            return ignored
        }
    }

    private static func compile(_ pattern: String?) throws(ConfigurationError) -> GoRegex? {
        guard let pattern else { return nil }
        do {
            return try GoRegex(pattern)
        } catch {
            throw ConfigurationError("\(error)")
        }
    }
}

/// A configuration that cannot work: a bad regex, conflicting flags, an unreadable file.
public struct ConfigurationError: Error, Sendable, CustomStringConvertible {
    public let message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
