extension String {
    /// Go's string ordering (byte-wise UTF-8), which client_golang sorts by.
    ///
    /// Swift's `<` gives the same order for ASCII and NFC text, which is all that metric names and
    /// label values realistically hold, and it compares native ASCII strings with `memcmp`, several
    /// times faster than walking the UTF-8 views.
    @inlinable
    public func precedesInByteOrder(_ other: String) -> Bool {
        self < other
    }
}
