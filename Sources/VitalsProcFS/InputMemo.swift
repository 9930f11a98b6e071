import Synchronization

/// What was made of an input that seldom changes, kept with the input it came from: the bytes of
/// /proc/1/mountinfo, the identity (inode, size, mtime) of os-release.
///
/// Checking the input is cheap next to working it out again: a scrape compares this scrape's
/// input with the last one's and makes the value again only when they differ. Equal input gives
/// an equal value, so nothing a scrape reports changes.
public final class InputMemo<Input: Equatable & Sendable, Value: Sendable>: Sendable {
    private let last = Mutex<(input: Input, value: Value)?>(nil)

    public init() {}

    /// The value for `input`: the remembered one when `input` equals the last, else `make`'s,
    /// which is remembered unless it throws.
    public func value<Failure: Error>(
        for input: Input, make: (Input) throws(Failure) -> Value
    ) throws(Failure) -> Value {
        if let known = last.withLock({ $0 }), known.input == input { return known.value }
        let value = try make(input)
        last.withLock { $0 = (input, value) }
        return value
    }
}
