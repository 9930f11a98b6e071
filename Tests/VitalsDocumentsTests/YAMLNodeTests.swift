import Testing
import VitalsDocuments
import VitalsTestSupport
import Yams

/// Every string the provisioner writes must read back as the same string, in libyaml (Yams), which
/// applies YAML 1.1's implicit types as Go's yaml.v2 does.
@Suite struct YAMLNodeTests {
    /// The value under `key` in `text`, as libyaml reads it.
    func readBack(_ text: String) throws -> Any? {
        (try Yams.load(yaml: text) as? [String: Any])?["key"]
    }

    @Test(arguments: [
        // YAML 1.1 booleans, nulls and numbers, in any case.
        "true", "False", "YES", "no", "on", "Off", "y", "N", "null", "~", "", ".inf", "-.inf", ".NaN",
        "0x1F", "1_000", "1:20", "1e3", "012", "+1", "-1", ".5",
        // Indicators and structure.
        "a: b", "ends with:", " leading", "trailing ", "a #b", "#comment", "- item", "[x]", "{x}", "*alias", "&anchor",
        "!tag", "|", ">", ">x", ":x", "<<", "'single'", "\"double\"", "%directive", "@at", "`tick`", "=", "a,b", "?",
        // Escapes.
        "line\nbreak", "tab\there", "back\\slash", "quote\"inside", "bell\u{07}", "delete\u{7F}", "c1\u{85}",
        "line\u{2028}separator", "paragraph\u{2029}", "bom\u{FEFF}", "é", "日本", "😀 emoji",
        // PromQL and Go templates, as the rules carry them.
        #"sum by (job) (rate(http_requests_total{job="chat/api",code=~"5.."}[5m])) > 0.05"#,
        "{{ $labels.instance }} is down for {{ $value | humanizeDuration }}",
    ])
    func everyStringReadsBackAsItself(text: String) throws {
        let written = YAMLNode.mapping(["key": .string(text)]).document()
        let read = try readBack(written)
        #expect(read as? String == text, "wrote \(written.debugDescription)")
    }

    @Test func plainWhereYAMLReadsItAsTheSameString() {
        for text in ["up", "chat/api", "node_exporter", "http://host:9100/metrics", "a b", "(x)", "a=b", "<none>"] {
            #expect(YAMLNode.mapping(["key": .string(text)]).document() == "key: \(text)\n")
        }
        #expect(YAMLNode.mapping(["key": "true"]).document() == "key: \"true\"\n")
        #expect(YAMLNode.mapping(["key": "a\"b\\c\nd\u{01}"]).document() == #"key: "a\"b\\c\nd\x01""# + "\n")
        #expect(YAMLNode.mapping(["key": "x\u{2028}y"]).document() == #"key: "x\u2028y""# + "\n")
    }

    @Test func randomStringsReadBackAsThemselves() throws {
        // A fixed seed: the same strings every run, over the characters that matter to YAML. No
        // BOM: libyaml drops one that starts a value, escaped or not (the table above has one
        // inside a value, which reads back).
        var generator = SplitMix64(seed: 0x5EED)
        let alphabet = Array("aZ09 :#-?.,'\"\\\n\t{}[]&*!|>%@`=~_/$()<>+é\u{85}\u{2028}\u{01}")
        for _ in 0..<2_000 {
            let length = Int(generator.next() % 12)
            let text = String((0..<length).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] })
            let written = YAMLNode.mapping(["key": .string(text)]).document()
            let read = try readBack(written)
            #expect(read as? String == text, "wrote \(written.debugDescription)")
        }
    }

    @Test func nestedDocumentsAreWrittenInBlockStyleWithSortedKeys() throws {
        let node: YAMLNode = [
            "b": [["name": "x", "values": [1, 2]], "v", []],
            "a": ["nested": ["z": true, "m": .number(1.5)]],
            "c": [:],
        ]
        let written = node.document(comments: ["generated"])
        #expect(
            written == """
                # generated
                a:
                  nested:
                    m: 1.5
                    z: true
                b:
                - name: x
                  values:
                  - 1
                  - 2
                - v
                - []
                c: {}
                """ + "\n")
        #expect(try Yams.load(yaml: written) as? [String: Any] != nil)
    }
}
