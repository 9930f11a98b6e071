import HummingbirdBcrypt
import Synchronization
import VitalsSystem

#if canImport(Glibc)
import Glibc
#endif

/// Checks HTTP basic credentials against bcrypt hashes, as exporter-toolkit does, without letting
/// a flood of bad credentials slow down the good ones.
///
/// - Outcomes are cached by a keyed 128-bit digest of user, hash and password (never the password
///   itself), for unknown users as for known ones, so that a repeated answer takes the same time
///   whether or not the name exists. Good credentials are kept apart from bad ones: a flood of
///   random passwords cannot evict Prometheus' own.
/// - bcrypt runs on threads of its own, at a lower priority, with a short queue; past that,
///   ``check(user:password:)`` answers ``Outcome/busy`` at once (a 503), instead of queueing every
///   request behind the flood.
/// - An unknown user is checked against a decoy hash of the configured users' cost, so that it
///   costs the same bcrypt work as a known user.
public final class BasicAuthenticator: Sendable {
    public enum Outcome: Sendable, Equatable {
        case allowed
        case denied
        /// Too many uncached checks are waiting for bcrypt.
        case busy
    }

    /// Costs this server accepts. exporter-toolkit takes up to Go's maximum of 31, but one check at
    /// cost 31 takes days of CPU; above 16 (seconds per check) a hash is a mistake or an attack.
    public static let costRange = 4...16
    /// Threads that run bcrypt, at a lower priority, shared by every authenticator a reload makes:
    /// half the cores, so that a flood of logins always leaves CPU for serving.
    static let workers = LowPriorityWorkers(count: Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))) / 2)
    /// Uncached checks that may wait for a worker before requests are turned away, by default.
    public static let defaultMaxWaiting = 32

    private let users: [String: String]
    private let maxWaiting: Int
    private let decoy: String
    private let cache = Mutex(Cache())
    private let pending = Atomic<Int>(0)
    /// The random key of the credential digests, fixed for this authenticator's life.
    private let digestSeed = (UInt64.random(in: .min ... .max), UInt64.random(in: .min ... .max))

    private struct Cache {
        /// Digests of credentials that were right; as many as users and passwords in use.
        var allowed: Set<Digest> = []
        /// Digests of credentials that were wrong; bounded, evicted wholesale when full.
        var denied: Set<Digest> = []
        static let maxAllowed = 256
        static let maxDenied = 4096
    }

    private struct Digest: Hashable {
        var high: Int
        var low: Int
    }

    /// - Parameter users: user name → bcrypt hash, checked with ``validate(hash:)`` beforehand.
    public init(users: [String: String], maxWaiting: Int = defaultMaxWaiting) {
        self.users = users.mapValues(Self.normalized)
        self.maxWaiting = maxWaiting
        let cost = users.values.compactMap(Self.cost).max() ?? 10
        self.decoy = Self.decoyHash(cost: cost)
    }

    public var isEnabled: Bool { !users.isEmpty }

    /// Why `hash` cannot be used as a password hash, or nil when it can: a bcrypt hash with the
    /// `$2a$`, `$2b$` or `$2y$` prefix (what htpasswd -B, Python's bcrypt and Go write) and a cost
    /// in ``costRange``.
    public static func problem(with hash: String) -> String? {
        let bytes = Array(hash.utf8)
        guard bytes.count == 60, hash.hasPrefix("$2a$") || hash.hasPrefix("$2b$") || hash.hasPrefix("$2y$"),
            bytes[6] == UInt8(ascii: "$")
        else {
            return
                "must be a bcrypt hash ($2a$, $2b$ or $2y$, 60 characters, as htpasswd -nBC 10 writes), never the plain password"
        }
        guard let cost = cost(of: hash) else { return "has an unreadable bcrypt cost \"\(hash.prefix(7))\"" }
        guard costRange.contains(cost) else {
            return
                "has bcrypt cost \(cost); this server accepts \(costRange.lowerBound) to \(costRange.upperBound) (each step doubles the CPU time of every login; 10 to 12 is usual)"
        }
        return nil
    }

    /// The cost field of a bcrypt hash.
    static func cost(of hash: String) -> Int? {
        let bytes = Array(hash.utf8)
        guard bytes.count >= 7 else { return nil }
        return Int(String(decoding: bytes[4..<6], as: UTF8.self))
    }

    /// `$2y$` (PHP's and htpasswd's name) and `$2b$` are the same algorithm; the bcrypt library
    /// reads only `$2a$` and `$2b$`.
    static func normalized(_ hash: String) -> String {
        hash.hasPrefix("$2y$") ? "$2b$" + hash.dropFirst(4) : hash
    }

    /// Checks a user and password: from the cache when the same credentials were seen before,
    /// otherwise on a bcrypt worker, or ``Outcome/busy`` when too many checks are waiting.
    public func check(user: String, password: String) async -> Outcome {
        let digest = digest(user: user, password: password)
        let cached: Outcome? = cache.withLock { cache in
            if cache.allowed.contains(digest) { return .allowed }
            if cache.denied.contains(digest) { return .denied }
            return nil
        }
        if let cached { return cached }
        guard pending.wrappingAdd(1, ordering: .relaxed).newValue <= Self.workers.count + maxWaiting else {
            pending.wrappingSubtract(1, ordering: .relaxed)
            return .busy
        }
        let valid = await withCheckedContinuation { continuation in
            Self.workers.submit { continuation.resume(returning: self.verify(user: user, password: password)) }
        }
        pending.wrappingSubtract(1, ordering: .relaxed)
        cache.withLock { cache in
            if valid {
                if cache.allowed.count >= Cache.maxAllowed { cache.allowed.removeAll() }
                cache.allowed.insert(digest)
            } else {
                if cache.denied.count >= Cache.maxDenied { cache.denied.removeAll() }
                cache.denied.insert(digest)
            }
        }
        return valid ? .allowed : .denied
    }

    /// The bcrypt comparison itself, blocking; unknown users cost as much as known ones.
    func verify(user: String, password: String) -> Bool {
        guard let hash = users[user] else {
            _ = Bcrypt.verify(password, hash: decoy)
            return false
        }
        return Bcrypt.verify(password, hash: hash)
    }

    private func digest(user: String, password: String) -> Digest {
        func run(_ salt: UInt64) -> Int {
            var hasher = Hasher()
            hasher.combine(salt)
            hasher.combine(user)
            hasher.combine(users[user] ?? "")
            hasher.combine(password)
            return hasher.finalize()
        }
        return Digest(high: run(digestSeed.0), low: run(digestSeed.1))
    }

    /// One decoy hash per cost, made once: hashing at a high cost takes seconds.
    private static let decoys = Mutex<[Int: String]>([:])

    private static func decoyHash(cost: Int) -> String {
        if let known = decoys.withLock({ $0[cost] }) { return known }
        let hash = Bcrypt.hash(
            "vitals-decoy-\(UInt64.random(in: .min ... .max))", cost: UInt8(clamping: costRange.clamp(cost)))
        decoys.withLock { $0[cost] = hash }
        return hash
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

extension ClosedRange where Bound == Int {
    fileprivate func clamp(_ value: Int) -> Int { Swift.min(upperBound, Swift.max(lowerBound, value)) }
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
