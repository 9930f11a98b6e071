import VitalsSystem

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// sysfs attributes: one short value per file, read once and trimmed.
extension FileAccess {
    /// Reads a sysfs attribute with a single `read(2)`, trimmed of surrounding whitespace.
    ///
    /// Some hwmon and network drivers answer EAGAIN or EINVAL forever; one read either
    /// gets the value or fails at once, as prometheus/procfs' `SysReadFile` does.
    public static func readAttribute(_ path: String) throws(FileSystemError) -> String {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard descriptor >= 0 else { throw FileSystemError(path: path, operation: "open", errorNumber: errno) }
        defer { close(descriptor) }
        return try withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 4096) { buffer throws(FileSystemError) in
            let got = Glibc.read(descriptor, buffer.baseAddress!, buffer.count)
            guard got >= 0 else { throw FileSystemError(path: path, operation: "read", errorNumber: errno) }
            return ByteText.trimmedString(UnsafeBufferPointer(rebasing: buffer[0..<got]))
        }
    }

    /// Reads several attributes of one sysfs directory, opening the directory once.
    ///
    /// Each `open` of a full sysfs path walks it again, through the `class/net/eth0` symbolic link
    /// into /sys/devices; `openat` on the directory skips that walk for every attribute.
    /// Attributes that are missing or unreadable (EINVAL for the speed of a link that is down)
    /// are left out.
    public static func readAttributes(
        in directory: String, _ names: [String]
    ) throws(FileSystemError) -> [(name: String, value: String)] {
        var values: [(String, String)] = []
        values.reserveCapacity(names.count)
        try forEachAttribute(in: directory, names) { index, value in values.append((names[index], value)) }
        return values
    }

    /// ``readAttributes(in:_:)`` handing each value read to `body` with its position in `names`,
    /// for callers that know their attributes by position rather than by name.
    public static func forEachAttribute(
        in directory: String, _ names: [String], _ body: (_ index: Int, _ value: String) -> Void
    ) throws(FileSystemError) {
        let directoryDescriptor = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard directoryDescriptor >= 0 else {
            throw FileSystemError(path: directory, operation: "open", errorNumber: errno)
        }
        defer { close(directoryDescriptor) }
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 4096) { buffer in
            for (index, name) in names.enumerated() {
                let descriptor = openat(directoryDescriptor, name, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
                guard descriptor >= 0 else { continue }
                let got = Glibc.read(descriptor, buffer.baseAddress!, buffer.count)
                close(descriptor)
                guard got >= 0 else { continue }
                body(index, ByteText.trimmedString(UnsafeBufferPointer(rebasing: buffer[0..<got])))
            }
        }
    }

    /// Reads a sysfs attribute as an integer, accepting Go's base prefixes (`0x1f`).
    public static func readInteger(_ path: String) throws(FileSystemError) -> Int64? {
        ByteText.parseInteger(try readAttribute(path))
    }
}
