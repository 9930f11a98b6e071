/// The version of this build of Vitals.
public enum VitalsVersion {
    public static let current = "0.1.0"
}
