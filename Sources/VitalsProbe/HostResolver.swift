import NIOCore
import NIOPosix
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Resolves probe targets' host names off the event loops, with a deadline per probe, a short
/// cache, and one lookup per name however many probes wait for it.
///
/// NIO's default resolver runs `getaddrinfo` on a serial queue per event loop, so one name whose
/// DNS server never answers delays every later lookup on that loop, and probes of healthy services
/// time out behind it. Here lookups run on a few threads of their own; a slow name holds one of
/// them, and the probes waiting for it fail at their own deadline.
final class HostResolver: Sendable {
    /// How long an answer is reused: long enough to spare the resolver thousands of identical
    /// lookups a second, short enough that a moved service is found again within a probe period.
    static let positiveTTL = TimeAmount.seconds(5)
    /// How long a failed lookup is remembered before it is tried again.
    static let negativeTTL = TimeAmount.seconds(1)

    struct Failure: Error, CustomStringConvertible {
        var host: String
        var reason: String
        var description: String { "lookup \(host): \(reason)" }
    }

    private struct Waiter {
        var id: UInt64
        var promise: EventLoopPromise<[String]>
        var timer: Scheduled<Void>?
    }

    private enum Entry {
        case resolved([String], expires: NIODeadline)
        case failed(String, expires: NIODeadline)
        case pending([Waiter])
    }

    private struct State {
        var entries: [String: Entry] = [:]
        var nextWaiter: UInt64 = 0
    }

    private let pool: NIOThreadPool
    private let state = Mutex(State())

    init(threads: Int = 8) {
        pool = NIOThreadPool(numberOfThreads: threads)
        pool.start()
    }

    /// The addresses (as IP text, in getaddrinfo's order) of `host`, or a failure by `deadline`.
    func resolve(_ host: String, on loop: any EventLoop, deadline: NIODeadline) -> EventLoopFuture<[String]> {
        let now = NIODeadline.now()
        let promise = loop.makePromise(of: [String].self)
        enum Action {
            case answer([String])
            case fail(String)
            case wait(UInt64)
            case lookUp(UInt64)
        }
        let action: Action = state.withLock { state in
            switch state.entries[host] {
            case .resolved(let addresses, let expires) where expires > now:
                return .answer(addresses)
            case .failed(let reason, let expires) where expires > now:
                return .fail(reason)
            case .pending(var waiters):
                state.nextWaiter &+= 1
                waiters.append(Waiter(id: state.nextWaiter, promise: promise))
                state.entries[host] = .pending(waiters)
                return .wait(state.nextWaiter)
            default:
                state.nextWaiter &+= 1
                state.entries[host] = .pending([Waiter(id: state.nextWaiter, promise: promise)])
                return .lookUp(state.nextWaiter)
            }
        }
        switch action {
        case .answer(let addresses):
            promise.succeed(addresses)
        case .fail(let reason):
            promise.fail(Failure(host: host, reason: reason))
        case .wait(let id), .lookUp(let id):
            armTimeout(for: host, waiter: id, on: loop, deadline: deadline)
            if case .lookUp = action {
                pool.submit { [self] _ in finish(host, with: Self.getaddrinfo(host)) }
            }
        }
        return promise.futureResult
    }

    /// Fails one waiter at its deadline; the lookup itself goes on for the others and the cache.
    private func armTimeout(for host: String, waiter id: UInt64, on loop: any EventLoop, deadline: NIODeadline) {
        let timer = loop.scheduleTask(deadline: deadline) { [self] in
            let expired: Waiter? = state.withLock { state in
                guard case .pending(var waiters) = state.entries[host],
                    let index = waiters.firstIndex(where: { $0.id == id })
                else { return nil }
                let waiter = waiters.remove(at: index)
                state.entries[host] = .pending(waiters)
                return waiter
            }
            expired?.promise.fail(Failure(host: host, reason: "timeout: the name did not resolve in time"))
        }
        let stillWaiting: Bool = state.withLock { state in
            guard case .pending(var waiters) = state.entries[host],
                let index = waiters.firstIndex(where: { $0.id == id })
            else { return false }
            waiters[index].timer = timer
            state.entries[host] = .pending(waiters)
            return true
        }
        if !stillWaiting { timer.cancel() }
    }

    private func finish(_ host: String, with result: Result<[String], Failure>) {
        let now = NIODeadline.now()
        let waiters: [Waiter] = state.withLock { state in
            guard case .pending(let waiters) = state.entries[host] else { return [] }
            switch result {
            case .success(let addresses): state.entries[host] = .resolved(addresses, expires: now + Self.positiveTTL)
            case .failure(let failure): state.entries[host] = .failed(failure.reason, expires: now + Self.negativeTTL)
            }
            return waiters
        }
        for waiter in waiters {
            waiter.timer?.cancel()
            waiter.promise.completeWith(result.mapError { $0 as any Error })
        }
    }

    /// The blocking lookup, on a resolver thread.
    private static func getaddrinfo(_ host: String) -> Result<[String], Failure> {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_protocol = Int32(IPPROTO_TCP)
        var list: UnsafeMutablePointer<addrinfo>?
        let status = Glibc.getaddrinfo(host, nil, &hints, &list)
        guard status == 0, let first = list else {
            let reason = status == EAI_NONAME ? "no such host" : String(cString: gai_strerror(status))
            return .failure(Failure(host: host, reason: reason))
        }
        defer { freeaddrinfo(first) }
        var addresses: [String] = []
        var next: UnsafeMutablePointer<addrinfo>? = first
        while let info = next {
            if let address = info.pointee.ai_addr, let text = ipText(address, length: info.pointee.ai_addrlen),
                !addresses.contains(text)
            {
                addresses.append(text)
            }
            next = info.pointee.ai_next
        }
        return addresses.isEmpty ? .failure(Failure(host: host, reason: "no address")) : .success(addresses)
    }

    /// The numeric host of a socket address, as getnameinfo writes it.
    private static func ipText(_ address: UnsafeMutablePointer<sockaddr>, length: socklen_t) -> String? {
        var text = [CChar](repeating: 0, count: Int(NI_MAXHOST))
        guard getnameinfo(address, length, &text, socklen_t(text.count), nil, 0, NI_NUMERICHOST) == 0 else {
            return nil
        }
        return String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
