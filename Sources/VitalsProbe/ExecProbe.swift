#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Dispatch
import NIOCore
import VitalsStack

/// The kubelet's exec probe: the command's exit code 0 is success; it is killed at the timeout.
/// Commands run on the machine running vitals, with their output discarded.
struct ExecProbe: Sendable {
    let group: any EventLoopGroup

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
        let arguments = command.map { strdup($0) } + [nil]
        defer { for argument in arguments { free(argument) } }
        let spawned = posix_spawnp(&pid, command[0], &actions, nil, arguments, environ)
        guard spawned == 0 else {
            return .failure("exec \(command[0]): \(String(cString: strerror(spawned)))")
        }
        let deadline = DispatchTime.now().uptimeNanoseconds + UInt64(max(0, timeout.nanoseconds))
        var status: Int32 = 0
        while true {
            let waited = waitpid(pid, &status, WNOHANG)
            if waited == pid { break }
            if waited < 0, errno != EINTR { return .failure("waitpid failed: \(errno)") }
            if DispatchTime.now().uptimeNanoseconds >= deadline {
                kill(pid, SIGKILL)
                _ = waitpid(pid, &status, 0)
                return .failure("command timed out after \(timeout.nanoseconds / 1_000_000) ms and was killed")
            }
            usleep(2000)
        }
        // WIFEXITED / WEXITSTATUS, spelled out: Glibc's macros do not import.
        let exited = status & 0x7F == 0
        let code = (status >> 8) & 0xFF
        if exited, code == 0 { return ProbeResult(outcome: .success) }
        if exited { return .failure("command exited with status \(code)") }
        return .failure("command was killed by signal \(status & 0x7F)")
    }
}
