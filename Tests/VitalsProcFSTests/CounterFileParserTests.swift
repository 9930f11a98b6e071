import Testing

@testable import VitalsProcFS

/// Direct tests for parsers that were covered only by the end-to-end diff with node_exporter's
/// fixtures: real kernel text, and malformed lines skipped and counted.
@Suite struct CounterFileParserTests {
    static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    @Test func pressureReadsSomeAndFullTotals() {
        let stats = PressureStats.parse(
            Self.bytes(
                """
                some avg10=2.73 avg60=7.34 avg300=7.05 total=2196125247
                full avg10=0.00 avg60=0.00 avg300=0.00 total=0

                """))
        #expect(stats.someTotal == 2_196_125_247 && stats.fullTotal == 0 && stats.malformedLines == 0)
        // /proc/pressure/cpu before Linux 5.13 has no full line.
        let cpuOnly = PressureStats.parse(Self.bytes("some avg10=0.00 avg60=0.00 avg300=0.00 total=15\n"))
        #expect(cpuOnly.someTotal == 15 && cpuOnly.fullTotal == nil)
        let malformed = PressureStats.parse(Self.bytes("some avg10=1 total=x\nhalf total=3\nfull total=4\n"))
        #expect(malformed.someTotal == nil && malformed.fullTotal == 4 && malformed.malformedLines == 2)
    }

