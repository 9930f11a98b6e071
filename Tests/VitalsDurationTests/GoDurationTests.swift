import Testing
import VitalsDuration

/// Expected values are Go's `time.ParseDuration` results for the same inputs.
@Suite struct GoDurationTests {
    @Test(arguments: [
        ("0", Int64(0)),
        ("5s", 5_000_000_000),
        ("+5s", 5_000_000_000),
        ("-5s", -5_000_000_000),
        ("1m30s", 90_000_000_000),
        ("1.5h", 5_400_000_000_000),
        ("-1.5h", -5_400_000_000_000),
        (".5s", 500_000_000),
        ("5.s", 5_000_000_000),
        ("250ms", 250_000_000),
        ("300us", 300_000),
        ("300\u{00B5}s", 300_000),
        ("300\u{03BC}s", 300_000),
        ("1h2m3s4ms5us6ns", 3_723_004_005_006),
        ("0.0000000001s", 0),
        ("2562047h47m16.854775807s", Int64.max),
        ("-9223372036854775808ns", Int64.min),
        ("9223372036854775807ns", Int64.max),
    ])
    func parsesLikeGo(text: String, nanoseconds: Int64) throws {
        #expect(try GoDuration.parse(text) == .nanoseconds(nanoseconds))
    }

    @Test(arguments: [
        ("", GoDuration.ParseError.Reason.invalid),
        ("s", .invalid),
        ("-", .invalid),
        (".s", .invalid),
        ("5", .missingUnit),
        ("5s3", .missingUnit),
        ("5x", .unknownUnit("x")),
        ("1e3s", .unknownUnit("e")),
        ("9999999999h", .overflow),
        ("99999999999999h", .overflow),
        ("2562047h47m16.854775808s", .overflow),
        ("9223372036854775808ns", .overflow),
        ("99999999999999999999s", .overflow),
        ("1000000000000000000000000000000s", .overflow),
    ])
    func rejectsWithGosReason(text: String, reason: GoDuration.ParseError.Reason) {
        #expect(throws: GoDuration.ParseError(text: text, reason: reason)) { try GoDuration.parse(text) }
    }

    @Test func rangeChecksSayWhatIsAllowed() throws {
        let range = Duration.milliseconds(1)...Duration.seconds(86_400)
        #expect(throws: GoDuration.ParseError(text: "0s", reason: .outOfRange(range))) {
            try GoDuration.parse("0s", in: range)
        }
        let error = #expect(throws: GoDuration.ParseError.self) { try GoDuration.parse("25h", in: range) }
        #expect(error?.description == "duration \"25h\" is out of range; expected from 1ms to 24h0m0s")
        #expect(try GoDuration.parse("24h", in: range) == .seconds(86_400))
    }

    @Test(arguments: [
        (Int64(0), "0s"), (1, "1ns"), (1_500, "1.5µs"), (250_000_000, "250ms"), (5_000_000_000, "5s"),
        (90_000_000_000, "1m30s"), (3_600_000_000_000, "1h0m0s"), (5_400_500_000_000, "1h30m0.5s"),
        (-5_000_000_000, "-5s"),
        // Found by fuzz-duration: Int64.min printed one nanosecond short and did not parse back.
        (Int64.min, "-2562047h47m16.854775808s"), (Int64.max, "2562047h47m16.854775807s"),
    ])
    func formatsLikeGo(nanoseconds: Int64, text: String) {
        #expect(GoDuration.format(.nanoseconds(nanoseconds)) == text)
    }
}
