import Testing

@testable import VitalsLogging

@Suite struct LogfmtLogHandlerTests {
    @Test(arguments: [
        ("plain", "plain"),
        ("", "\"\""),
        ("two words", "\"two words\""),
        ("a=b", "\"a=b\""),
        ("say \"hi\"", "\"say \\\"hi\\\"\""),
        // A user name sent in a basic-auth header must not start a new log line.
        ("admin\r\ntime=x level=INFO msg=forged", "\"admin\\r\\ntime=x level=INFO msg=forged\""),
        ("tab\there", "\"tab\\there\""),
        ("bell\u{07}", "\"bell\\u0007\""),
        ("del\u{7F}", "\"del\\u007f\""),
        ("c1\u{85}", "\"c1\\u0085\""),
        ("sep\u{2028}", "\"sep\\u2028\""),
        ("back\\slash", "back\\slash"),
        ("größe", "größe"),
    ])
    func valuesAreQuotedAndEscaped(value: String, expected: String) {
        #expect(LogfmtLogHandler.quoted(value) == expected)
    }

    /// Whatever the value, the written record is a single line.
    @Test func noValueCanBreakTheLine() {
        for scalar in (0..<0x300).compactMap(Unicode.Scalar.init) {
            let quoted = LogfmtLogHandler.quoted("x\(scalar)y")
            #expect(!quoted.contains("\n") && !quoted.contains("\r"), "U+\(String(scalar.value, radix: 16))")
        }
    }
}
