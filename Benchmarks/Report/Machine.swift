import Foundation

/// The machine a run happened on, for the README: core count, CPU model and memory.
struct Machine: Sendable, Codable {
    var cores: Int
    var cpu: String
    var memoryGiB: Double
    var kernel: String

    static func current() -> Machine {
        let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let model = cpuinfo.split(separator: "\n")
            .first { $0.hasPrefix("model name") }
            .flatMap { $0.split(separator: ":", maxSplits: 1).last }
            .map { $0.trimmingCharacters(in: .whitespaces) } ?? "unknown"
        let memoryKiB = ChildProcess.meminfoTotalKiB() ?? 0
        var name = utsname()
        uname(&name)
        let release = withUnsafeBytes(of: &name.release) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        return Machine(
            cores: ProcessInfo.processInfo.activeProcessorCount, cpu: model,
            memoryGiB: (memoryKiB / 1024 / 1024 * 10).rounded() / 10, kernel: release
        )
    }
}

extension ChildProcess {
    /// `MemTotal` of `/proc/meminfo`, in KiB.
    static func meminfoTotalKiB() -> Double? {
        guard let text = try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("MemTotal:") {
            return line.split(separator: " ").dropFirst().first.flatMap { Double($0) }
        }
        return nil
    }
}
