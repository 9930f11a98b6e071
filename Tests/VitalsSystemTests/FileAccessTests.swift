import Foundation
import Testing
import VitalsSystem
import VitalsTestSupport

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

    @Test func parentDirectoryOfEdgeCases() {
        #expect(FileAccess.parentDirectory(of: "a/b/c") == "a/b")
        #expect(FileAccess.parentDirectory(of: "/a") == "/")
        #expect(FileAccess.parentDirectory(of: "a") == "")
        #expect(FileAccess.parentDirectory(of: "/a/b/") == "/a")
    }
}
