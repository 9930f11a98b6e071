/// The collector part of a command line: `--collector.<name>` / `--no-collector.<name>` for every
/// collector in the catalog, `--collector.disable-defaults`, and each collector's own flags.
///
/// Parsed here rather than by ArgumentParser, whose flags must be stored properties of one type:
/// that would list every collector and every option in a second place, away from the collector.
public struct CollectorArguments: Sendable {
    public static let disableDefaultsFlag = "collector.disable-defaults"

    /// `--collector.disable-defaults`: only the collectors named with `--collector.<name>` run.
    public var disableDefaults = false
    /// The toggles given, by collector name; the last one given wins.
    public var toggles: [String: Bool] = [:]
    public var flags = CollectorFlagValues()

    public init() {}

    /// The collectors that will run, as with node_exporter: a toggle given wins, else the
    /// collector's default unless `--collector.disable-defaults`.
    public func enabledCollectors() -> Set<String> {
        var enabled: Set<String> = []
        for collector in CollectorCatalog.all
        where toggles[collector.name] ?? (collector.enabledByDefault && !disableDefaults) {
            enabled.insert(collector.name)
        }
        return enabled
    }

    /// Parses the arguments that belong to collectors and returns them, with the ones that do not
    /// (left for the caller's own parser, in their order).
    public static func parse(_ arguments: [String]) throws(ConfigurationError) -> (CollectorArguments, rest: [String]) {
        var parsed = CollectorArguments()
        var rest: [String] = []
        var index = arguments.startIndex
        while index < arguments.endIndex {
            let argument = arguments[index]
            index += 1
            if argument == "--" {
                rest += arguments[(index - 1)...]
                break
            }
            guard argument.hasPrefix("--") else {
                rest.append(argument)
                continue
            }
            let body = argument.dropFirst(2)
            let name = body.prefix { $0 != "=" }
            let inlineValue = name.endIndex < body.endIndex ? String(body[body.index(after: name.endIndex)...]) : nil
            guard let match = Self.lookup(String(name)) else {
                rest.append(argument)
                continue
            }
            switch match {
            case .disableDefaults:
                guard inlineValue == nil else { throw ConfigurationError("--\(name) takes no value.") }
                parsed.disableDefaults = true
            case .toggle(let collector, let on):
                guard inlineValue == nil else { throw ConfigurationError("--\(name) takes no value.") }
                parsed.toggles[collector] = on
            case .flag(let flag, let on):
                if !flag.takesValue {
                    guard inlineValue == nil else { throw ConfigurationError("--\(name) takes no value.") }
                    parsed.flags.append(on ? "true" : "false", for: flag)
                } else if let inlineValue {
                    parsed.flags.append(inlineValue, for: flag)
                } else if index < arguments.endIndex {
                    parsed.flags.append(arguments[index], for: flag)
                    index += 1
                } else {
                    throw ConfigurationError("--\(name) needs a value.")
                }
            }
        }
        return (parsed, rest)
    }

    private enum Match {
        case disableDefaults
        case toggle(collector: String, on: Bool)
        case flag(CollectorFlag, on: Bool)
    }

    private static func lookup(_ name: String) -> Match? {
        if name == disableDefaultsFlag { return .disableDefaults }
        let negated = name.hasPrefix("no-")
        let positive = negated ? String(name.dropFirst(3)) : name
        if positive.hasPrefix("collector."),
            let collector = CollectorCatalog.entry(named: String(positive.dropFirst(10)))
        {
            return .toggle(collector: collector.name, on: !negated)
        }
        guard let flag = CollectorCatalog.flagsByName[positive] else { return nil }
        // Only a bool has a `--no-` form.
        if negated, flag.takesValue { return nil }
        return .flag(flag, on: !negated)
    }
}
