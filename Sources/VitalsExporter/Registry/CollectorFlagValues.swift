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

    /// An include and an exclude pattern (each with its deprecated alias, if any), of which at
    /// most one may be given, as node_exporter's device filters have it.
    public func includeOrExclude(
        include: CollectorFlag, includeAlias: CollectorFlag? = nil, exclude: CollectorFlag,
        excludeAlias: CollectorFlag? = nil
    ) throws(ConfigurationError) -> (include: String?, exclude: String?) {
        let included =
            try includeAlias.map { alias throws(ConfigurationError) in try value(include, alias: alias) }
            ?? value(include)
        let excluded =
            try excludeAlias.map { alias throws(ConfigurationError) in try value(exclude, alias: alias) }
            ?? value(exclude)
        if included != nil, excluded != nil {
            throw ConfigurationError("--\(include.name) and --\(exclude.name) are mutually exclusive.")
        }
        return (included, excluded)
    }
}