    @Test func schedstatReadsRunningWaitingAndTimeslicesPerCPU() {
        let stat = Schedstat.parse(
            Self.bytes(
                """
                version 15
                timestamp 4295010018
                cpu0 0 0 0 0 0 0 2511269436 176239546 45632
                domain0 00000003 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0
                cpu1 0 0 0 0 0 0 1808396151 98766000 31337
                cpu2 0 0 0 0 0 0 12 x 4

                """))
        #expect(
            stat.cpus == [
                .init(cpu: "0", runningNanoseconds: 2_511_269_436, waitingNanoseconds: 176_239_546, timeslices: 45_632),
                .init(cpu: "1", runningNanoseconds: 1_808_396_151, waitingNanoseconds: 98_766_000, timeslices: 31_337),
            ])
        #expect(stat.malformedLines == 1)
    }

    @Test func sockstatReadsSocketsAndProtocolCountsInOrder() {
        let stat = Sockstat.parse(
            Self.bytes(
                """
                sockets: used 143
                TCP: inuse 85 orphan 0 tw 1208 alloc 86 mem 0
                UDP: inuse 2 mem 0
                FRAG: inuse 0 memory 0
                RAW: inuse
                TCP6: inuse x

                """))
        #expect(stat.socketsUsed == 143)
        #expect(stat.protocols.map(\.name) == ["TCP", "UDP", "FRAG"])
        #expect(stat.protocols[0].counts.map(\.key) == ["inuse", "orphan", "tw", "alloc", "mem"])
        #expect(stat.protocols[0].value("tw") == 1208 && stat.protocols[2].value("memory") == 0)
        #expect(stat.malformedLines == 2)
    }

    @Test func softnetReadsHexColumnsAndTheCPUIndex() {
        // Linux 5.10+ has 13 columns, the last the CPU number; older kernels have fewer and the
        // row is the CPU.
        let stat = SoftnetStat.parse(
            Self.bytes(
                """
                0033cc4c 00000001 00000002 00000000 00000000 00000000 00000000 00000000 00000003 00000004 00000005 00000006 00000002
                00328b87 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000
                zz 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000

                """))
        #expect(stat.cpus.count == 2 && stat.malformedLines == 1)
        #expect(
            stat.cpus[0]
                == .init(
                    index: 2, processed: 0x33cc4c, dropped: 1, timeSqueezed: 2, cpuCollision: 3, receivedRPS: 4,
                    flowLimitCount: 5,
                    backlogLength: 6))
        #expect(stat.cpus[1].index == 1 && stat.cpus[1].processed == 0x328b87 && stat.cpus[1].backlogLength == 0)
    }

    @Test func udpQueuesSumTransmitAndReceiveBytes() {
        let summary = SocketQueueSummary.parse(
            Self.bytes(
                """
                   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops
                 1115: 00000000:0044 00000000:0000 07 00000010:00000200 00:00000000 00000000     0        0 20991 2 0000000000000000 0
                 1116: 0100007F:0035 00000000:0000 07 00000001:00000002 00:00000000 00000000   101        0 18431 2 0000000000000000 0
                 1117: 0100007F:0036 00000000:0000 07 nocolon 00:00000000 00000000   101        0 18431 2 0000000000000000 0

                """))
        #expect(summary.transmitQueueBytes == 0x11 && summary.receiveQueueBytes == 0x202)
        #expect(summary.sockets == 2 && summary.malformedLines == 1)
    }

    @Test func keyValueStatsReadNameValueLines() {
        let stats = KeyValueStats.parse(
            Self.bytes(
                """
                nr_free_pages 181223
                pgpgin 4785437
                oom_kill 2
                broken
                nr_dirty x

                """))
        #expect(stats.entries.map(\.name) == ["nr_free_pages", "pgpgin", "oom_kill"])
        #expect(stats.entries.map(\.value) == [181_223, 4_785_437, 2])
        #expect(stats.malformedLines == 2)
    }

    @Test func fileHandlesReadAllocatedAndMaximum() throws {
        let handles = try FileHandles.parse(Self.bytes("911\t0\t2466174\n"))
        #expect(handles == FileHandles(allocated: 911, maximum: 2_466_174))
        let error = #expect(throws: ProcParseError.self) { try FileHandles.parse(Self.bytes("911 0\n")) }
        #expect(error?.file == "/proc/sys/fs/file-nr")
    }

    @Test func entropyValuesAreNumbers() throws {
        #expect(try EntropyPool.parseValue("256", file: "entropy_avail") == 256)
        #expect(throws: ProcParseError(file: "poolsize", message: "not a number: \"lots\"")) {
            try EntropyPool.parseValue("lots", file: "poolsize")
        }
    }

    @Test func protocolTablesParseOnlyThePickedColumns() {
        let text = """
            Tcp: RtoAlgorithm RtoMin ActiveOpens PassiveOpens
            Tcp: 1 200 4476 x
            Udp: InDatagrams NoPorts
            Udp: 88 3

            """
        var headers: [String] = []
        var positions: [Int] = []
        let tables = ProtocolTables<String>.parse(Self.bytes(text)) { position, header in
            positions.append(position)
            headers.append(String(decoding: header, as: UTF8.self))
            // Keep ActiveOpens and PassiveOpens of Tcp, nothing of Udp.
            return header.starts(with: Array("Tcp:".utf8))
                ? [(index: 3, column: "ActiveOpens"), (index: 4, column: "PassiveOpens")] : []
        }
        #expect(headers == ["Tcp: RtoAlgorithm RtoMin ActiveOpens PassiveOpens", "Udp: InDatagrams NoPorts"])
        #expect(positions == [0, 1])
        #expect(tables.values.map(\.column) == ["ActiveOpens"] && tables.values.map(\.value) == [4476])
        #expect(tables.malformedLines == 1)  // PassiveOpens is "x"
    }

    /// Picks are found wherever they are: out of order, twice, or past the end of a short line.
    @Test func protocolTablesFindPicksInAnyOrder() {
        let text = "Tcp: A B C D\nTcp:  1\t2 3  4\n"
        let tables = ProtocolTables<String>.parse(Self.bytes(text)) { _, _ in
            [
                (index: 4, column: "D"), (index: 1, column: "A"), (index: 1, column: "A again"),
                (index: 9, column: "none"),
            ]
        }
        #expect(tables.values.map(\.column) == ["D", "A", "A again"])
        #expect(tables.values.map(\.value) == [4, 1, 1])
        #expect(tables.malformedLines == 1)
    }
}
