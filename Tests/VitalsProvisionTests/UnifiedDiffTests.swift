import Foundation
import Testing
import VitalsProvision
import VitalsTestSupport

/// The diff `--check` prints is a real unified diff: GNU patch applies it.
@Suite struct UnifiedDiffTests {
    static func applies(old: String, new: String) throws -> Bool {
        let directory = try TestPaths.temporaryDirectory("diff")
        try old.write(toFile: directory + "/file", atomically: true, encoding: .utf8)
        let diff = UnifiedDiff.diff(old: old, new: new, oldName: "a/file", newName: "b/file")
        try diff.write(toFile: directory + "/change.patch", atomically: true, encoding: .utf8)
        let result = try runCommand("/bin/sh", ["-c", "cd '\(directory)' && patch -s -p1 < change.patch"])
        guard result.status == 0 else { return false }
        return try String(contentsOfFile: directory + "/file", encoding: .utf8) == new
    }

    @Test func equalTextsHaveNoDiff() {
        #expect(UnifiedDiff.diff(old: "a\nb\n", new: "a\nb\n", oldName: "a", newName: "b") == "")
    }

    @Test func patchReproducesTheNewText() throws {
        let base = (1...60).map { "line \($0)" }
        var generator = SystemRandomNumberGenerator()
        for round in 0..<25 {
            var changed = base
            for _ in 0..<(1 + round % 6) {
                let index = Int.random(in: 0..<changed.count, using: &generator)
                switch Int.random(in: 0..<3, using: &generator) {
                case 0: changed[index] = "changed \(round) \(index)"
                case 1: changed.insert("inserted \(round) \(index)", at: index)
                default: if changed.count > 1 { changed.remove(at: index) }
                }
            }
            let old = base.joined(separator: "\n") + "\n"
            let new = changed.joined(separator: "\n") + "\n"
            #expect(try Self.applies(old: old, new: new), "round \(round)")
        }
        #expect(try Self.applies(old: "", new: "a\nb\n"))
        #expect(try Self.applies(old: "a\nb\n", new: "x\ny\nz\n"))
        #expect(try Self.applies(old: "a\n", new: "a\nb\n"))
        #expect(try Self.applies(old: "b\n", new: "a\nb\n"))
    }
}
