/// `diff -u` of two texts, by Myers' algorithm, for `vitals provision --check`.
public enum UnifiedDiff {
    /// The diff of `old` to `new` with 3 lines of context, or "" when they are equal.
    public static func diff(old: String, new: String, oldName: String, newName: String) -> String {
        let a = lines(old)
        let b = lines(new)
        guard a != b else { return "" }
        let edits = script(a, b)
        var output = "--- \(oldName)\n+++ \(newName)\n"
        // Group edits into hunks with up to 3 lines of context around changes.
        var index = 0
        while index < edits.count {
            guard let start = edits[index...].firstIndex(where: { $0.kind != .same }) else { break }
            var end = start
            var cursor = start
            while cursor < edits.count {
                if edits[cursor].kind != .same {
                    end = cursor
                    cursor += 1
                    continue
                }
                // A run of equal lines longer than 6 ends the hunk.
                let run = edits[cursor...].prefix { $0.kind == .same }.count
                if run > 6 || cursor + run >= edits.count { break }
                cursor += run
            }
            let from = max(index, start - 3)
            let to = min(edits.count - 1, end + 3)
            let slice = edits[from...to]
            // 1-based first line of each side; for an empty side, the line before it (diff's convention).
            let oldStart =
                slice.first { $0.oldLine != nil }.map { $0.oldLine! + 1 }
                ?? edits[..<from].last { $0.oldLine != nil }.map { $0.oldLine! + 1 } ?? 0
            let newStart =
                slice.first { $0.newLine != nil }.map { $0.newLine! + 1 }
                ?? edits[..<from].last { $0.newLine != nil }.map { $0.newLine! + 1 } ?? 0
            let oldCount = slice.filter { $0.kind != .insert }.count
            let newCount = slice.filter { $0.kind != .delete }.count
            output += "@@ -\(oldStart),\(oldCount) +\(newStart),\(newCount) @@\n"
            for edit in slice {
                switch edit.kind {
                case .same: output += " " + edit.text + "\n"
                case .delete: output += "-" + edit.text + "\n"
                case .insert: output += "+" + edit.text + "\n"
                }
            }
            index = to + 1
        }
        return output
    }

    struct Edit {
        enum Kind {
            case same, delete, insert
        }

        var kind: Kind
        var text: String
        /// 0-based line numbers in the old and new text.
        var oldLine: Int?
        var newLine: Int?
    }

    static func lines(_ text: String) -> [String] {
        var result = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if result.last == "" { result.removeLast() }
        return result
    }

    /// The shortest edit script; past a budget of changes it gives up on alignment and
    /// replaces the middle wholesale, so a rewritten file cannot use quadratic memory.
    static func script(_ a: [String], _ b: [String]) -> [Edit] {
        var prefix = 0
        while prefix < a.count, prefix < b.count, a[prefix] == b[prefix] { prefix += 1 }
        var suffix = 0
        while suffix < a.count - prefix, suffix < b.count - prefix, a[a.count - 1 - suffix] == b[b.count - 1 - suffix] {
            suffix += 1
        }
        let oldMiddle = Array(a[prefix..<(a.count - suffix)])
        let newMiddle = Array(b[prefix..<(b.count - suffix)])
        var edits: [Edit] = (0..<prefix).map { Edit(kind: .same, text: a[$0], oldLine: $0, newLine: $0) }
        edits += myers(oldMiddle, newMiddle, budget: 1000).map { edit in
            var shifted = edit
            shifted.oldLine = edit.oldLine.map { $0 + prefix }
            shifted.newLine = edit.newLine.map { $0 + prefix }
            return shifted
        }
        for offset in 0..<suffix {
            let oldLine = a.count - suffix + offset
            let newLine = b.count - suffix + offset
            edits.append(Edit(kind: .same, text: a[oldLine], oldLine: oldLine, newLine: newLine))
        }
        return edits
    }

    static func myers(_ a: [String], _ b: [String], budget: Int) -> [Edit] {
        let n = a.count
        let m = b.count
        let wholesale =
            a.enumerated().map { Edit(kind: .delete, text: $0.element, oldLine: $0.offset, newLine: nil) }
            + b.enumerated().map { Edit(kind: .insert, text: $0.element, oldLine: nil, newLine: $0.offset) }
        guard n > 0, m > 0 else { return wholesale }
        let maximum = min(n + m, budget)
        let offset = maximum + 1
        var v = [Int](repeating: 0, count: 2 * maximum + 3)
        var trace: [[Int]] = []
        var found = false
        search: for d in 0...maximum {
            trace.append(v)
            for k in stride(from: -d, through: d, by: 2) {
                var x: Int
                if k == -d || (k != d && v[offset + k - 1] < v[offset + k + 1]) {
                    x = v[offset + k + 1]
                } else {
                    x = v[offset + k - 1] + 1
                }
                var y = x - k
                while x < n, y < m, a[x] == b[y] {
                    x += 1
                    y += 1
                }
                v[offset + k] = x
                if x >= n, y >= m {
                    found = true
                    break search
                }
            }
        }
        guard found else { return wholesale }
        // Walk the trace back from (n, m).
        var edits: [Edit] = []
        var x = n
        var y = m
        for d in stride(from: trace.count - 1, through: 0, by: -1) {
            let v = trace[d]
            let k = x - y
            let previousK = (k == -d || (k != d && v[offset + k - 1] < v[offset + k + 1])) ? k + 1 : k - 1
            let previousX = v[offset + previousK]
            let previousY = previousX - previousK
            while x > previousX, y > previousY {
                x -= 1
                y -= 1
                edits.append(Edit(kind: .same, text: a[x], oldLine: x, newLine: y))
            }
            if d > 0 {
                if x == previousX {
                    y -= 1
                    edits.append(Edit(kind: .insert, text: b[y], oldLine: nil, newLine: y))
                } else {
                    x -= 1
                    edits.append(Edit(kind: .delete, text: a[x], oldLine: x, newLine: nil))
                }
            }
        }
        return edits.reversed()
    }
}
