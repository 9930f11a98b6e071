import Testing

@testable import VitalsRegex

@Suite struct GoRegexTests {
    /// node_exporter's default filters, on names that must and must not match (Go `MatchString`).
    @Test(
        arguments: [
            (#"^(z?ram|loop|fd|(h|s|v|xv)d[a-z]|nvme\d+n\d+p)\d+$"#, "sda1", true),
            (#"^(z?ram|loop|fd|(h|s|v|xv)d[a-z]|nvme\d+n\d+p)\d+$"#, "sda", false),
            (#"^(z?ram|loop|fd|(h|s|v|xv)d[a-z]|nvme\d+n\d+p)\d+$"#, "nvme0n1p2", true),
            (#"^(z?ram|loop|fd|(h|s|v|xv)d[a-z]|nvme\d+n\d+p)\d+$"#, "nvme0n1", false),
            (#"^(z?ram|loop|fd|(h|s|v|xv)d[a-z]|nvme\d+n\d+p)\d+$"#, "zram0", true),
            (#"^(z?ram|loop|fd|(h|s|v|xv)d[a-z]|nvme\d+n\d+p)\d+$"#, "dm-0", false),
            ("^/(dev|proc|run/credentials/.+|sys|var/lib/docker/.+|var/lib/containers/storage/.+)($|/)", "/dev", true),
            (
                "^/(dev|proc|run/credentials/.+|sys|var/lib/docker/.+|var/lib/containers/storage/.+)($|/)", "/dev/shm",
                true
            ),
            (
                "^/(dev|proc|run/credentials/.+|sys|var/lib/docker/.+|var/lib/containers/storage/.+)($|/)", "/device",
                false
            ),
            (
                "^/(dev|proc|run/credentials/.+|sys|var/lib/docker/.+|var/lib/containers/storage/.+)($|/)",
                "/var/lib/docker/x", true
            ),
            (
                "^/(dev|proc|run/credentials/.+|sys|var/lib/docker/.+|var/lib/containers/storage/.+)($|/)",
                "/var/lib/docker", false
            ),
            ("^(autofs|binfmt_misc|bpf|cgroup2?|configfs|tmpfs)$", "cgroup2", true),
            ("^(autofs|binfmt_misc|bpf|cgroup2?|configfs|tmpfs)$", "ext4", false),
            ("^(oom_kill|pgpg|pswp|pg.*fault).*", "pgmajfault", true),
            ("^(oom_kill|pgpg|pswp|pg.*fault).*", "nr_free_pages", false),
            (".+\\.(automount|device|mount|scope|slice)", "dev-sda.device", true),
            (".+\\.(automount|device|mount|scope|slice)", "nginx.service", false),
            ("^$", "", true), ("^$", "lo", false), ("lo", "hello", true), ("^lo$", "hello", false),
            ("(dmz|int)", "eth-int0", true), ("a{2,3}b", "xaab", true), ("a{2,3}b", "xab", false),
            ("^a{2}$", "aa", true), ("^a{2}$", "aaa", false), ("a+?b", "aaab", true), ("[^0-9]", "123", false),
            ("[^0-9]", "12a", true), ("\\bfoo\\b", "a foo b", true), ("\\bfoo\\b", "afoob", false),
            ("(?i)ETH", "eth0", true), ("x*", "", true), ("(a|ab)(c|bcd)(d*)", "abcd", true), ("a.c", "a\nc", false),
            ("^.$", "é", true), ("[.]", "a", false), ("a{,2}", "a{,2}", true), ("(?:ab)+$", "abab", true),
            ("^(a+)+$", "aaaaaaaaaaaaaaaaaaaaaaaa", true),
            // Where a backtracking matcher takes 2^n steps; RE2 and this matcher answer at once.
            ("^(a+)+$", String(repeating: "a", count: 40) + "b", false),
            ("^(a|aa)+$", String(repeating: "a", count: 60) + "b", false),
            ("(x+x+)+y", String(repeating: "x", count: 50), false),
            ("^(a*)*$", String(repeating: "a", count: 40) + "!", false),
            ("(a*)*b", "aaab", true), ("^(|a)+$", "aaa", true), ("é+", "xééy", true), ("^[^a]$", "é", true),
            ("^.{3}$", "aéb", true), ("^.{3}$", "aéé", true), ("^.{2}$", "é", false),
        ] as [(String, String, Bool)])
    func matchesLikeGo(pattern: String, input: String, expected: Bool) throws {
        #expect(try GoRegex(pattern).matches(input) == expected)
    }

    @Test(arguments: [
        "(", "a)", "[a", "*a", "a**", "\\", "[z-a]", "a{3,2}", "\\q", "(?x)a", "((a{1000}){1000}){1000}",
        // Found by fuzz-regex: a repeat count too long for Int trapped.
        "a{" + String(repeating: "9", count: 40) + "}",
    ])
    func rejectsInvalidPatterns(pattern: String) {
        #expect(throws: GoRegexError.self) { try GoRegex(pattern) }
    }

    /// The pathological inputs above, at a length where backtracking would never finish: a
    /// linear-time matcher answers, and a test time limit (not a timing assertion) catches a
    /// regression to backtracking as a hang.
    @Test(.timeLimit(.minutes(1))) func pathologicalPatternsFinishOnLongInputs() throws {
        let text = String(repeating: "a", count: 20_000) + "b"
        #expect(try !GoRegex("^(a+)+$").matches(text))
        #expect(try !GoRegex("^(a|aa)+$").matches(text))
        #expect(try GoRegex("(a+)+b").matches(text))
    }

    /// Found by fuzz-regex: an unclosed brace with a count too long for Int trapped; as in Go it is
    /// a literal brace.
    @Test func anUnclosedBraceWithAHugeCountIsLiteralText() throws {
        let text = "a{" + String(repeating: "5", count: 100) + "{"
        #expect(try GoRegex(text).matches("x" + text))
    }

    /// Found by fuzz-regex: thousands of nested groups overflowed the stack. Go's limit: a
    /// thousand nested groups compile and match, one more is an error at the group that opens it.
    @Test func nestingIsBoundedAtGosLimit() throws {
        let deepest = String(repeating: "(", count: 1000) + "a" + String(repeating: ")", count: 1000)
        #expect(try GoRegex(deepest).matches("xay"))
        let tooDeep = String(repeating: "(", count: 1001) + "a" + String(repeating: ")", count: 1001)
        let error = #expect(throws: GoRegexError.self) { try GoRegex(tooDeep) }
        #expect(error?.offset == 1000)
        #expect(error?.message == "expression nests too deeply")
        #expect(throws: GoRegexError.self) { try GoRegex(String(repeating: "(", count: 100_000)) }
    }

    @Test func errorNamesThePatternAndOffset() {
        do {
            _ = try GoRegex("ab(cd")
            Issue.record("expected an error")
        } catch {
            #expect(error.offset == 2)
            #expect(error.description.contains("\"ab(cd\""))
        }
    }
}
