/// The Prometheus text exposition format, version 0.0.4.
public enum TextFormat {
    /// The `Content-Type` of a text exposition.
    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"
}
