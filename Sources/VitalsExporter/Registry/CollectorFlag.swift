/// A command-line flag that one collector owns, declared in that collector's file as node_exporter's
/// collectors declare theirs with kingpin, so that a collector, its flags and its options live in
/// one place and the command line is derived from the catalog.
public struct CollectorFlag: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        /// `--name` and `--no-name`; the last one given wins.
        case bool(default: Bool)
        /// `--name=value` or `--name value`; the last one given wins. nil: unset by default.
        case value(default: String?)
        /// `--name=value`, repeatable; every value counts, in order.
        case values
    }

    /// The long name without its dashes: `collector.diskstats.device-exclude`.
    public let name: String
    public let kind: Kind
    public let help: String
    /// A deprecated alias, accepted but left out of `--help`.
    public let isHidden: Bool

    public static func bool(_ name: String, default value: Bool = false, help: String, hidden: Bool = false) -> Self {
        Self(name: name, kind: .bool(default: value), help: help, isHidden: hidden)
    }

    public static func value(_ name: String, default value: String? = nil, help: String, hidden: Bool = false) -> Self {
        Self(name: name, kind: .value(default: value), help: help, isHidden: hidden)
    }

    public static func values(_ name: String, help: String) -> Self {
        Self(name: name, kind: .values, help: help, isHidden: false)
    }

    public var takesValue: Bool {
        if case .bool = kind { return false }
        return true
    }
}
