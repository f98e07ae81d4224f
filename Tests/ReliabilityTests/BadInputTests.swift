import ClarifaiAPI
import Foundation
import Testing

/// Malformed and hostile input, from both sides: runner items sent straight to the real runner by
/// a fake API, and caller requests sent through the real local API. Every item and request gets
/// exactly one final answer with a defined status and description, and the runner keeps serving.
@Suite("Bad input")
struct BadInputTests {
    /// Runs the real runner against a fake API; `body` gets the fake and the runner's process.
    static func withFakeAPI<R: Sendable>(_ body: @Sendable (FakeAPI, RealProcess) async throws -> R) async throws -> R {
        let fake = FakeAPI()
        return try await fake.run { port in
            let level = ProcessInfo.processInfo.environment["RELIABILITY_RUNNER_LOG"] ?? "notice"
            let runner = try Deployment.startRunner(apiPort: port, extra: ["--parallel-polls", "4", "--max-in-flight", "8", "--log-level", level])
            defer {
                if ProcessInfo.processInfo.environment["RELIABILITY_DEBUG"] != nil { print(runner.text) }
                runner.signal(SIGKILL)
            }
            do {
                return try await body(fake, runner)
            } catch {
                print("--- runner ---\n\(runner.text.suffix(3000))")
                throw error
            }
        }
    }

    @Test("malformed runner items, from a fake API")
    func runnerItems() async throws {
        let tally = FaultTally("malformed RunnerItems (fake API → runner)")
        let targets = try URLTargets()
        defer { targets.stop() }
        let corpus = try RunnerItemCorpus.all(targets: targets)
        let probe = RunnerItemCorpus.scripted("probe after the corpus", RunnerItemCorpus.item("probe", .unaryUnary, RunnerItemCorpus.request([RunnerItemCorpus.input("still here")])))
        let verdicts = try await Self.withFakeAPI { fake, runner in
            fake.submit(corpus)
            for _ in corpus { tally.sent() }
            var verdicts = await fake.waitForVerdicts(corpus.count, within: .seconds(60))
            fake.submit([probe])
            tally.sent()
            verdicts = await fake.waitForVerdicts(corpus.count + 1, within: .seconds(15))
            #expect(runner.isRunning, "the runner died:\n\(runner.text.suffix(2000))")
            return verdicts
        }
        for verdict in verdicts {
            tally.record(verdict.outcome, note: "\(verdict.name): \(verdict.note)")
            print("[reliability]   \(verdict.name): \(verdict.outcome.rawValue) \(verdict.note.prefix(140))")
        }
        tally.report()
        #expect(tally.isClean, "\(tally.examples)")
        #expect(verdicts.last?.name == probe.name && verdicts.last?.outcome == .correct)
    }

    @Test("malformed requests, through the local API")
    func callerRequests() async throws {
        let tally = FaultTally("malformed requests (caller → local API → runner)")
        let targets = try URLTargets()
        defer { targets.stop() }
        try await Deployment.withProcesses { processes in
            let (api, port) = try await Deployment.startAPI()
            processes.append(api)
            processes.append(try Deployment.startRunner(apiPort: port))
            _ = try await Deployment.waitUntilServing(port: port)
            try await LoadCaller.with(port: port) { caller in
                var caller = caller
                caller.deadline = .seconds(40)
                let corpus = Self.requests(targets: targets)
                let bounded = caller
                await withTaskGroup(of: Void.self) { group in
                    for (name, request) in corpus {
                        group.addTask {
                            tally.sent()
                            let (outcome, note) = await bounded.predict(request, expected: nil)
                            tally.record(outcome, note: "\(name): \(note)")
                            print("[reliability]   \(name): \(outcome.rawValue) \(note.prefix(140))")
                        }
                    }
                    group.addTask {
                        tally.sent()
                        let (outcome, note) = await bounded.generate(RunnerItemCorpus.request([]), expected: nil)
                        tally.record(outcome, note: "generate, no inputs: \(note)")
                        print("[reliability]   generate, no inputs: \(outcome.rawValue) \(note)")
                    }
                    group.addTask {
                        tally.sent()
                        let (outcome, note) = await bounded.stream([RunnerItemCorpus.request([]), RunnerItemCorpus.request([])], expected: nil)
                        tally.record(outcome, note: "stream, no inputs: \(note)")
                        print("[reliability]   stream, no inputs: \(outcome.rawValue) \(note)")
                    }
                }
                await tally.run { await bounded.predict(["still serving"]) }
            }
        }
        tally.report()
        #expect(tally.isClean, "\(tally.examples)")
    }

    static func requests(targets: URLTargets) -> [(String, Clarifai_Api_PostModelOutputsRequest)] {
        typealias C = RunnerItemCorpus
        var deep = C.input("deep")
        deep.data.metadata = C.nested(60)
        var tooDeep = C.input("too deep")
        tooDeep.data.metadata = C.nested(200)
        return [
            ("no inputs", C.request([])),
            ("input without data", C.request([C.input(nil)])),
            ("8 MiB text", C.request([C.input(String(repeating: "b", count: 8 << 20))])),
            ("1,000 inputs", C.request((0..<1000).map { C.input("t\($0)", id: "i\($0)") })),
            ("metadata nested 60 deep", C.request([deep])),
            ("metadata nested 200 deep", C.request([tooDeep])),
            ("URL: unreachable port", C.request([C.urlInput("http://127.0.0.1:\(targets.closedPort)/")])),
            ("URL: never answers", C.request([C.urlInput("http://127.0.0.1:\(targets.silentPort)/")])),
            ("URL: over the limit", C.request([C.urlInput("http://127.0.0.1:\(targets.hugeDeclaredPort)/")])),
            ("URL: file://", C.request([C.urlInput("file:///etc/passwd")])),
            ("URL: ftp://", C.request([C.urlInput("ftp://127.0.0.1/")])),
        ]
    }
}
