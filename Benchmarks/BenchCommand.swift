import ArgumentParser
import CModelBackend
import Foundation
import Logging

/// `clarifai-runner-bench`: measures the runner against the bare gRPC transport and the official
/// Python runner, all on 127.0.0.1, and prints a table plus one JSON line. See Benchmarks/README.md.
@main
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clarifai-runner-bench",
        abstract: "Measure clarifai-runner against the gRPC transport ceiling and the official Python runner.",
        discussion: """
            Build and run it in release mode, in its own scratch path:
              swift run -c release --scratch-path .build-release clarifai-runner-bench
            It is a benchmark, not a test: missed targets are reported, and the exit status is 0
            unless the benchmark itself could not run.
            """
    )

    @Flag(help: "A smoke run of a few seconds: short loads, one start-up.")
    var quick = false

    @Option(help: "Seconds measured per load, after a warm-up (default 3; 0.3 with --quick).")
    var duration: Double?

    @Flag(help: "Do not run the official Python runner.")
    var skipOfficial = false

    @Option(help: "The clarifai-runner binary to spawn (default: the one next to this executable).")
    var runnerBinary: String?

    @Option(help: "How many times to start the runner process for the start-up figure (default 5; 1 with --quick).")
    var starts: Int?

    @Option(help: ArgumentHelp(
        "all-MiniLM-L6-v2 model directory for the minilm part (skipped without it).",
        valueName: "dir"))
    var minilmModelDir: String?

    @Option(help: ArgumentHelp(
        "Run only these parts, comma-separated: \(BenchPart.allCases.map(\.rawValue).joined(separator: ",")). For profiling one path.",
        valueName: "parts"))
    var only: String?

    func validate() throws {
        if let duration, !(0.05...120).contains(duration) { throw ValidationError("--duration must be between 0.05 and 120 seconds") }
        if let starts, !(1...50).contains(starts) { throw ValidationError("--starts must be between 1 and 50") }
        _ = try parts()
    }

    private func parts() throws -> Set<BenchPart> {
        guard let only else { return Set(BenchPart.allCases) }
        return Set(try only.split(separator: ",").map { name in
            guard let part = BenchPart(rawValue: name.trimmingCharacters(in: .whitespaces)) else {
                throw ValidationError("unknown part '\(name)' in --only")
            }
            return part
        })
    }

    func run() async throws {
        var logger = Logger(label: "clarifai-runner-bench")
        // The local API and the engines log through this; only real trouble belongs in the output.
        logger.logLevel = .error
        let plan = BenchPlan(
            measured: .milliseconds(Int((duration ?? (quick ? 0.3 : 3)) * 1000)),
            warmup: quick ? .milliseconds(100) : .milliseconds(500),
            starts: starts ?? (quick ? 1 : 5),
            settle: quick ? .milliseconds(300) : .seconds(1),
            logger: logger
        )
        var report = BenchReport(
            machine: .current(), command: (["clarifai-runner-bench"] + CommandLine.arguments.dropFirst()).joined(separator: " "),
            durationSeconds: plan.measured.seconds
        )
        let logDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("clarifai-runner-bench-\(getpid())")
        try FileManager.default.createDirectory(at: logDirectory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: logDirectory) }

        let parts = try parts()
        // Each part runs about eight loads plus start-ups; allow several times that, then give up.
        RunWatchdog.arm(limit: .seconds(180) + (plan.measured + plan.warmup) * 60)

        if parts.contains(.ceiling) {
            RunWatchdog.entering("transport ceiling: bare gRPC echo")
            report.ceiling = try await LoopbackServer.with(services: [EchoService()]) { port in
                try await ModelCaller.with(port: port) { await plan.measurePath($0) }
            }
        }

        if parts.contains(.swift) {
            RunWatchdog.entering("runner in this process, Swift no-op handler")
            report.swiftRunner = try await InProcessRunner.with(handler: NoopHandler(), logger: logger) { await plan.measurePath($0) }
        }

        if parts.contains(.plugin) {
            RunWatchdog.entering("runner in this process, C no-op plugin")
            do {
                let library = try NoopPlugin.build(into: logDirectory)
                let handler = try await CModelHandler.load(path: library, logger: logger)
                report.pluginRunner = try await InProcessRunner.with(handler: handler, logger: logger) { await plan.measurePath($0) }
                await handler.unload()
            } catch {
                report.skipped["C plugin"] = "\(error)"
            }
        }

        if !parts.contains(.minilm) {
            report.skipped["minilm"] = "not in --only"
        } else if let minilmModelDir {
            do {
                report.minilm = try await MiniLMBench.run(modelDirectory: minilmModelDir, plan: plan)
            } catch {
                report.skipped["minilm"] = "\(error)"
            }
        } else {
            report.skipped["minilm"] = "no --minilm-model-dir (the all-MiniLM-L6-v2 weights; see runners/minilm-embed/README.md)"
        }

        let binary = runnerBinary ?? RunnerProcesses.defaultRunnerBinary()
        let processes = RunnerProcesses(runnerBinary: binary, python: RunnerProcesses.findPython(), logDirectory: logDirectory)
        if !parts.contains(.process) {
            report.skipped["runner process"] = "not in --only"
        } else if FileManager.default.isExecutableFile(atPath: binary) {
            do {
                RunWatchdog.entering("runner process: start-up and idle memory (\(plan.starts) starts)")
                report.resources = try await ResourceProbe.run(processes: processes, starts: plan.starts, settle: plan.settle)
                RunWatchdog.entering("runner process: unary load")
                report.oursProcess = try await plan.processLoad { try processes.ours(port: $0) }
            } catch {
                report.skipped["runner process"] = "\(error)"
            }
        } else {
            report.skipped["runner process"] = "no clarifai-runner at \(binary); build it in the same build directory (--product clarifai-runner) or pass --runner-binary"
        }

        if skipOfficial || !parts.contains(.official) {
            report.skipped["official runner"] = skipOfficial ? "--skip-official" : "not in --only"
        } else if case .failure(let reason) = processes.python {
            report.skipped["official runner"] = reason.description
        } else {
            RunWatchdog.entering("official Python runner: unary load")
            do {
                report.officialProcess = try await plan.processLoad { try processes.official(port: $0) }
            } catch {
                report.skipped["official runner"] = "\(error)"
            }
        }

        report.evaluate()
        print(report.table())
        print(report.jsonLine())
    }
}

