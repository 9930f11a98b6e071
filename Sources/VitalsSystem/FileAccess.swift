import CVitalsSystem

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Thin POSIX file access for kernel pseudo-files, without Foundation.
///
/// /proc files report a size of zero, may change between reads and must be read in one pass,
/// so everything here reads until EOF into one buffer.
public enum FileAccess {
    /// The most we read from one file, to bound memory if a path points somewhere unexpected.
    public static let defaultLimit = 16 << 20

    /// Reads a whole file.
    public static func read(_ path: String, limit: Int = defaultLimit) throws(FileSystemError) -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw FileSystemError(path: path, operation: "open", errorNumber: errno) }
        defer { close(descriptor) }
        return try readToEnd(descriptor, path: path, capacity: 4096, limit: limit).bytes
    }

    /// Reads from `descriptor` until EOF or `limit` bytes, into an array of `capacity` bytes to
    /// start with, doubled while it fills; says whether more was left past the limit.
    ///
    /// The kernel writes straight into the array's uninitialized storage: a scrape reads dozens of
    /// files, and zero-filling a buffer for each before reading into it was a visible cost.
    private static func readToEnd(
        _ descriptor: Int32, path: String, capacity: Int, limit: Int
    ) throws(FileSystemError) -> (bytes: [UInt8], truncated: Bool) {
        var capacity = max(1, min(capacity, limit + 1))
        var bytes: [UInt8] = []
        var failure: Int32 = 0
        var atEnd = false
        while true {
            let previous = bytes
            bytes = [UInt8](unsafeUninitializedCapacity: capacity) { storage, initialized in
                var filled = previous.count
                previous.withUnsafeBufferPointer { old in
                    if let start = old.baseAddress { storage.baseAddress!.initialize(from: start, count: old.count) }
                }
                while filled < storage.count {
                    let got = Glibc.read(descriptor, storage.baseAddress! + filled, storage.count - filled)
                    if got < 0 {
                        if errno == EINTR { continue }
                        failure = errno
                        break
                    }
                    if got == 0 {
                        atEnd = true
                        break
                    }
                    filled += got
                }
                initialized = filled
            }
            if failure != 0 { throw FileSystemError(path: path, operation: "read", errorNumber: failure) }
            if atEnd { return (bytes, false) }
            // The array is full: more may follow.
            guard bytes.count <= limit else { return (Array(bytes[..<limit]), true) }
            capacity = min(capacity * 2, limit + 1)
        }
    }

    /// Reads a whole file as text: a regular file no larger than `limit`, never cut short.
    public static func readString(_ path: String, limit: Int = defaultLimit) throws(FileSystemError) -> String {
        String(decoding: try readRegularFile(path, limit: limit), as: UTF8.self)
    }

    /// Reads a whole file that a person or another program wrote (a config, a textfile): it must be
    /// a regular file — a FIFO would block the reader forever — and no larger than `limit`, which is
    /// an error rather than a silent cut.
    public static func readRegularFile(_ path: String, limit: Int = defaultLimit) throws(FileSystemError) -> [UInt8] {
        // O_NONBLOCK: opening a FIFO without a writer would otherwise block here.
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard descriptor >= 0 else { throw FileSystemError(path: path, operation: "open", errorNumber: errno) }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else {
            throw FileSystemError(path: path, operation: "stat", errorNumber: errno)
        }
        guard info.st_mode & S_IFMT == S_IFREG else {
            throw FileSystemError(
                path: path, operation: "open", errorNumber: EINVAL, explanation: "not a regular file")
        }
        guard Int(info.st_size) <= limit else {
            throw FileSystemError(
                path: path, operation: "read", errorNumber: EFBIG,
                explanation: "file is \(info.st_size) bytes, more than the limit of \(limit)")
        }
        let (bytes, truncated) = try readToEnd(descriptor, path: path, capacity: Int(info.st_size) + 1, limit: limit)
        guard !truncated else {
            throw FileSystemError(
                path: path, operation: "read", errorNumber: EFBIG,
                explanation: "file grew past the limit of \(limit) bytes while it was read")
        }
        return bytes
    }

    /// Replaces `path` with `bytes` atomically: written to a new file beside it, flushed, then
    /// renamed over it, so that a reader sees the old file or the new one, never half of either.
    public static func writeAtomically(_ bytes: [UInt8], to path: String, mode: mode_t = 0o644) throws(FileSystemError)
    {
        let temporary = path + ".tmp-\(getpid())"
        try writeNewFile(bytes, at: temporary, mode: mode, flush: true)
        guard rename(temporary, path) == 0 else {
            let error = FileSystemError(path: path, operation: "rename", errorNumber: errno)
            unlink(temporary)
            throw error
        }
    }

    /// Writes a new file that must not exist yet, without flushing it: for staging many files that
    /// ``syncFileSystem(containing:)`` then flushes at once, before they are renamed into place.
    public static func createFile(_ bytes: [UInt8], at path: String, mode: mode_t = 0o644) throws(FileSystemError) {
        try writeNewFile(bytes, at: path, mode: mode, flush: false)
    }

    /// Creates `path`, writes `bytes` and closes it, flushing first when asked; on any failure
    /// the partial file is removed, so nothing half-written is left behind.
    private static func writeNewFile(_ bytes: [UInt8], at path: String, mode: mode_t, flush: Bool)
        throws(FileSystemError)
    {
        let descriptor = try createExclusively(path, mode: mode)
        do throws(FileSystemError) {
            try writeAll(bytes, to: descriptor, path: path)
            if flush, fsync(descriptor) != 0 {
                throw FileSystemError(path: path, operation: "fsync", errorNumber: errno)
            }
        } catch {
            close(descriptor)
            unlink(path)
            throw error
        }
        guard close(descriptor) == 0 else {
            let error = FileSystemError(path: path, operation: "close", errorNumber: errno)
            unlink(path)
            throw error
        }
    }

    /// Creates a directory and any missing parents (`mkdir -p`).
    public static func makeDirectories(_ path: String, mode: mode_t = 0o755) throws(FileSystemError) {
        if mkdir(path, mode) == 0 || (errno == EEXIST && isDirectory(path)) { return }
        guard errno == ENOENT else { throw FileSystemError(path: path, operation: "mkdir", errorNumber: errno) }
        let parent = parentDirectory(of: path)
        if !parent.isEmpty, parent != path { try makeDirectories(parent, mode: mode) }
        guard mkdir(path, mode) == 0 || (errno == EEXIST && isDirectory(path)) else {
            throw FileSystemError(path: path, operation: "mkdir", errorNumber: errno)
        }
    }

    /// The path without its last component: `a/b` of `a/b/c`, `/` of `/a`, empty for `a`.
    public static func parentDirectory(of path: String) -> String {
        var bytes = Array(path.utf8)
        while bytes.count > 1, bytes.last == UInt8(ascii: "/") { bytes.removeLast() }
        guard let slash = bytes.lastIndex(of: UInt8(ascii: "/")) else { return "" }
        return slash == 0 ? "/" : String(decoding: bytes[..<slash], as: UTF8.self)
    }

    /// Flushes everything written to the file system that holds `path`: one flush for a whole batch
    /// of staged files instead of one per file.
    public static func syncFileSystem(containing path: String) throws(FileSystemError) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw FileSystemError(path: path, operation: "open", errorNumber: errno) }
        defer { close(descriptor) }
        guard vitals_sync_file_system(descriptor) == 0 else {
            throw FileSystemError(path: path, operation: "syncfs", errorNumber: errno)
        }
    }

    /// Flushes a directory's entries, so that renames into it survive a crash.
    public static func syncDirectory(_ path: String) throws(FileSystemError) {
        let descriptor = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { throw FileSystemError(path: path, operation: "open", errorNumber: errno) }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw FileSystemError(path: path, operation: "fsync", errorNumber: errno) }
    }

    private static func createExclusively(_ path: String, mode: mode_t) throws(FileSystemError) -> Int32 {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard descriptor >= 0 else { throw FileSystemError(path: path, operation: "open", errorNumber: errno) }
        return descriptor
    }

    private static func writeAll(_ bytes: [UInt8], to descriptor: Int32, path: String) throws(FileSystemError) {
        var written = 0
        while written < bytes.count {
            let result = bytes.withUnsafeBytes { buffer in
                write(descriptor, buffer.baseAddress! + written, buffer.count - written)
            }
            if result < 0 {
                if errno == EINTR { continue }
                throw FileSystemError(path: path, operation: "write", errorNumber: errno)
            }
            written += result
        }
    }

    /// The process's working directory, or nil when it cannot be read.
    public static func currentDirectory() -> String? {
        var buffer = [CChar](repeating: 0, count: 4096)
        guard getcwd(&buffer, buffer.count) != nil else { return nil }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// One entry of a directory listing.
    public struct DirectoryEntry: Sendable, Hashable {
        public var name: String
        public var kind: Kind

        public enum Kind: Sendable, Hashable { case regular, directory, symbolicLink, other }
    }

    /// Lists a directory, without `.` and `..`, sorted by name.
    public static func listDirectory(_ path: String) throws(FileSystemError) -> [DirectoryEntry] {
        guard let directory = opendir(path) else {
            throw FileSystemError(path: path, operation: "opendir", errorNumber: errno)
        }
        defer { closedir(directory) }
        var entries: [DirectoryEntry] = []
        while let entry = readdir(directory) {
            let name = withUnsafePointer(to: entry.pointee.d_name) { pointer in
                pointer.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name == "." || name == ".." { continue }
            let kind: DirectoryEntry.Kind
            switch Int32(entry.pointee.d_type) {
            case Int32(DT_REG): kind = .regular
            case Int32(DT_DIR): kind = .directory
            case Int32(DT_LNK): kind = .symbolicLink
            default: kind = .other
            }
            entries.append(DirectoryEntry(name: name, kind: kind))
        }
        entries.sort { bytesPrecede($0.name, $1.name) }
        return entries
    }

    /// Byte order, as Go sorts directory listings: `<` on String orders by Unicode canonical
    /// equivalence, which differs for names that are not NFC, and the UTF-8 views' own comparison
    /// walks them a byte at a time through an iterator.
    static func bytesPrecede(_ left: String, _ right: String) -> Bool {
        let compared = left.utf8.withContiguousStorageIfAvailable { leftBytes in
            right.utf8.withContiguousStorageIfAvailable { rightBytes in
                let common = min(leftBytes.count, rightBytes.count)
                if common > 0 {
                    let order = memcmp(leftBytes.baseAddress!, rightBytes.baseAddress!, common)
                    if order != 0 { return order < 0 }
                }
                return leftBytes.count < rightBytes.count
            }
        }
        return (compared ?? nil) ?? left.utf8.lexicographicallyPrecedes(right.utf8)
    }

    /// Removes a file, or a directory with everything under it (`rm -rf`), never following a
    /// symbolic link out of the tree. Only for trees this program created itself.
    public static func removeTree(_ path: String) throws(FileSystemError) {
        var info = stat()
        guard lstat(path, &info) == 0 else {
            if errno == ENOENT { return }
            throw FileSystemError(path: path, operation: "lstat", errorNumber: errno)
        }
        if (info.st_mode & S_IFMT) == S_IFDIR {
            for entry in try listDirectory(path) { try removeTree(path + "/" + entry.name) }
            guard rmdir(path) == 0 || errno == ENOENT else {
                throw FileSystemError(path: path, operation: "rmdir", errorNumber: errno)
            }
        } else {
            guard unlink(path) == 0 || errno == ENOENT else {
                throw FileSystemError(path: path, operation: "unlink", errorNumber: errno)
            }
        }
    }

    /// Resolves a symbolic link's target.
    public static func readLink(_ path: String) throws(FileSystemError) -> String {
        try withUnsafeTemporaryAllocation(of: CChar.self, capacity: 4096) { buffer throws(FileSystemError) in
            let length = readlink(path, buffer.baseAddress!, buffer.count)
            guard length >= 0 else { throw FileSystemError(path: path, operation: "readlink", errorNumber: errno) }
            return String(
                decoding: UnsafeRawBufferPointer(start: buffer.baseAddress!, count: length), as: UTF8.self)
        }
    }

    /// The canonical path with every link resolved (`filepath.EvalSymlinks`).
    public static func realPath(_ path: String) throws(FileSystemError) -> String {
        guard let resolved = realpath(path, nil) else {
            throw FileSystemError(path: path, operation: "realpath", errorNumber: errno)
        }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// Whether anything exists at `path` (following links).
    public static func exists(_ path: String) -> Bool {
        access(path, F_OK) == 0
    }

    /// Whether `path` is a directory (following links).
    public static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    /// What identifies a file's version without reading it: device, inode, size and modification
    /// time. Equal identities mean the file has not been replaced or written in between, as far as
    /// the file system's timestamps can tell.
    public struct FileIdentity: Sendable, Hashable {
        public var device: UInt64
        public var inode: UInt64
        public var size: Int64
        public var modifiedSeconds: Int
        public var modifiedNanoseconds: Int
    }

    /// The identity of the file at `path` (following links), with one `stat`.
    public static func identity(_ path: String) throws(FileSystemError) -> FileIdentity {
        var info = stat()
        guard stat(path, &info) == 0 else { throw FileSystemError(path: path, operation: "stat", errorNumber: errno) }
        return FileIdentity(
            device: UInt64(info.st_dev), inode: UInt64(info.st_ino), size: Int64(info.st_size),
            modifiedSeconds: Int(info.st_mtim.tv_sec), modifiedNanoseconds: Int(info.st_mtim.tv_nsec))
    }

    /// The modification time of a file in seconds since the epoch.
    public static func modificationTime(_ path: String) throws(FileSystemError) -> Double {
        var info = stat()
        guard stat(path, &info) == 0 else { throw FileSystemError(path: path, operation: "stat", errorNumber: errno) }
        return Double(info.st_mtim.tv_sec) + Double(info.st_mtim.tv_nsec) / 1e9
    }
}

/// Joins path components with single slashes, like Go's `filepath.Join` for the simple cases we need.
public func joinPath(_ base: String, _ components: String...) -> String {
    var result = base
    for component in components { appendPathComponent(&result, component) }
    return result
}

/// ``joinPath(_:_:)-(_,String...)`` for one component, without the variadic array: a scrape joins
/// some seventy paths.
public func joinPath(_ base: String, _ component: String) -> String {
    var result = base
    appendPathComponent(&result, component)
    return result
}

/// Appends `component` to `path` with a single slash between them; nothing for an empty one.
/// Looks at the bytes: `hasSuffix("/")` compares graphemes, which cost ten times as much.
public func appendPathComponent(_ path: inout String, _ component: String) {
    guard let first = component.utf8.first else { return }
    let slash = UInt8(ascii: "/")
    switch (path.utf8.last == slash, first == slash) {
    case (true, true):
        path += Substring(component.utf8.dropFirst())
    case (false, false):
        path.reserveCapacity(path.utf8.count + 1 + component.utf8.count)
        path += "/"
        path += component
    default:
        path += component
    }
}
