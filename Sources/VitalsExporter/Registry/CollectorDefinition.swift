import Logging

/// A collector type that registers itself: its name, its default, its options and how to make it
/// from the exporter's configuration. Everything a collector needs is in its own file; the catalog
/// only lists the types.
public protocol CollectorDefinition: Collector {
    /// node_exporter's name, as in `--collector.<name>` and `collect[]=<name>`.
    static var name: String { get }
    static var enabledByDefault: Bool { get }
    /// The flags this collector owns besides its toggle, in `--help`'s order.
    static var flags: [CollectorFlag] { get }

    /// Checks this collector's flags at start, so that a wrong one is a usage error even when the
    /// collector is off, as node_exporter's flag parsing is.
    static func validate(_ flags: CollectorFlagValues) throws(ConfigurationError)

    init(configuration: ExporterConfiguration, logger: Logger) throws(ConfigurationError)
}

extension CollectorDefinition {
    public static var flags: [CollectorFlag] { [] }
    public static func validate(_ flags: CollectorFlagValues) throws(ConfigurationError) {}
}

/// A collector configured by its flags, through its ``CollectorOptions``.
public protocol ConfigurableCollector: CollectorDefinition {
    associatedtype Options: CollectorOptions
}

extension ConfigurableCollector {
    public static var flags: [CollectorFlag] { Options.flags }

    public static func validate(_ flags: CollectorFlagValues) throws(ConfigurationError) {
        _ = try Options(flags: flags)
    }
}

/// A collector's options, built from its flags: validating them is building them.
public protocol CollectorOptions: Sendable {
    /// The flags, in `--help`'s order.
    static var flags: [CollectorFlag] { get }
    init(flags: CollectorFlagValues) throws(ConfigurationError)
}
