import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Readings of this process's resources: wall clock, CPU time, peak resident memory and the machine's load.
///
/// The benchmarks are the only code in the project that reads the wall clock; models never do.
///
/// ```swift
/// let watch = Stopwatch()
/// work()
/// print(watch.elapsedSeconds, ResourceUsage.cpuTime().total, ResourceUsage.maxResidentBytes())
/// ```
public enum ResourceUsage {
    /// Peak resident set size of this process so far, in bytes: `VmHWM` from `/proc/self/status` on Linux, else
    /// `getrusage` `ru_maxrss`.
    ///
    /// On Linux `ru_maxrss` survives `execve`: a child spawned by a large parent starts with the parent's peak. `VmHWM`
    /// belongs to the process's own address space, so a fresh benchmark process reports only its own peak.
    public static func maxResidentBytes() -> Int {
        if let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
            let kibibytes = Int(line.dropFirst("VmHWM:".count).split(separator: " ").first ?? "")
        {
            return kibibytes * 1_024
        }
        return maxRSS()
    }

    /// `getrusage` `ru_maxrss`, in bytes.
    static func maxRSS() -> Int {
        var usage = rusage()
        _ = getrusage(ResourceUsage.selfWho, &usage)
        #if os(Linux)
            return Int(usage.ru_maxrss) * 1_024  // KiB on Linux
        #else
            return Int(usage.ru_maxrss)  // bytes on Darwin
        #endif
    }

    /// CPU time in user and in system (kernel) mode, in seconds.
    public struct CPUTime: Sendable {
        public var user: Double
        public var system: Double

        /// User plus system.
        public var total: Double { user + system }

        /// The time spent between an earlier reading and this one.
        public static func - (later: CPUTime, earlier: CPUTime) -> CPUTime {
            CPUTime(user: later.user - earlier.user, system: later.system - earlier.system)
        }
    }

    /// CPU time of this process so far (all threads).
    public static func cpuTime() -> CPUTime {
        var usage = rusage()
        _ = getrusage(ResourceUsage.selfWho, &usage)
        func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
        return CPUTime(user: seconds(usage.ru_utime), system: seconds(usage.ru_stime))
    }

    #if os(Linux)
        private static let selfWho = __rusage_who_t(RUSAGE_SELF.rawValue)
    #else
        private static let selfWho = RUSAGE_SELF
    #endif

    /// The 1-minute load average (`getloadavg`), or `nil` where unavailable.
    public static func loadAverage() -> Double? {
        var loads = [Double](repeating: 0, count: 3)
        return getloadavg(&loads, 3) >= 1 ? loads[0] : nil
    }
}

/// Measures elapsed wall-clock time (monotonic clock) and the calling thread's CPU time from its creation.
///
/// On an idle machine the two agree for single-threaded work; when other processes compete for the CPUs, wall time
/// grows with the wait and CPU time much less, so single-core rates are computed from CPU time.
public struct Stopwatch: Sendable {
    private let start = ContinuousClock.now
    private let cpuStart = Stopwatch.threadCPUSeconds()

    public init() {}

    /// CPU seconds the calling thread has used since the stopwatch was created (it must be the creating thread).
    public var elapsedThreadCPUSeconds: Double { Stopwatch.threadCPUSeconds() - cpuStart }

    /// The calling thread's CPU time (`CLOCK_THREAD_CPUTIME_ID`).
    static func threadCPUSeconds() -> Double {
        var now = timespec()
        _ = clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }

    /// Seconds since the stopwatch was created.
    public var elapsedSeconds: Double {
        let elapsed = ContinuousClock.now - start
        let (seconds, attoseconds) = elapsed.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
