#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// What a collector made of each key of a file whose keys come back in the same order on every
/// read: /proc/vmstat, /proc/meminfo, /proc/net/snmp6.
///
/// A scrape would otherwise build a String for every key, hash it to look up a filter decision,
/// and build family names and HELP texts again: hundreds of allocations for a few dozen kept
/// values. Here a key is compared byte for byte with the key seen at the same position last
/// time, and only a key that changed (a new kernel field, a changed order) is worked out again.
public struct KeyMemo<Info> {
    private var keys: [[UInt8]] = []
    private var infos: [Info] = []

    public init() {}

    /// The info of the key at `position`; `make` runs only when that position's key is new.
    @inlinable
    public mutating func info(
        at position: Int, key: ArraySlice<UInt8>, make: (ArraySlice<UInt8>) -> Info
    ) -> Info {
        if position < storedCount, storedKeyEquals(position, key) { return storedInfo(position) }
        let info = make(key)
        store(info, for: key, at: position)
        return info
    }

    @usableFromInline
    var storedCount: Int { keys.count }

    @usableFromInline
    func storedKeyEquals(_ position: Int, _ key: ArraySlice<UInt8>) -> Bool {
        keys[position].withUnsafeBufferPointer { stored in
            key.withUnsafeBufferPointer { key in
                stored.count == key.count
                    && (key.isEmpty || memcmp(stored.baseAddress!, key.baseAddress!, key.count) == 0)
            }
        }
    }

    @usableFromInline
    func storedInfo(_ position: Int) -> Info { infos[position] }

    @usableFromInline
    mutating func store(_ info: Info, for key: ArraySlice<UInt8>, at position: Int) {
        if position < keys.count {
            keys[position] = Array(key)
            infos[position] = info
        } else if position == keys.count {
            // Positions are visited in order, so a new one extends the memo by one.
            keys.append(Array(key))
            infos.append(info)
        }
    }
}

extension KeyMemo: Sendable where Info: Sendable {}
