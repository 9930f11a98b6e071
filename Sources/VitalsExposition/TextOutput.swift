/// Where the text format writer puts its bytes: an array, or a server's own buffer type, so that
/// a scrape's body is written once, where it is sent from, rather than copied there afterwards.
public protocol TextOutput {
    /// Appends `bytes`; the writer hands over batches of whole lines, a few KiB at a time.
    mutating func append(_ bytes: UnsafeBufferPointer<UInt8>)
}

extension Array: TextOutput where Element == UInt8 {
    public mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        append(contentsOf: bytes)
    }
}
