import Synchronization

/// The parse of a file that seldom changes (/proc/1/mountinfo), kept with the bytes it came from.
///
/// Reading the file is cheap next to parsing it: a scrape compares the bytes with the last read's,
/// and parses again only when they differ. Since equal bytes give an equal parse, nothing a
/// scrape reports changes.
public final class ParsedFileMemo<Value: Sendable>: Sendable {
    private let last = Mutex<(bytes: [UInt8], value: Value)?>(nil)

    public init() {}

    /// The parse of `bytes`: the remembered one when they equal the last bytes, else `parse`'s.
    public func value(for bytes: [UInt8], parse: ([UInt8]) -> Value) -> Value {
        if let known = last.withLock({ $0 }), known.bytes == bytes { return known.value }
        let value = parse(bytes)
        last.withLock { $0 = (bytes, value) }
        return value
    }
}
