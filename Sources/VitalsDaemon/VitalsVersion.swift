/// The version of this build of Vitals, shared by both executables.
public enum VitalsVersion {
    public static let current = "0.1.0"
    /// Sent by HTTP probes.
    public static var userAgent: String { "vitals-probe/\(current)" }
}
