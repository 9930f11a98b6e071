import Testing

@testable import VitalsProcFS

@Suite struct LoadAverageTests {
    @Test func parsesFixture() throws {
        let load = try LoadAverage.parse(try Fixtures.file("proc/loadavg"))
        #expect(load == LoadAverage(load1: 0.21, load5: 0.37, load15: 0.39))
    }

    @Test(arguments: ["", "0.1 0.2\n", "0.1 x 0.3 1/2 3\n", "\n\n"])
    func rejectsMalformed(text: String) {
        #expect(throws: ProcParseError.self) { try LoadAverage.parse(Fixtures.bytes(text)) }
    }
}

@Suite struct MemInfoTests {
    @Test func parsesFixture() throws {
        let info = try MemInfo.parse(try Fixtures.file("proc/meminfo"))
        #expect(info.bytes("MemTotal") == Double(3_742_148) * 1024)
        #expect(info.bytes("HugePages_Total") == 0)
        #expect(info.fields.first { $0.name == "Active(anon)" }?.hasUnit == true)
        #expect(info.malformedLines == 0)
    }

    @Test func skipsAndCountsMalformedLines() throws {
        let text = "MemTotal: 100 kB\nMemFree 5 kB\nCached: x kB\nBuffers: 1 kB extra\n\nDirty: 3\n"
        let info = try MemInfo.parse(Fixtures.bytes(text))
        #expect(info.fields.map(\.name) == ["MemTotal", "Dirty"])
        #expect(info.malformedLines == 3)
    }

    @Test func rejectsEmpty() {
        #expect(throws: ProcParseError.self) { try MemInfo.parse([]) }
    }
}

@Suite struct DiskStatsTests {
    @Test func parsesFixtureWithEveryFieldCount() throws {
        let stats = DiskStats.parse(try Fixtures.file("proc/diskstats"))
        #expect(stats.malformedLines == 0)
        let sda = try #require(stats.devices.first { $0.name == "sda" })
        #expect(sda.major == 8)
        #expect(sda.counters[0] == 25_354_637)
        #expect(Set(stats.devices.map(\.counters.count)).isSuperset(of: [11, 15, 17]))
    }

    @Test func skipsAndCountsMalformedLines() {
        let text = """
               8       0 sda 1 2 3 4 5 6 7 8 9 10 11
               8       1 sda1 1 2 3
               x       2 sdb 1 2 3 4 5 6 7 8 9 10 11
               8       3 sdc 1 2 3 4 5 6 7 8 9 ten 11

            """
        let stats = DiskStats.parse(Fixtures.bytes(text))
        #expect(stats.devices.map(\.name) == ["sda"])
        #expect(stats.malformedLines == 3)
    }
}

@Suite struct NetDevTests {
    @Test func skipsAndCountsMalformedLines() {
        let text = """
            Inter-|   Receive                                                |  Transmit
             face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
                lo: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16
              eth0: 1 2 3
              eth1 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16
              eth2: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 x
            """
        let netDev = NetDev.parse(Fixtures.bytes(text))
        #expect(netDev.interfaces.map(\.name) == ["lo"])
        #expect(netDev.interfaces[0].transmitCompressed == 16)
        #expect(netDev.malformedLines == 3)
    }
}

@Suite struct MountInfoTests {
    @Test func parsesAndUnescapes() {
        let text = """
            27 1 254:0 / / rw,relatime - ext4 /dev/vda rw,discard
            40 27 0:38 / /mnt/with\\040space rw shared:1 master:2 - nfs server:/export ro,vers=4
            bad line
            41 27 x:38 / /m rw - tmpfs tmpfs rw
            42 27 0:39 / /n rw no-separator tmpfs tmpfs rw

            """
        let info = MountInfo.parse(Fixtures.bytes(text))
        #expect(info.mounts.map(\.mountPoint) == ["/", "/mnt/with space"])
        #expect(info.mounts[1].fsType == "nfs")
        #expect(info.mounts[1].source == "server:/export")
        #expect(info.mounts[1].isReadOnly)
        #expect(!info.mounts[0].isReadOnly)
        #expect(info.mounts[0].major == 254)
        #expect(info.malformedLines == 3)
    }
}

@Suite struct ProcessStatTests {
    @Test func parsesCommandNamesWithSpacesAndParentheses() throws {
        let text =
            "1234 (my (weird) cmd) S 1 1234 1234 0 -1 4194560 100 0 0 0 250 75 0 0 20 0 4 0 5000 1000000 300 18446744073709551615"
        let stat = try ProcessStat.parse(Fixtures.bytes(text))
        #expect(stat.userTicks == 250)
        #expect(stat.systemTicks == 75)
        #expect(stat.threads == 4)
        #expect(stat.startTicks == 5000)
        #expect(stat.virtualMemoryBytes == 1_000_000)
        #expect(stat.residentPages == 300)
    }

