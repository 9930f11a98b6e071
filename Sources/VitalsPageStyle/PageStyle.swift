/// The stylesheet rules every Vitals page shares: the palettes as custom properties (light, and
/// dark under `prefers-color-scheme`), type, links, state badges and cards.
public enum PageStyle {
    public static let base = """
        :root { \(PagePalette.light.customProperties) color-scheme: light dark; }
        @media (prefers-color-scheme: dark) { :root { \(PagePalette.dark.customProperties) } }
        * { box-sizing: border-box; }
        body { margin: 0; background: var(--bg); color: var(--text);
          font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
        header, main, footer { max-width: 72rem; margin: 0 auto; padding: 1rem; }
        h1 { font-size: 1.6rem; margin: 0 0 .25rem; }
        h2 { font-size: 1.25rem; margin: 1.5rem 0 .5rem; }
        h3 { font-size: 1.1rem; margin: 0; }
        a { color: var(--link); }
        .meta { color: var(--muted); font-size: .9rem; }
        .badge { display: inline-block; padding: 0 .5rem; border: 2px solid currentColor; border-radius: .75rem;
          font-weight: 600; font-size: .9rem; }
        .state-ready { color: var(--ready); }
        .state-blocked, .state-degraded { color: var(--warning); }
        .state-down { color: var(--failure); }
        @media (max-width: 30rem) { header, main, footer { padding: .75rem; } }

        """

    /// Text for HTML content and attribute values; control characters and noncharacters, which are
    /// parse errors in HTML, are shown as U+FFFD.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\n", "\t": out.unicodeScalars.append(scalar)
            default:
                let value = scalar.value
                let control = value < 0x20 || (0x7F...0x9F).contains(value)
                let noncharacter = (0xFDD0...0xFDEF).contains(value) || value & 0xFFFE == 0xFFFE
                out.unicodeScalars.append(control || noncharacter ? "\u{FFFD}" : scalar)
            }
        }
        return out
    }
}
