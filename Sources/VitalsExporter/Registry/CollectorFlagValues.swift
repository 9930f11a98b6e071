/// The values given for collectors' flags on the command line. A flag not given reads as its
/// declared default, so a collector's options are the same whether built from a command line or a
/// test's list of arguments.
public struct CollectorFlagValues: Sendable {
    /// Every value given for each flag, in order (a bool as `true` or `false`).
    private var given: [String: [String]] = [:]

    public init() {}

    mutating func append(_ value: String, for flag: CollectorFlag) {
        given[flag.name, default: []].append(value)
    }

    /// Whether the flag appeared on the command line at all.
    public func isGiven(_ flag: CollectorFlag) -> Bool { given[flag.name] != nil }

    public func bool(_ flag: CollectorFlag) -> Bool {
        if let last = given[flag.name]?.last { return last == "true" }
        if case .bool(let value) = flag.kind { return value }
        return false
    }

    /// The last value given, else the default.
    public func value(_ flag: CollectorFlag) -> String? {
        if let last = given[flag.name]?.last { return last }
        if case .value(let value) = flag.kind { return value }
        return nil
    }

    /// Every value given, for a repeatable flag.
    public func values(_ flag: CollectorFlag) -> [String] { given[flag.name] ?? [] }

    /// The value of a flag that has a deprecated alias: either may be given, not both.
    public func value(_ flag: CollectorFlag, alias: CollectorFlag) throws(ConfigurationError) -> String? {
        guard let old = given[alias.name]?.last, !old.isEmpty else { return value(flag) }
        guard !isGiven(flag) else {
            throw ConfigurationError("--\(alias.name) and --\(flag.name) are mutually exclusive.")
        }
        return old
    }
}
