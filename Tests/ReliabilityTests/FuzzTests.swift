import Foundation
import Testing

/// A bounded, seeded fuzz run over the engine's item handling: random runner items go to the real
/// runner through the fake API; each must get exactly one final answer, and the runner must keep
/// serving. (libFuzzer is not used: `-sanitize=fuzzer` would need a separate toolchain build of the
/// engine; the seeded generator replays any failure with RELIABILITY_SEED.)
@Suite("Fuzz")
struct FuzzTests {
    static let seed: UInt64 = ProcessInfo.processInfo.environment["RELIABILITY_SEED"].flatMap(UInt64.init) ?? 424_242
    static let budget: Duration = .seconds(Double(ProcessInfo.processInfo.environment["RELIABILITY_FUZZ_SECONDS"] ?? "") ?? 15)

    @Test("random runner items, bounded in time")
    func randomItems() async throws {
        let tally = FaultTally("fuzzed RunnerItems (seed \(Self.seed), \(Self.budget))")
        let targets = try URLTargets()
        defer { targets.stop() }
        let batches = try await BadInputTests.withFakeAPI { fake, runner in
            var fuzzer = ItemFuzzer(seed: Self.seed)
            var submitted = 0
            var verdicts: [ItemVerdict] = []
            let until = ContinuousClock.now + Self.budget
            while ContinuousClock.now < until, runner.isRunning {
                let batch = (0..<16).map { _ in fuzzer.next(closedPort: targets.closedPort) }
                fake.submit(batch)
                submitted += batch.count
                for _ in batch { tally.sent() }
                verdicts = await fake.waitForVerdicts(submitted, within: .seconds(30))
                if verdicts.count < submitted { break }
            }
            let probe = RunnerItemCorpus.scripted("probe", RunnerItemCorpus.item("probe", .unaryUnary, RunnerItemCorpus.request([RunnerItemCorpus.input("ok")])))
            fake.submit([probe])
            tally.sent()
            verdicts = await fake.waitForVerdicts(submitted + 1, within: .seconds(15))
            #expect(runner.isRunning, "the runner died:\n\(runner.text.suffix(2000))")
            return verdicts
        }
        for verdict in batches {
            tally.record(verdict.outcome, note: "\(verdict.name): \(verdict.note)")
            if verdict.outcome != .correct && verdict.outcome != .clearFailure { print("[reliability]   \(verdict.name): \(verdict.outcome.rawValue) \(verdict.note)") }
        }
        tally.report()
        #expect(tally.isClean, "\(tally.examples)")
        #expect(batches.last?.name == "probe" && batches.last?.outcome == .correct)
    }
}
