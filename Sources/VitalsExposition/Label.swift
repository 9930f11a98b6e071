/// One label pair of a metric. Families keep label pairs sorted by name, as client_golang does,
/// so that output is byte-stable and comparable with node_exporter's.
public struct Label: Sendable, Hashable {
    public var name: String
    public var value: String

    @inlinable
    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}
