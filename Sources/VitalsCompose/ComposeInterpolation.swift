/// Compose's variable interpolation in a value: `$VAR`, `${VAR}`, `${VAR:-default}` (unset or
/// empty), `${VAR-default}` (unset), `${VAR:?message}` and `${VAR?message}` (an error), `$$` for
/// a dollar sign.
public struct ComposeInterpolation: Sendable {
    public var environment: [String: String]

    public init(environment: [String: String]) {
        self.environment = environment
    }

    /// Why a value could not be interpolated.
    public enum Failure: Error, Sendable, Equatable {
        case required(variable: String, message: String)
        case malformed(String)
    }

    /// The value with every variable replaced, and the variables that had no value (replaced by
    /// an empty string, as compose does, and worth a warning).
    public func apply(_ text: String) throws(Failure) -> (text: String, unset: [String]) {
        guard text.contains("$") else { return (text, []) }
        var output = ""
        var unset: [String] = []
        let characters = Array(text)
        var index = 0
        while index < characters.count {
            let character = characters[index]
            guard character == "$", index + 1 < characters.count else {
                output.append(character)
                index += 1
                continue
            }
            let next = characters[index + 1]
            if next == "$" {
                output.append("$")
                index += 2
            } else if next == "{" {
                guard let close = characters[(index + 2)...].firstIndex(of: "}") else {
                    throw .malformed("unterminated ${ in \"\(text)\"")
                }
                let body = String(characters[(index + 2)..<close])
                output += try expand(body, unset: &unset)
                index = close + 1
            } else if next == "_" || next.isLetter {
                var end = index + 1
                while end < characters.count,
                    characters[end] == "_" || characters[end].isLetter || characters[end].isNumber
                {
                    end += 1
                }
                let name = String(characters[(index + 1)..<end])
                if let value = environment[name] { output += value } else { unset.append(name) }
                index = end
            } else {
                output.append(character)
                index += 1
            }
        }
        return (output, unset)
    }

    private func expand(_ body: String, unset: inout [String]) throws(Failure) -> String {
        let name = String(body.prefix { $0 == "_" || $0.isLetter || $0.isNumber })
        guard !name.isEmpty else { throw .malformed("invalid variable \"${\(body)}\"") }
        let rest = body.dropFirst(name.count)
        let value = environment[name]
        func operand(_ count: Int) -> String { String(rest.dropFirst(count)) }
        if rest.isEmpty {
            if let value { return value }
            unset.append(name)
            return ""
        }
        if rest.hasPrefix(":-") { return (value?.isEmpty ?? true) ? operand(2) : value! }
        if rest.hasPrefix("-") { return value ?? operand(1) }
        if rest.hasPrefix(":?") {
            guard let value, !value.isEmpty else { throw .required(variable: name, message: operand(2)) }
            return value
        }
        if rest.hasPrefix("?") {
            guard let value else { throw .required(variable: name, message: operand(1)) }
            return value
        }
        if rest.hasPrefix(":+") { return (value?.isEmpty ?? true) ? "" : operand(2) }
        if rest.hasPrefix("+") { return value == nil ? "" : operand(1) }
        throw .malformed("invalid variable \"${\(body)}\"")
    }
}
