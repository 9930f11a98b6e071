import Logging
import NIOCore
import Synchronization

/// The server's open connections, so that a server at its connection cap can make room by
/// closing the keep-alive connection that has been idle longest, instead of refusing a scrape.
///
/// Each connection costs a descriptor; past the cap a server would starve the collectors and
/// probes that need descriptors too. A new connection is refused only when every held connection
/// is in the middle of a request.
final class ConnectionRegistry: Sendable {
    /// One connection's slot; its channel handler reports when it is busy and when it closes.
    final class Entry: Sendable {
        fileprivate let id: UInt64
        private let registry: ConnectionRegistry

        fileprivate init(id: UInt64, registry: ConnectionRegistry) {
            self.id = id
            self.registry = registry
        }

        func markBusy() { registry.update(id, busy: true) }
        func markIdle() { registry.update(id, busy: false) }
        func remove() { registry.remove(id) }
    }

    private struct Slot {
        var channel: any Channel
        var busy: Bool
        /// When the connection last changed state, on the registry's own clock (a sequence number).
        var lastActivity: UInt64
    }

    private struct State {
        var slots: [UInt64: Slot] = [:]
        var clock: UInt64 = 0
        var shed = 0
        var refused = 0
        var lastWarning: NIODeadline?
    }

    let maxConnections: Int
    private let logger: Logger
    private let state = Mutex(State())

    init(maxConnections: Int, logger: Logger) {
        self.maxConnections = maxConnections
        self.logger = logger
    }

    var count: Int { state.withLock { $0.slots.count } }

    /// Held connections between requests: the ones a new connection may displace.
    var idleCount: Int { state.withLock { $0.slots.values.count { !$0.busy } } }

    /// Takes a new connection in: returns its slot, or nil when it must be closed because every
    /// held connection is busy. Closes the idlest connection when that makes room.
    func admit(_ channel: any Channel) -> Entry? {
        let (entry, victim, warning): (Entry?, (any Channel)?, String?) = state.withLock { state in
            state.clock &+= 1
            var victim: (any Channel)?
            if state.slots.count >= maxConnections {
                guard
                    let idlest = state.slots.filter({ !$0.value.busy }).min(by: {
                        $0.value.lastActivity < $1.value.lastActivity
                    })
                else {
                    state.refused += 1
                    return (nil, nil, Self.warningDue(&state))
                }
                state.slots.removeValue(forKey: idlest.key)
                state.shed += 1
                victim = idlest.value.channel
            }
            let id = state.clock
            state.slots[id] = Slot(channel: channel, busy: false, lastActivity: id)
            return (Entry(id: id, registry: self), victim, victim == nil ? nil : Self.warningDue(&state))
        }
        victim?.close(promise: nil)
        if let warning {
            logger.warning(
                "connection limit reached", metadata: ["max_connections": "\(maxConnections)", "detail": "\(warning)"])
        }
        return entry
    }

    /// At most one warning every ten seconds, with what happened since the last one.
    private static func warningDue(_ state: inout State) -> String? {
        let now = NIODeadline.now()
        if let last = state.lastWarning, now - last < .seconds(10) { return nil }
        state.lastWarning = now
        defer {
            state.shed = 0
            state.refused = 0
        }
        return "closed \(state.shed) idle keep-alive connections and refused \(state.refused) new ones"
    }

    private func update(_ id: UInt64, busy: Bool) {
        state.withLock { state in
            state.clock &+= 1
            let now = state.clock
            state.slots[id]?.busy = busy
            state.slots[id]?.lastActivity = now
        }
    }

    private func remove(_ id: UInt64) {
        _ = state.withLock { $0.slots.removeValue(forKey: id) }
    }
}
