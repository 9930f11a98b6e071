/// Numbers in generated text: integral values without a fraction (`2`, not `2.0`), others in
/// Swift's shortest round-tripping form (`0.05`). YAML, JSON and PromQL all read both.
public enum NumberText {
    public static func shortest(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : "\(value)"
    }
}
