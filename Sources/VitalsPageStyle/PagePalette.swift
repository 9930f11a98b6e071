#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The colours of Vitals' pages (vitals serve's status page, vitals-exporter's landing page), light
/// and dark. Every text colour is checked against its background for
/// WCAG AA (4.5:1) by a test, so the states stay readable; and colour is never the only signal,
/// since each state is also written out.
public struct PagePalette: Sendable, Hashable {
    public var background: String
    public var surface: String
    public var text: String
    public var muted: String
    public var border: String
    public var link: String
    public var ready: String
    public var warning: String
    public var failure: String

    public static let light = PagePalette(
        background: "#ffffff", surface: "#f4f5f7", text: "#17191c", muted: "#50565e", border: "#c9ced6",
        link: "#0b57b0", ready: "#0b6b32", warning: "#8a4600", failure: "#b3261e")

    public static let dark = PagePalette(
        background: "#101317", surface: "#1a1e24", text: "#e7e9ec", muted: "#a7adb5", border: "#3a414b",
        link: "#8ab8ff", ready: "#6fd49a", warning: "#f3b45b", failure: "#ff8a80")

    /// The text colours and the backgrounds they are drawn on, for the contrast check.
    public var textPairs: [(name: String, foreground: String, background: String)] {
        var pairs: [(String, String, String)] = []
        for (surfaceName, surfaceColour) in [("background", background), ("surface", surface)] {
            for (name, colour) in [
                ("text", text), ("muted", muted), ("link", link), ("ready", ready), ("warning", warning),
                ("failure", failure),
            ] {
                pairs.append(("\(name) on \(surfaceName)", colour, surfaceColour))
            }
        }
        return pairs
    }

    /// WCAG 2's contrast ratio of two `#rrggbb` colours, from 1 to 21.
    public static func contrast(_ first: String, _ second: String) -> Double {
        let (a, b) = (luminance(first), luminance(second))
        return (max(a, b) + 0.05) / (min(a, b) + 0.05)
    }

    /// WCAG 2's relative luminance of `#rrggbb`.
    public static func luminance(_ colour: String) -> Double {
        let hex = colour.dropFirst()
        func channel(_ offset: Int) -> Double {
            let start = hex.index(hex.startIndex, offsetBy: offset)
            let value = Double(Int(hex[start..<hex.index(start, offsetBy: 2)], radix: 16) ?? 0) / 255
            return value <= 0.04045 ? value / 12.92 : pow((value + 0.055) / 1.055, 2.4)
        }
        return 0.2126 * channel(0) + 0.7152 * channel(2) + 0.0722 * channel(4)
    }

    /// CSS custom properties for this palette.
    public var customProperties: String {
        [
            ("bg", background), ("surface", surface), ("text", text), ("muted", muted), ("border", border),
            ("link", link), ("ready", ready), ("warning", warning), ("failure", failure),
        ].map { "--\($0.0): \($0.1);" }.joined(separator: " ")
    }
}
