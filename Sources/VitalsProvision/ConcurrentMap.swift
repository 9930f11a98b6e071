import Dispatch
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Array where Element: Sendable {
    /// `map` spread over the machine's cores, results in order. Rendering the files of a large
    /// stack (thousands of rule and test files, each independent) is most of what provisioning
    /// costs; small inputs are mapped in place, where threads would cost more than they save.
    func concurrentMap<Mapped: Sendable>(_ transform: @Sendable (Element) -> Mapped) -> [Mapped] {
        let cores = Swift.max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        let chunks = Swift.min(cores, count / 32)
        guard chunks > 1 else { return map(transform) }
        let results = Mutex<[[Mapped]]>([[Mapped]](repeating: [], count: chunks))
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            let part = self[(chunk * count / chunks)..<((chunk + 1) * count / chunks)].map(transform)
            results.withLock { $0[chunk] = part }
        }
        return results.withLock { $0.flatMap { $0 } }
    }
}
