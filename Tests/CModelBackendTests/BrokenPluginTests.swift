import ClarifaiAPI
import RunnerKit
import Testing

@testable import CModelBackend

/// Deliberately broken plugins (Fixtures/*.c): each failure must be a clear one-line error naming
/// the plugin file and the call, and must never take the handler (or the process) down.
@Suite(.enabled(if: PluginBuilds.toolsAvailable, "cc is needed to build the broken-plugin fixtures"))
struct BrokenPluginTests {
    // MARK: load-time failures

    @Test func missingFile() async throws {
        let path = try PluginBuilds.output.get().appendingPathComponent("libnothing_here.so").path
        await #expect(throws: CPluginError.fileNotFound(path: path)) {
            try await CModelHandler.load(path: path, logger: quietLogger)
        }
        #expect(CPluginError.fileNotFound(path: path).description == "plugin \(path): no such file")
    }

    @Test func fileThatIsNotASharedLibrary() async throws {
        let path = try PluginBuilds.path("not_a_library")
        let error = await #expect(throws: CPluginError.self) {
            try await CModelHandler.load(path: path, logger: quietLogger)
        }
        guard case .notALoadableLibrary(let reported, let reason) = error else {
            Issue.record("expected notALoadableLibrary, got \(String(describing: error))")
            return
        }
        #expect(reported == path)
        #expect(!reason.isEmpty)
        #expect(error?.description.hasPrefix("plugin \(path): not a loadable shared library: ") == true)
    }

    @Test func missingEntryPoint() async throws {
        let path = try PluginBuilds.path("missing_entry")
        await #expect(throws: CPluginError.missingEntryPoint(path: path)) {
            try await CModelHandler.load(path: path, logger: quietLogger)
        }
        #expect(CPluginError.missingEntryPoint(path: path).description.contains("missing entry point clarifai_runner_plugin"))
    }

    @Test func abiMajorMismatch() async throws {
        let path = try PluginBuilds.path("abi_major_mismatch")
        let expected = CPluginError.abiMajorMismatch(path: path, pluginMajor: 2, hostMajor: 1)
        await #expect(throws: expected) {
            try await CModelHandler.load(path: path, logger: quietLogger)
        }
        #expect(expected.description
            == "plugin \(path): ABI major mismatch: plugin was built for ABI 2.x, this host speaks 1.x")
    }

    @Test func initFailureReportsThePluginsMessage() async throws {
        let path = try PluginBuilds.path("init_failure")
        let expected = CPluginError.loadFailed(
            path: path, status: "UNAVAILABLE", message: "weights.bin not found in /models/demo")
        await #expect(throws: expected) {
            try await CModelHandler.load(path: path, modelDirectory: "/models/demo", logger: quietLogger)
        }
        #expect(expected.description == "plugin \(path): load failed (UNAVAILABLE): weights.bin not found in /models/demo")
    }

    // MARK: per-call failures: the input fails, the handler keeps serving

    @Test func pluginErrorsFailOneInputAndServingContinues() async throws {
        let handler = try await CModelHandler.load(path: PluginBuilds.path("call_error"), logger: quietLogger)
        await #expect(throws: ModelHandlerError.failed("libcall_error.so: predict: kernel exploded on two lines")) {
            try await handler.runInput(textInput("boom"), context: context(.predict))
        }
        await #expect(throws: ModelHandlerError.invalidInput("libcall_error.so: predict: text required")) {
            try await handler.runInput(Clarifai_Api_Input(), context: context(.predict))
        }
        await #expect(throws: ModelHandlerError.failed("libcall_error.so: predict: returned UNAVAILABLE without a message")) {
            try await handler.runInput(textInput("silent"), context: context(.predict))
        }
        await #expect(throws: ModelHandlerError.failed("libcall_error.so: predict: returned OK without emitting an output")) {
            try await handler.runInput(textInput("nothing"), context: context(.predict))
        }
        let echoed = try await handler.runInput(textInput("still serving"), context: context(.predict))
        #expect(echoed.data.text.raw == "still serving")

        let collector = OutputCollector()
        await #expect(throws: ModelHandlerError.failed("libcall_error.so: generate: out of KV cache")) {
            try await handler.generate(textInput("x"), context: context(.generate), output: collector.writer)
        }
        #expect(collector.texts == ["one", "two"])
        await handler.unload()
    }

    @Test func invalidUTF8FromThePluginFailsTheCall() async throws {
        let handler = try await CModelHandler.load(path: PluginBuilds.path("invalid_utf8"), logger: quietLogger)
        await #expect(throws: ModelHandlerError.failed("libinvalid_utf8.so: predict: invalid UTF-8 in text output")) {
            try await handler.runInput(textInput("x"), context: context(.predict))
        }
        let collector = OutputCollector()
        await #expect(throws: ModelHandlerError.failed("libinvalid_utf8.so: generate: invalid UTF-8 in text output")) {
            try await handler.generate(textInput("x"), context: context(.generate), output: collector.writer)
        }
        // The valid output before the broken one still reached the caller, in order.
        #expect(collector.texts == ["fine"])
        await handler.unload()
    }

    @Test func oversizedOutputIsRefused() async throws {
        let handler = try await CModelHandler.load(
            path: PluginBuilds.path("oversized_output"), limits: CPluginLimits(maxOutputBytes: 1024), logger: quietLogger)
        await #expect(throws: ModelHandlerError.failed(
            "liboversized_output.so: predict: output of 1025 bytes exceeds the limit of 1024 bytes")) {
            try await handler.runInput(textInput("x"), context: context(.predict))
        }
        await handler.unload()
    }

    @Test func outputAfterFinalFailsTheCall() async throws {
        let handler = try await CModelHandler.load(path: PluginBuilds.path("after_final"), logger: quietLogger)
        let collector = OutputCollector()
        await #expect(throws: ModelHandlerError.failed("libafter_final.so: generate: output emitted after the FINAL output")) {
            try await handler.generate(textInput("x"), context: context(.generate), output: collector.writer)
        }
        #expect(collector.texts == ["last"])
        // In predict the single output is implicitly FINAL.
        await #expect(throws: ModelHandlerError.failed("libafter_final.so: predict: output emitted after the FINAL output")) {
            try await handler.runInput(textInput("x"), context: context(.predict))
        }
        await handler.unload()
    }
}
