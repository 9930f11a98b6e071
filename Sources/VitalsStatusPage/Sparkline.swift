import VitalsDocuments

/// A latency sparkline as inline SVG: one point per minute, gaps where a minute has no sample,
/// drawn in the text colour, with its range in words for screen readers.
struct Sparkline {
    var values: [Double?]
    var width = 120
    var height = 28

    var svg: String {
        let known = values.compactMap { $0 }
        guard let low = known.min(), let high = known.max() else {
            return "<p class=\"sparkline-empty\">No latency samples yet.</p>\n"
        }
        let label =
            "Mean probe latency over the last hour, from \(Self.milliseconds(low)) to \(Self.milliseconds(high))"
        var out =
            "<figure class=\"sparkline\"><svg role=\"img\" aria-label=\"\(label)\" viewBox=\"0 0 \(width) \(height)\""
        out += " width=\"\(width)\" height=\"\(height)\" focusable=\"false\">"
        out += "<title>\(label)</title>"
        let span = max(high - low, 1e-9)
        let step = values.count > 1 ? Double(width - 2) / Double(values.count - 1) : 0
        var segment: [String] = []
        func flush() {
            guard !segment.isEmpty else { return }
            if segment.count == 1 {
                let parts = segment[0].split(separator: ",")
                out += "<circle cx=\"\(parts[0])\" cy=\"\(parts[1])\" r=\"1.5\" fill=\"currentColor\"/>"
            } else {
                out += "<polyline fill=\"none\" stroke=\"currentColor\" stroke-width=\"1.5\" points=\""
                out += segment.joined(separator: " ") + "\"/>"
            }
            segment.removeAll()
        }
        for (index, value) in values.enumerated() {
            guard let value else {
                flush()
                continue
            }
            let x = 1 + Double(index) * step
            let y = Double(height - 2) - (value - low) / span * Double(height - 4)
            segment.append(NumberText.rounded(x, places: 1) + "," + NumberText.rounded(y, places: 1))
        }
        flush()
        out += "</svg><figcaption>\(Self.milliseconds(known.last!)) now</figcaption></figure>\n"
        return out
    }

    static func milliseconds(_ seconds: Double) -> String {
        NumberText.rounded(seconds * 1000, places: 1) + " ms"
    }
}
