import VitalsSystem

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Space and inode counts of a mounted filesystem, from `statfs(2)`.
public struct FilesystemUsage: Sendable, Hashable {
    public var sizeBytes: Double
    public var freeBytes: Double
    public var availableBytes: Double
    public var files: Double
    public var filesFree: Double

    public init(sizeBytes: Double, freeBytes: Double, availableBytes: Double, files: Double, filesFree: Double) {
        self.sizeBytes = sizeBytes
        self.freeBytes = freeBytes
        self.availableBytes = availableBytes
        self.files = files
        self.filesFree = filesFree
    }

    /// Calls `statfs(2)`. This can block for as long as the filesystem does (a stale NFS mount
    /// blocks forever), so callers run it off the scrape's path with a timeout.
    public static func query(_ path: String) throws(FileSystemError) -> FilesystemUsage {
        // statvfs(3) wraps statfs(2) on Linux; f_bsize is statfs' f_bsize, which node_exporter multiplies by.
        var buffer = statvfs()
        guard statvfs(path, &buffer) == 0 else {
            throw FileSystemError(path: path, operation: "statfs", errorNumber: errno)
        }
        let blockSize = Double(buffer.f_bsize)
        return FilesystemUsage(
            sizeBytes: Double(buffer.f_blocks) * blockSize, freeBytes: Double(buffer.f_bfree) * blockSize,
            availableBytes: Double(buffer.f_bavail) * blockSize, files: Double(buffer.f_files),
            filesFree: Double(buffer.f_ffree))
    }
}
