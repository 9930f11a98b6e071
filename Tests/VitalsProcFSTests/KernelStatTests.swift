import Testing

@testable import VitalsProcFS

@Suite struct KernelStatTests {
    @Test func parsesFixture() throws {
        let stat = try KernelStat.parse(try Fixtures.file("proc/stat"))
        #expect(stat.cpus.count == 8)
        #expect(stat.cpus[0].number == 0)
        #expect(stat.cpus[0].times.user == 444.9)
        #expect(stat.cpus[0].times.guest == 0.02)
        #expect(stat.cpus[0].times.guestNice == 0.01)
        #expect(stat.bootTime == 1_418_183_276)
        #expect(stat.contextSwitches == 38_014_093)
        #expect(stat.processesCreated == 26_442)
        #expect(stat.processesRunning == 2)
        #expect(stat.interruptsTotal == 8_885_917)
        #expect(stat.softIRQ.count == 10)
        #expect(stat.malformedLines == 0)
    }

    @Test func skipsAndCountsMalformedLines() throws {
        let text = """
            cpu  100 0 50 1000 0 0 0 0 0 0
            cpu0 100 0 50 1000
            cpu1 abc 0 50 1000
            cpu2 100 0
            cpux 1 2 3 4
            cpu18446744073709551615 1 2 3 4
            ctxt
            ctxt 12 13
            btime 1700000000
            processes notanumber
            procs_running 3
            """
        let stat = try KernelStat.parse(Fixtures.bytes(text))
        #expect(stat.cpus.map(\.number) == [0])
        #expect(stat.cpus[0].times.idle == 10)
        #expect(stat.cpus[0].times.steal == 0)
        #expect(stat.bootTime == 1_700_000_000)
        #expect(stat.processesRunning == 3)
        // A CPU number past Int.max is one of them, not a trap.
        #expect(stat.malformedLines == 7)
    }

    /// Only the total of the `intr` line is read; a line without a number there is counted.
    @Test(arguments: [
        ("intr 4711 1 2 3 x\n", 4711, 0), ("intr\n", 0, 1), ("intr x 1 2\n", 0, 1), ("intr\t 7\n", 7, 0),
    ])
    func theInterruptTotalIsTheFirstCount(line: String, total: UInt64, malformed: Int) throws {
        let stat = try KernelStat.parse(Fixtures.bytes("cpu  1 0 0 0 0 0 0 0 0 0\n" + line + "ctxt 9\n"))
        #expect(stat.interruptsTotal == total)
        #expect(stat.malformedLines == malformed)
        #expect(stat.contextSwitches == 9)
    }

    @Test(arguments: ["", "intr 1 2 3\n", "garbage\n\n"])
    func rejectsFilesWithoutCPULines(text: String) {
        #expect(throws: ProcParseError.self) { try KernelStat.parse(Fixtures.bytes(text)) }
    }
}
