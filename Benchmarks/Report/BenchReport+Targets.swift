/// The headline: ratios between paths measured in the same run, and the targets.
extension BenchReport {
    /// Fills ``ratios`` and ``targets`` from the measured figures.
    mutating func evaluate() {
        ratios = [:]
        targets = []
        let runners: [(String, PathResult?)] = [("swift", swiftRunner), ("plugin", pluginRunner)]
        for (name, path) in runners {
            guard let path else { continue }
            for callers in [1, 16] {
                if let ratio = Self.ratio(path.unary.at(callers), ceiling.unary.at(callers)) {
                    ratios["\(name)_unary_\(callers)_vs_ceiling"] = ratio
                    targets.append(.atLeast("\(name) unary, \(callers) caller(s), vs ceiling", ratio, 0.5, percent: true))
                }
                if let ratio = Self.ratio(path.stream.at(callers), ceiling.stream.at(callers)) {
                    ratios["\(name)_stream_\(callers)_vs_ceiling"] = ratio
                    targets.append(.atLeast("\(name) stream, \(callers) caller(s), vs ceiling", ratio, 0.5, percent: true))
                }
            }
            if let ours = path.generate, let bare = ceiling.generate, bare.outputsPerSecond > 0 {
                ratios["\(name)_generate_vs_ceiling"] = ours.outputsPerSecond / bare.outputsPerSecond
            }
        }
        if let ours = oursProcess, let official = officialProcess {
            for callers in [1, 16] {
                if let ratio = Self.ratio(ours.unary.at(callers), official.unary.at(callers)) {
                    ratios["ours_vs_official_unary_\(callers)"] = ratio
                }
            }
            if let ratio = ratios["ours_vs_official_unary_16"] {
                targets.append(.atLeast("ours vs official unary throughput, 16 callers", ratio, 10, percent: false))
            }
            if let mine = ours.unary.at(16), let theirs = official.unary.at(16), mine.calls > 0, theirs.calls > 0 {
                ratios["official_p99_over_ours_16"] = theirs.p99Ms / mine.p99Ms
                targets.append(Target(
                    name: "ours p99 below official p99, 16 callers (ms)", value: mine.p99Ms,
                    goal: "< \(Format.number(theirs.p99Ms))", met: mine.p99Ms < theirs.p99Ms
                ))
            }
        }
        if let resources {
            targets.append(Target(name: "idle RSS of the runner process (MiB)", value: resources.idleRSSMiB, goal: "< 30", met: resources.idleRSSMiB < 30))
            targets.append(Target(name: "start-up, exec to first work request (ms)", value: resources.startupMs, goal: "< 200", met: resources.startupMs < 200))
        }
    }

    private static func ratio(_ ours: LoadResult?, _ reference: LoadResult?) -> Double? {
        guard let ours, let reference, reference.perSecond > 0 else { return nil }
        return ours.perSecond / reference.perSecond
    }
}

extension BenchReport.Target {
    static func atLeast(_ name: String, _ value: Double, _ goal: Double, percent: Bool) -> Self {
        Self(
            name: name, value: value,
            goal: percent ? "≥ \(Int(goal * 100))%" : "≥ \(Format.number(goal))x",
            met: value >= goal
        )
    }
}
