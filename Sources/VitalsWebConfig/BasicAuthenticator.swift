import HummingbirdBcrypt
import Synchronization

/// Checks HTTP basic credentials against bcrypt hashes, as exporter-toolkit does.
///
/// bcrypt is deliberately slow (tens of milliseconds), so successful checks are remembered by a
/// keyed hash of the password — never the password itself — and an unknown user costs the same
/// bcrypt work as a known one, so response times do not reveal which users exist.
public final class BasicAuthenticator: Sendable {
    private let users: [String: String]
    private let cache = Mutex<[CacheKey: Bool]>([:])
    /// A valid hash of a random password, checked for unknown users to keep timing uniform.
    private static let decoy = Bcrypt.hash("vitals-decoy-password-\(UInt64.random(in: 0...UInt64.max))", cost: 10)

    private struct CacheKey: Hashable {
        var user: String
        var hash: String
        var passwordDigest: Int
    }

    public init(users: [String: String]) {
        self.users = users
    }

    public var isEnabled: Bool { !users.isEmpty }

    /// Whether `hash` has the form of a bcrypt hash.
    public static func looksLikeBcrypt(_ hash: String) -> Bool {
        (hash.hasPrefix("$2a$") || hash.hasPrefix("$2b$") || hash.hasPrefix("$2y$")) && hash.utf8.count == 60
    }

    /// Checks a user and password.
    public func verify(user: String, password: String) -> Bool {
        guard let hash = users[user] else {
            _ = Bcrypt.verify(password, hash: Self.decoy)
            return false
        }
        var hasher = Hasher()
        hasher.combine(password)
        let key = CacheKey(user: user, hash: hash, passwordDigest: hasher.finalize())
        if let known = cache.withLock({ $0[key] }) { return known }
        let valid = Bcrypt.verify(password, hash: hash)
        cache.withLock { cache in
            if cache.count > 1024 { cache.removeAll() }
            cache[key] = valid
        }
        return valid
    }

    /// Decodes an `Authorization: Basic …` header value into user and password.
    public static func decodeBasic(_ header: String) -> (user: String, password: String)? {
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "basic",
            let decoded = Base64.decode(String(parts[1]).trimmingSpaces()),
            let text = String(validating: decoded, as: UTF8.self), let colon = text.firstIndex(of: ":")
        else { return nil }
        return (String(text[..<colon]), String(text[text.index(after: colon)...]))
    }
}

/// Standard base64 decoding, without Foundation.
enum Base64 {
    static func decode(_ text: String) -> [UInt8]? {
        var output: [UInt8] = []
        var buffer: UInt32 = 0
        var bits = 0
        for byte in text.utf8 {
            let value: UInt8
            switch byte {
            case 65...90: value = byte - 65
            case 97...122: value = byte - 71
            case 48...57: value = byte + 4
            case 43: value = 62
            case 47: value = 63
            case 61: continue
            default: return nil
            }
            buffer = buffer << 6 | UInt32(value)
            bits += 6
            if bits >= 8 {
                bits -= 8
                output.append(UInt8(truncatingIfNeeded: buffer >> UInt32(bits)))
            }
        }
        return output
    }
}

extension String {
    fileprivate func trimmingSpaces() -> String {
        String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}
