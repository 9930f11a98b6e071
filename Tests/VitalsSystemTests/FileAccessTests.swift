import Foundation
import Testing
import VitalsTestSupport

@testable import VitalsSystem

@Suite struct FileAccessTests {
    @Test func writeAtomicallyReplacesTheFileAndLeavesNoTemporary() throws {
        let directory = try TestPaths.temporaryDirectory("vitals-file-access")
        let path = directory + "/config.yml"
        try FileAccess.writeAtomically(Array("first\n".utf8), to: path)
        try FileAccess.writeAtomically(Array("second\n".utf8), to: path, mode: 0o600)
        #expect(try FileAccess.readString(path) == "second\n")
        #expect(try FileAccess.listDirectory(directory).map(\.name) == ["config.yml"])
        var info = stat()
        #expect(stat(path, &info) == 0 && info.st_mode & 0o777 == 0o600)
    }

    @Test func createFileRefusesToReplaceAnExistingFile() throws {
        let directory = try TestPaths.temporaryDirectory("vitals-file-access")
        let path = directory + "/mine.yml"
        try FileAccess.createFile(Array("a user's file\n".utf8), at: path)
        #expect(throws: FileSystemError.self) { try FileAccess.createFile(Array("generated\n".utf8), at: path) }
        #expect(try FileAccess.readString(path) == "a user's file\n")
    }

    @Test func aWriteIntoAMissingDirectoryNamesThePathAndLeavesNothing() throws {
        let directory = try TestPaths.temporaryDirectory("vitals-file-access")
        let path = directory + "/absent/config.yml"
        let error = try #require(throws: FileSystemError.self) {
            try FileAccess.writeAtomically(Array("x".utf8), to: path)
        }
        #expect(error.path.hasPrefix(directory + "/absent/"))
        #expect(try FileAccess.listDirectory(directory).isEmpty)
    }

    /// Removing a staging tree never follows a link out of it: what the link points at stays.
    @Test func removeTreeRemovesNestedEntriesButNotWhatALinkPointsAt() throws {
        let directory = try TestPaths.temporaryDirectory("vitals-file-access")
        let outside = directory + "/outside"
        try FileAccess.makeDirectories(outside)
        try FileAccess.createFile(Array("keep\n".utf8), at: outside + "/kept.txt")
        let tree = directory + "/tree"
        try FileAccess.makeDirectories(tree + "/a/b/c")
        try FileAccess.createFile(Array("x".utf8), at: tree + "/a/b/c/file")
        try FileAccess.createFile(Array("y".utf8), at: tree + "/top")
        #expect(symlink(outside, tree + "/a/link") == 0)
        try FileAccess.removeTree(tree)
        #expect(!FileAccess.exists(tree))
        #expect(try FileAccess.readString(outside + "/kept.txt") == "keep\n")
        // Gone already is not an error.
        try FileAccess.removeTree(tree)
    }

    /// Reads grow the buffer from 4 KiB: every size around the growth steps comes back whole, and
    /// a file over the limit is cut at it (``read``) or refused (``readRegularFile``).
    @Test(arguments: [0, 1, 4095, 4096, 4097, 8192, 8193, 100_000])
    func readsAFileOfAnySizeWhole(size: Int) throws {
        let directory = try TestPaths.temporaryDirectory("vitals-file-access")
        let path = directory + "/data"
        let bytes = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 / 256) }
        try FileAccess.createFile(bytes, at: path)
        #expect(try FileAccess.read(path) == bytes)
        #expect(try FileAccess.readRegularFile(path) == bytes)
        if size > 10 {
            #expect(try FileAccess.read(path, limit: size - 1) == Array(bytes.prefix(size - 1)))
            #expect(throws: FileSystemError.self) { try FileAccess.readRegularFile(path, limit: size - 1) }
            #expect(try FileAccess.read(path, limit: size) == bytes)
        }
    }

    /// A pipe hands data over in pieces, as /proc's seq files do; the read goes on to the end.
    @Test func aReadInPiecesComesBackWhole() throws {
        var ends: [Int32] = [0, 0]
        #expect(pipe(&ends) == 0)
        let chunks = (0..<12).map { index in [UInt8](repeating: UInt8(index), count: 1000 + index) }
        let writeEnd = ends[1]
        let writer = Thread {
            for chunk in chunks { _ = chunk.withUnsafeBytes { write(writeEnd, $0.baseAddress, $0.count) } }
            close(writeEnd)
        }
        writer.start()
        defer { close(ends[0]) }
        #expect(try FileAccess.read("/dev/fd/\(ends[0])") == chunks.flatMap { $0 })
    }

    @Test func parentDirectoryOfEdgeCases() {
        #expect(FileAccess.parentDirectory(of: "a/b/c") == "a/b")
        #expect(FileAccess.parentDirectory(of: "/a") == "/")
        #expect(FileAccess.parentDirectory(of: "a") == "")
        #expect(FileAccess.parentDirectory(of: "/a/b/") == "/a")
    }
}

/// Paths are joined with exactly one slash between components, whatever slashes they bring.
@Suite struct JoinPathTests {
    @Test(arguments: [
        ("/proc", "stat", "/proc/stat"), ("/proc/", "stat", "/proc/stat"), ("/proc", "/stat", "/proc/stat"),
        ("/proc/", "/stat", "/proc/stat"), ("/proc", "", "/proc"), ("/", "sys", "/sys"), ("/proc/", "/", "/proc/"),
        ("", "x", "/x"), ("", "/x", "/x"), ("/héllo", "wörld", "/héllo/wörld"),
    ])
    func joinsOneComponent(base: String, component: String, joined: String) {
        #expect(joinPath(base, component) == joined)
        var path = base
        appendPathComponent(&path, component)
        #expect(path == joined)
    }

    @Test func joinsSeveralComponents() {
        #expect(joinPath("/sys", "class/net", "/eth0", "", "speed") == "/sys/class/net/eth0/speed")
        #expect(joinPath("/sys/") == "/sys/")
    }
}

/// Directory listings come in byte order, as Go's os.ReadDir gives them.
@Suite struct DirectoryOrderTests {
    @Test(arguments: [
        ("a", "b", true), ("b", "a", false), ("a", "a", false), ("a", "ab", true), ("ab", "a", false),
        ("", "a", true), ("a", "", false), ("Z", "a", true), ("eth10", "eth2", true),
        // Not NFC: "é" as e + U+0301 is 0x65 0xCC 0x81, which sorts before "f" by bytes.
        ("e\u{301}", "f", true), ("\u{E9}", "f", false), ("veth\u{FF}x", "vethz", false),
    ])
    func namesSortByTheirBytes(left: String, right: String, precedes: Bool) {
        #expect(FileAccess.bytesPrecede(left, right) == precedes)
        #expect(FileAccess.bytesPrecede(left, right) == left.utf8.lexicographicallyPrecedes(right.utf8))
    }
}
