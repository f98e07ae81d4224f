import Foundation

/// CPU time consumed, so a load can report CPU per call: on two shared cores, throughput is
/// bounded by how much CPU each call costs, which makes this the figure that explains the others.
enum CPUClock {
    /// User plus system CPU time of this whole process, in milliseconds.
    static func selfMilliseconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return milliseconds(usage.ru_utime) + milliseconds(usage.ru_stime)
    }

    /// User plus system CPU time of process `pid`, in milliseconds, from `/proc/PID/stat`.
    static func processMilliseconds(_ pid: Int32) -> Double? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")")
        else { return nil }
        // Fields after the command name: state is field 3, utime 14, stime 15.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        return (user + system) * 1000 / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    private static func milliseconds(_ time: timeval) -> Double {
        Double(time.tv_sec) * 1000 + Double(time.tv_usec) / 1000
    }
}
