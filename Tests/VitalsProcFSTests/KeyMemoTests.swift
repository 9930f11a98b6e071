import Testing

@testable import VitalsProcFS

/// The per-line memo the vmstat, meminfo and snmp6 collectors keep: work is redone exactly when a
/// line's key differs from the one seen at that position last time.
@Suite struct KeyMemoTests {
    /// Feeds each key of `file` through the memo and returns the infos and the keys worked out anew.
    static func pass(_ memo: inout KeyMemo<String>, _ file: String) -> (infos: [String], made: [String]) {
        var infos: [String] = []
        var made: [String] = []
        _ = KeyValueStats.forEachEntry(Array(file.utf8)) { position, key, _ in
            infos.append(
                memo.info(at: position, key: key) { key in
                    let name = String(decoding: key, as: UTF8.self)
                    made.append(name)
                    return "node_vmstat_" + name
                })
        }
        return (infos, made)
    }

    @Test func aRepeatedFileIsWorkedOutOnce() {
        var memo = KeyMemo<String>()
        let file = "nr_free_pages 10\npgfault 20\noom_kill 0\n"
        let first = Self.pass(&memo, file)
        #expect(first.made == ["nr_free_pages", "pgfault", "oom_kill"])
        let second = Self.pass(&memo, "nr_free_pages 11\npgfault 25\noom_kill 1\n")
        #expect(second.made.isEmpty)
        #expect(second.infos == ["node_vmstat_nr_free_pages", "node_vmstat_pgfault", "node_vmstat_oom_kill"])
    }

    @Test func aKeyThatChangesItsPlaceIsWorkedOutAgain() {
        var memo = KeyMemo<String>()
        _ = Self.pass(&memo, "pgfault 20\noom_kill 0\n")
        // A newer kernel adds a field in the middle, and one at the end.
        let changed = Self.pass(&memo, "pgfault 20\npgmajfault 3\noom_kill 0\nzswpin 1\n")
        #expect(changed.made == ["pgmajfault", "oom_kill", "zswpin"])
        #expect(
            changed.infos == [
                "node_vmstat_pgfault", "node_vmstat_pgmajfault", "node_vmstat_oom_kill", "node_vmstat_zswpin",
            ])
        // A key of the same length but other bytes is not mistaken for the one remembered.
        let renamed = Self.pass(&memo, "pgfaulx 20\n")
        #expect(renamed.made == ["pgfaulx"] && renamed.infos == ["node_vmstat_pgfaulx"])
    }

    @Test func malformedLinesAreCountedAndDoNotShiftPositions() {
        var positions: [Int] = []
        let malformed = KeyValueStats.forEachEntry(Array("a 1\n\nb x\nc 3 4\nd 5\n".utf8)) { position, _, _ in
            positions.append(position)
        }
        #expect(malformed == 2 && positions == [0, 1])
    }
}