    @Test(arguments: ["", "1 (x) S 1 2 3", "1 x S 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22"])
    func rejectsTruncated(text: String) {
        #expect(throws: ProcParseError.self) { try ProcessStat.parse(Fixtures.bytes(text)) }
    }

    @Test func parsesLimits() {
        let text = """
            Limit                     Soft Limit           Hard Limit           Units
            Max open files            1024                 524288               files
            Max address space         unlimited            unlimited            bytes
            """
        let limits = ProcessLimits.parse(Fixtures.bytes(text))
        #expect(limits.openFiles == 1024)
        #expect(limits.addressSpace == nil)
    }
}

@Suite struct TextAttributeTests {
    @Test(
        arguments: [
            ("0x1f", 31), ("17", 17), ("-1", -1), ("010", 8), ("0b11", 3), ("0", 0), ("-0", 0), ("1_000", 1000),
            ("9223372036854775807", .max), ("-9223372036854775807", -.max), ("+5", 5),
        ] as [(String, Int64)])
    func parsesGoBasePrefixes(text: String, value: Int64) {
        #expect(ByteText.parseInteger(text) == value)
    }

    @Test func rejectsNonNumbers() {
        #expect(ByteText.parseInteger("") == nil)
        #expect(ByteText.parseInteger("up") == nil)
        #expect(ByteText.parseInteger("-") == nil)
        #expect(ByteText.parseInteger("12 ") == nil)
        #expect(ByteText.parseInteger("9223372036854775808") == nil)
    }

    @Test func parsesCPULists() throws {
        #expect(try CPUList.parse("1,3-5,9\n") == [1, 3, 4, 5, 9])
        #expect(try CPUList.parse("") == [])
        #expect(throws: ProcParseError.self) { try CPUList.parse("3-1") }
        // Found by fuzz-procfs: a corrupt range asked for 240 TB.
        #expect(throws: ProcParseError.self) { try CPUList.parse("0-30000000000000") }
        #expect(throws: ProcParseError.self) { try CPUList.parse("0-65535,0-1") }
        #expect(try CPUList.parse("0-8191").count == 8192)
    }

    @Test func parsesOSReleaseQuoting() {
        let text =
            "NAME=\"Debian GNU/Linux\"\nID=debian\nPRETTY_NAME='It''s'\n# comment\nBROKEN\nVERSION=\"12 \\\"b\\\"\"\n"
        let release = OSRelease.parse(Fixtures.bytes(text))
        #expect(release["NAME"] == "Debian GNU/Linux")
        #expect(release["ID"] == "debian")
        #expect(release["PRETTY_NAME"] == "Its")
        #expect(release["VERSION"] == "12 \"b\"")
        #expect(release.malformedLines == 1)
    }

    @Test func parsesUdevProperties() {
        let properties = UdevProperties.parse(
            Fixtures.bytes("S:disk/by-id/x\nE:ID_MODEL=SSD\nE:BROKEN\nE:ID_PATH=pci-0:1\n"))
        #expect(properties.values == ["ID_MODEL": "SSD", "ID_PATH": "pci-0:1"])
    }

    @Test func parsesCPUInfoFixture() throws {
        let info = CPUInfo.parse(try Fixtures.file("proc/cpuinfo"))
        #expect(info.processors.count == 8)
        #expect(info.processors[0].vendorID == "GenuineIntel")
        #expect(info.processors[0].flags.contains("aes"))
    }

    @Test func parsesNetlinkDump() {
        // RTM_NEWLINK for "lo" with IFLA_STATS64, then NLMSG_DONE.
        var message: [UInt8] = []
        func append16(_ value: UInt16) { message += [UInt8(value & 0xFF), UInt8(value >> 8)] }
        func append32(_ value: UInt32) {
            for shift in stride(from: 0, to: 32, by: 8) { message.append(UInt8((value >> UInt32(shift)) & 0xFF)) }
        }
        let name: [UInt8] = Array("lo".utf8) + [0, 0]
        let statsLength = 4 + 24 * 8
        let length = 16 + 16 + (4 + name.count) + statsLength
        append32(UInt32(length))
        append16(16)
        append16(2)
        append32(1)
        append32(0)
        message += [UInt8](repeating: 0, count: 16)
        append16(UInt16(4 + 3))
        append16(3)
        message += name
        append16(UInt16(statsLength))
        append16(23)
        for index in 0..<24 { message += withUnsafeBytes(of: UInt64(index + 1).littleEndian, Array.init) }
        append32(16)
        append16(3)
        append16(2)
        append32(1)
        append32(0)
        var dump = NetlinkLinkStats()
        let finished = dump.parse(message[...])
        #expect(finished)
        #expect(dump.links.count == 1)
        #expect(dump.links.first?.name == "lo")
        #expect(dump.links.first?.counter("rx_bytes") == 3)
        #expect(dump.links.first?.counter("rx_nohandler") == 24)
        #expect(dump.malformedMessages == 0)
    }
}
