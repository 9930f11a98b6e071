import VitalsStack

/// Stable uids for Grafana objects, derived from the stack and object names so that
/// regenerating never breaks links, bookmarks or provisioning.
enum GrafanaIdentifiers {
    /// Grafana accepts uids of up to 40 characters.
    static func uid(_ parts: String...) -> String {
        let text = parts.joined(separator: "-")
        guard text.count > 40 else { return text }
        // Keep a readable prefix and make it unique with a hash of the whole.
        return String(text.prefix(31)) + "-" + fnv1a(text)
    }

    static func datasourceUID(_ stack: Stack) -> String { uid(stack.name, "prometheus") }

    /// 32-bit FNV-1a, as 8 hex digits.
    static func fnv1a(_ text: String) -> String { FNV1a.hex32(text) }
}
