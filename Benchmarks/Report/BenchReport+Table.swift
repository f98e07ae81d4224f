import Foundation

/// The human-readable form of a report, as pasted into the README.
extension BenchReport {
    func table() -> String {
        var lines: [String] = []
        lines.append("clarifai-runner benchmark: \(machine.cores) cores, \(machine.cpu), \(Format.number(machine.memoryGiB)) GiB, Linux \(machine.kernel)")
        lines.append("each load: \(Format.number(durationSeconds)) s measured after a warm-up; everything on 127.0.0.1")
        lines.append("")
        lines.append(Self.row("path", "mode", "callers", "throughput", "p50 ms", "p99 ms", "errors", "CPU ms/call"))
        lines.append(String(repeating: "-", count: 108))
        appendPath("ceiling: bare gRPC echo", ceiling, to: &lines)
        appendPath("runner, Swift no-op", swiftRunner, to: &lines)
        if let pluginRunner { appendPath("runner, C plugin no-op", pluginRunner, to: &lines) }
        if let oursProcess { appendProcess("ours: clarifai-runner run", oursProcess, to: &lines) }
        if let officialProcess { appendProcess("official Python runner", officialProcess, to: &lines) }
        appendMiniLM(to: &lines)
        lines.append("")
        lines.append("generate rows: throughput is outputs/s of one \(Workload.generateOutputs)-output call, p50 is time to first output")
        lines.append("CPU ms/call: of the whole bench process (callers + API + in-process runner or echo server); for ours/official, of the runner process alone")
        if minilm != nil {
            lines.append("minilm-embed xN: the plugin with max_instances=N and N callers, one input per request (short: ~10 tokens; 128-token: 128)")
        }
        if let resources {
            lines.append(
                "runner process: start-up \(Format.number(resources.startupMs)) ms median (best \(Format.number(resources.startupMinMs)) ms, \(resources.starts) starts), "
                    + "idle RSS \(Format.number(resources.idleRSSMiB)) MiB, RSS under 16-caller load \(oursProcess?.peakRSSMiB.map(Format.number) ?? "n/a") MiB"
            )
        }
        if let official = officialProcess?.peakRSSMiB {
            lines.append("official runner process: RSS under 16-caller load \(Format.number(official)) MiB")
        }
        lines.append("")
        lines.append("ratios (same run):")
        for (name, value) in ratios.sorted(by: { $0.key < $1.key }) {
            let shown = name.contains("ceiling") ? Format.percent(value) : Format.number(value) + "x"
            lines.append("  " + Format.pad(name, 34) + shown)
        }
        lines.append("")
        lines.append("targets:")
        for target in targets {
            let value = target.goal.hasSuffix("%") ? Format.percent(target.value) : Format.number(target.value)
            lines.append("  " + Format.pad(target.name, 52) + Format.pad(value, 8, right: true) + "  goal " + Format.pad(target.goal, 9) + (target.met ? "met" : "MISSED"))
        }
        for (part, reason) in skipped.sorted(by: { $0.key < $1.key }) {
            lines.append("skipped \(part): \(reason)")
        }
        return lines.joined(separator: "\n")
    }

    private func appendPath(_ name: String, _ path: PathResult, to lines: inout [String]) {
        for result in path.unary { lines.append(Self.row(name, "unary", result)) }
        for result in path.stream { lines.append(Self.row(name, "stream", result, unit: "msg/s")) }
        if let generate = path.generate {
            lines.append(Self.row(
                name, "generate", "1", Format.number(generate.outputsPerSecond) + " out/s",
                Format.number(generate.firstOutputMs), "", "\(generate.errors)", ""
            ))
        }
    }

    private func appendProcess(_ name: String, _ result: ProcessLoadResult, to lines: inout [String]) {
        for load in result.unary { lines.append(Self.row(name, "unary", load)) }
    }

    static func row(_ name: String, _ mode: String, _ result: LoadResult, unit: String = "req/s") -> String {
        row(name, mode, "\(result.callers)", Format.number(result.perSecond) + " " + unit,
            Format.number(result.p50Ms), Format.number(result.p99Ms), "\(result.errors)",
            result.cpuMsPerCall.map(Format.number) ?? "")
    }

    private static func row(
        _ name: String, _ mode: String, _ callers: String, _ rate: String, _ p50: String, _ p99: String, _ errors: String, _ cpu: String
    ) -> String {
        Format.pad(name, 28) + Format.pad(mode, 10) + Format.pad(callers, 8, right: true)
            + Format.pad(rate, 18, right: true) + Format.pad(p50, 10, right: true) + Format.pad(p99, 10, right: true)
            + Format.pad(errors, 8, right: true) + Format.pad(cpu, 12, right: true)
    }

    /// The whole report as one line of JSON, keys sorted, for scripts.
    func jsonLine() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(self) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }
}
