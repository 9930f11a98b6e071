// Linux system calls that Swift's Glibc module does not expose.
#ifndef C_VITALS_SYSTEM_H
#define C_VITALS_SYSTEM_H

#include <errno.h>
#include <malloc.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/timex.h>
#include <unistd.h>

/// Caps glibc's per-thread malloc arenas. Each thread that allocates would otherwise get an arena
/// of its own (up to 8 per core), and their reserved memory shows up as resident set size.
static inline int vitals_limit_malloc_arenas(int arenas) {
    return mallopt(M_ARENA_MAX, arenas);
}

/// Names the calling thread (at most 15 bytes are kept), as `top -H` and /proc/PID/task/TID/comm
/// show it. pthread_setname_np is declared only under _GNU_SOURCE.
static inline int vitals_name_current_thread(const char *name) {
    return prctl(PR_SET_NAME, (unsigned long)name, 0, 0, 0);
}

/// Returns freed heap memory at the top of each arena to the kernel.
static inline int vitals_trim_malloc(void) {
    return malloc_trim(0);
}

/// Sets a signal to its default action through the kernel directly. glibc's sigaction refuses the
/// two real-time signals it reserves for itself (32 and 33), yet their "ignored" state is inherited
/// through exec like any other; a process about to exec resets them this way.
static inline int vitals_reset_signal_to_default(int signal_number) {
    struct {
        void *handler;
        unsigned long flags;
        void *restorer;
        unsigned long mask;
    } action = {0, 0, 0, 0};
    return (int)syscall(SYS_rt_sigaction, signal_number, &action, (void *)0, sizeof(action.mask));
}

/// Flushes the file system that holds `descriptor` (syncfs(2), which glibc declares only under
/// _GNU_SOURCE): one flush for a batch of files.
static inline int vitals_sync_file_system(int descriptor) {
    return (int)syscall(SYS_syncfs, descriptor);
}

/// Lowers (or raises) the calling thread's scheduling priority; Linux applies setpriority to one
/// thread when given its thread id.
static inline int vitals_set_thread_niceness(int niceness) {
    return setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), niceness);
}

/// The kernel clock state from adjtimex(2), flattened for Swift.
typedef struct {
    long offset;
    long freq;
    long maxerror;
    long esterror;
    long constant;
    long tick;
    long ppsfreq;
    long jitter;
    long stabil;
    long jitcnt;
    long calcnt;
    long errcnt;
    long stbcnt;
    int status;
    int shift;
    int tai;
    /// adjtimex's return value (clock state, TIME_ERROR = 5), or -1.
    int state;
    int error_number;
} vitals_timex;

/// Reads the clock state without changing it (modes = 0).
static inline vitals_timex vitals_adjtimex(void) {
    struct timex value = {0};
    vitals_timex out = {0};
    out.state = adjtimex(&value);
    out.error_number = out.state < 0 ? errno : 0;
    out.offset = value.offset;
    out.freq = value.freq;
    out.maxerror = value.maxerror;
    out.esterror = value.esterror;
    out.constant = value.constant;
    out.tick = value.tick;
    out.ppsfreq = value.ppsfreq;
    out.jitter = value.jitter;
    out.stabil = value.stabil;
    out.jitcnt = value.jitcnt;
    out.calcnt = value.calcnt;
    out.errcnt = value.errcnt;
    out.stbcnt = value.stbcnt;
    out.status = value.status;
    out.shift = value.shift;
    out.tai = value.tai;
    return out;
}

#endif
