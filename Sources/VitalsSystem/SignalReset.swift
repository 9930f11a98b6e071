import CVitalsSystem

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// What a child process must not inherit from a Swift daemon's threads.
///
/// Dispatch and NIO threads block most signals, and the runtime ignores SIGPIPE. A mask and an
/// ignored disposition both survive `execve`, so a child started from such a thread would ignore
/// `docker stop`'s SIGTERM and die silently on a closed pipe. Children start with an empty mask and
/// every signal at its default action.
public enum SignalReset {
    /// Clears this thread's signal mask and resets ignored signals to their default action; for the
    /// moment just before `execvp` replaces the process.
    public static func prepareForExec() {
        var empty = sigset_t()
        sigemptyset(&empty)
        pthread_sigmask(SIG_SETMASK, &empty, nil)
        for signalNumber in 1..<Int32(NSIG) where signalNumber != SIGKILL && signalNumber != SIGSTOP {
            var current = sigaction()
            guard sigaction(signalNumber, nil, &current) == 0 else {
                // One of glibc's reserved signals: reset through the kernel, whatever its state.
                _ = vitals_reset_signal_to_default(signalNumber)
                continue
            }
            // Handlers are reset by execve anyway; only an ignored disposition would survive it.
            // SIG_IGN is the handler value 1, which Swift cannot compare as a function pointer.
            let ignored = current.__sigaction_handler.sa_handler.map { unsafeBitCast($0, to: Int.self) == 1 } ?? false
            if ignored {
                signal(signalNumber, SIG_DFL)
            }
        }
    }

    /// Spawn attributes for a child that starts clean: an empty mask, default dispositions and,
    /// when `newProcessGroup` is set, a process group of its own that can be killed as a whole.
    public static func configure(_ attributes: inout posix_spawnattr_t, newProcessGroup: Bool) {
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        var all = sigset_t()
        sigfillset(&all)
        posix_spawnattr_setsigdefault(&attributes, &all)
        var flags = Int32(POSIX_SPAWN_SETSIGMASK) | Int32(POSIX_SPAWN_SETSIGDEF)
        if newProcessGroup {
            flags |= Int32(POSIX_SPAWN_SETPGROUP)
            posix_spawnattr_setpgroup(&attributes, 0)
        }
        posix_spawnattr_setflags(&attributes, Int16(flags))
    }
}
