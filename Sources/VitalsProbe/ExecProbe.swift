import Dispatch
import NIOCore
import Synchronization
import VitalsSystem

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The kubelet's exec probe: the command's exit code 0 is success; it is killed at the timeout.
/// Commands run on the machine running vitals, with their output discarded.
///
/// Each command starts clean (empty signal mask, default dispositions) in a process group of its
/// own. At the timeout the whole group is killed, so `sh -c 'sleep 300'` leaves no orphaned
/// `sleep` behind; when the command exits by itself, whatever it left running in its group is
/// killed too, because a probe must not accumulate processes one period at a time.
struct ExecProbe: Sendable {
    let group: any EventLoopGroup

    /// Process groups of commands running now, so that a stopping vitals takes them with it.
    private static let running = Mutex<Set<pid_t>>([])

    /// Kills every command still running, with its process group; for shutdown.
    static func killRunning() {
        running.withLock { groups in
            for group in groups { kill(-group, SIGKILL) }
        }
    }

    func run(command: [String], timeout: TimeAmount) -> EventLoopFuture<ProbeResult> {
        let promise = group.next().makePromise(of: ProbeResult.self)
        DispatchQueue.global().async {
            promise.succeed(Self.execute(command, timeout: timeout))
        }
        return promise.futureResult
    }

    static func execute(_ command: [String], timeout: TimeAmount) -> ProbeResult {
        var pid: pid_t = 0
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        SignalReset.configure(&attributes, newProcessGroup: true)
        let arguments = command.map { strdup($0) } + [nil]
        defer { for argument in arguments { free(argument) } }
        let spawned = posix_spawnp(&pid, command[0], &actions, &attributes, arguments, environ)
        guard spawned == 0 else {
            return .failure("exec \(command[0]): \(String(cString: strerror(spawned)))")
        }
        running.withLock { _ = $0.insert(pid) }

        // The timer kills the group unless the child was reaped first; the flag under the lock keeps
        // it from signalling a process group id that a reaped child no longer owns.
        let state = Mutex<(reaped: Bool, killed: Bool)>((false, false))
        let timer = DispatchSource.makeTimerSource(queue: .global())
        timer.schedule(deadline: .now() + .nanoseconds(Int(clamping: max(0, timeout.nanoseconds))))
        timer.setEventHandler {
            state.withLock { state in
                guard !state.reaped else { return }
                state.killed = true
                kill(-pid, SIGKILL)
            }
        }
        timer.resume()
        defer { timer.cancel() }

        // Wait for the exit without reaping, so the pid (and its group id) stay ours while the
        // group's leftovers are killed.
        var info = siginfo_t()
        while waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT) != 0 {
            guard errno == EINTR else { break }
        }
        var status: Int32 = 0
        let killed = state.withLock { state in
            state.reaped = true
            kill(-pid, SIGKILL)
            return state.killed
        }
        running.withLock { _ = $0.remove(pid) }
        while waitpid(pid, &status, 0) < 0, errno == EINTR {}
        if killed {
            return .failure("command timed out after \(timeout.nanoseconds / 1_000_000) ms and was killed")
        }
        // WIFEXITED / WEXITSTATUS, spelled out: Glibc's macros do not import.
        let exited = status & 0x7F == 0
        let code = (status >> 8) & 0xFF
        if exited, code == 0 { return ProbeResult(outcome: .success) }
        if exited { return .failure("command exited with status \(code)") }
        return .failure("command was killed by signal \(status & 0x7F)")
    }
}
