/// /proc/sys/fs/file-nr: allocated, unused (always 0 since Linux 2.6) and maximum file handles.
public struct FileHandles: Sendable, Hashable {
    public var allocated: Double
    public var maximum: Double

    public init(allocated: Double, maximum: Double) {
        self.allocated = allocated
        self.maximum = maximum
    }

    public static func parse(_ bytes: [UInt8], file: String = "/proc/sys/fs/file-nr") throws(ProcParseError)
        -> FileHandles
    {
        let fields = ByteText.fields(bytes[...])
        guard fields.count >= 3, let allocated = ByteText.parseDouble(fields[0]),
            let maximum = ByteText.parseDouble(fields[2])
        else {
            throw ProcParseError(file: file, message: "unexpected number of file stats")
        }
        return FileHandles(allocated: allocated, maximum: maximum)
    }
}
