import Testing
import VitalsDocuments

@Suite struct JSONReaderTests {
    let reader = JSONReader()

    @Test func readsEveryKindOfValue() throws {
        let node = try reader.read(
            #" {"a": [1, -2, 3.5, 1e3, true, false, null], "b": {"c": "d"}, "e": "", "big": 123456789012345678901234} "#
        )
        #expect(node["a"] == .array([.integer(1), .integer(-2), .number(3.5), .number(1000), true, false, .null]))
        #expect(node["b"]?["c"]?.stringValue == "d")
        #expect(node["e"]?.stringValue == "")
        #expect(node["big"] == .number(1.2345678901234568e23))
        #expect(try reader.read("[]") == .array([]))
        #expect(try reader.read("{}") == .object([:]))
    }

    @Test func decodesEscapesAndSurrogatePairs() throws {
        let node = try reader.read(#""q\" b\\ s\/ \b\f\n\r\t \u00e9 \ud83d\ude00 é""#)
        #expect(node.stringValue == "q\" b\\ s/ \u{08}\u{0C}\n\r\t é 😀 é")
        // A lone surrogate is replaced, never a crash.
        #expect(try reader.read(#""\ud800x""#).stringValue == "\u{FFFD}x")
        #expect(try reader.read(#""\udc00""#).stringValue == "\u{FFFD}")
    }

    @Test(arguments: [
        ("", 0, "a value"),
        ("{", 1, "a member name in quotes"),
        (#"{"a" 1}"#, 5, "\":\" after a member name"),
        (#"{"a": 1,}"#, 8, "a member name in quotes"),
        ("[1 2]", 3, "\",\" or \"]\""),
        ("tru", 3, "\"true\""),
        ("01", 1, "end of the document"),
        ("-", 1, "a digit"),
        ("1.", 2, "a digit after the decimal point"),
        ("\"abc", 4, "the closing quote of a string"),
        ("\"a\nb\"", 2, "no control character inside a string (escape it)"),
        (#""\x""#, 2, #"one of \" \\ \/ \b \f \n \r \t \uXXXX"#),
        (#""\u12g4""#, 5, "four hex digits after \\u"),
        ("[1] x", 4, "end of the document"),
        ("[1E+5678901234]", 1, "a number within the range of a 64-bit float"),
        ("-1e999", 0, "a number within the range of a 64-bit float"),
    ])
    func rejectsMalformedInputWithThePlace(input: String, offset: Int, expected: String) {
        #expect(throws: JSONReadError.self) { try reader.read(input) }
        do {
            _ = try reader.read(input)
        } catch {
            #expect(error.offset == offset)
            #expect(error.expected == expected)
        }
    }

    @Test func boundsNesting() throws {
        let deep = String(repeating: "[", count: 100_000)
        #expect(throws: JSONReadError.self) { try reader.read(deep) }
        var shallow = JSONReader()
        shallow.maximumDepth = 3
        #expect(try shallow.read("[[[]]]") == .array([.array([.array([])])]))
        #expect(throws: JSONReadError.self) { try shallow.read("[[[[]]]]") }
    }

    @Test func describesTheErrorForAnOperator() {
        #expect(
            JSONReadError(offset: 7, expected: "a value", found: UInt8(ascii: "}")).description
                == "at byte 7: expected a value, found \"}\"")
        #expect(
            JSONReadError(offset: 0, expected: "a value", found: nil).description.hasSuffix(
                "found the end of the input"))
    }
}