/// The parts of a run, for `--only`.
enum BenchPart: String, CaseIterable, Sendable {
    case ceiling, swift, plugin, process, official, minilm
}

/// How long and how hard each part of a run measures.
struct BenchPlan: Sendable {
    let measured: Duration
    let warmup: Duration
    let starts: Int
    let settle: Duration
    let logger: Logger
    let callerCounts = [1, 16]

    /// Unary and stream-stream at each caller count, then generate.
    func measurePath(_ caller: ModelCaller) async -> BenchReport.PathResult {
        var result = BenchReport.PathResult()
        for callers in callerCounts {
            result.unary.append(await caller.unaryLoad(callers: callers, warmup: warmup, duration: measured))
        }
        for callers in callerCounts {
            result.stream.append(await caller.streamLoad(callers: callers, warmup: warmup, duration: measured))
        }
        result.generate = await caller.generateLoad(duration: measured, minimumCalls: 3)
        return result
    }

    func processLoad(_ start: @escaping (Int) throws -> ChildProcess) async throws -> ProcessLoadResult {
        try await ProcessLoad.run(callerCounts: callerCounts, warmup: warmup, duration: measured, logger: logger, start: start)
    }
}

/// One line on standard error per step, so a long run shows where it is.
enum Progress {
    static func say(_ message: String) {
        FileHandle.standardError.write(Data("bench: \(message)\n".utf8))
    }
}
