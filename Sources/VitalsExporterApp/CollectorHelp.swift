import VitalsExporter

/// The collectors' part of `--help`, drawn from the catalog in ArgumentParser's layout, since those
/// flags are parsed outside ArgumentParser (see ``CollectorArguments``).
enum CollectorHelp {
    /// The column where help text starts, as in ArgumentParser's own sections.
    static let textColumn = 26

    static func sections(columns: Int) -> String {
        var toggles: [(String, String)] = [
            (
                "--" + CollectorArguments.disableDefaultsFlag,
                "Set all collectors to disabled by default; enable the ones you want with --collector.<name>."
            )
        ]
        var options: [(String, String)] = []
        for collector in CollectorCatalog.all.sorted(by: { $0.name < $1.name }) {
            let state = collector.enabledByDefault ? "enabled" : "disabled"
            toggles.append(
                (
                    "--collector.\(collector.name)/--no-collector.\(collector.name)",
                    "Enable the \(collector.name) collector (default: \(state))."
                ))
            for flag in collector.flags where !flag.isHidden {
                options.append((label(flag), text(flag)))
            }
        }
        return section("COLLECTORS", toggles, columns: columns) + "\n"
            + section("COLLECTOR OPTIONS", options, columns: columns)
    }

    private static func label(_ flag: CollectorFlag) -> String {
        switch flag.kind {
        case .bool: "--\(flag.name)/--no-\(flag.name)"
        case .value, .values: "--\(flag.name) <value>"
        }
    }

    private static func text(_ flag: CollectorFlag) -> String {
        switch flag.kind {
        case .bool(let value): flag.help + " (default: --\(value ? "" : "no-")\(flag.name))"
        case .value(let value?): flag.help + " (default: \(value))"
        case .value(nil), .values: flag.help
        }
    }

    private static func section(_ title: String, _ entries: [(String, String)], columns: Int) -> String {
        var output = title + ":\n"
        let width = max(columns - textColumn, 20)
        for (label, text) in entries {
            let lines = wrap(text, width: width)
            var first = "  " + label
            if first.count <= textColumn - 2 {
                first += String(repeating: " ", count: textColumn - first.count) + (lines.first ?? "")
                output += first + "\n"
                for line in lines.dropFirst() { output += String(repeating: " ", count: textColumn) + line + "\n" }
            } else {
                output += first + "\n"
                for line in lines { output += String(repeating: " ", count: textColumn) + line + "\n" }
            }
        }
        return output
    }

    /// Words wrapped to `width` columns; a word longer than the width gets a line of its own.
    private static func wrap(_ text: String, width: Int) -> [String] {
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ") {
            if !line.isEmpty, line.count + 1 + word.count > width {
                lines.append(line)
                line = ""
            }
            line += (line.isEmpty ? "" : " ") + word
        }
        if !line.isEmpty { lines.append(line) }
        return lines
    }
}
