import NIOCore
import VitalsExposition

/// A scrape's body is written straight into the buffer the server sends, not into an array that
/// is then copied into one.
extension ByteBuffer: TextOutput {
    public mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        writeBytes(UnsafeRawBufferPointer(bytes))
    }
}
