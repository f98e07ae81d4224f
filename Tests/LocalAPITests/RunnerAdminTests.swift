import ClarifaiAPI
import Foundation
import GRPCCore
import LocalAPI
import Testing

/// Runner records over gRPC, their effect on routing, and their persistence.
@Suite struct RunnerAdminTests {
    static func record(id: String = "", model: String, version: String = "v1") -> Clarifai_Api_Runner {
        var runner = Clarifai_Api_Runner()
        runner.id = id
        runner.description_p = "test runner"
        var worker = Clarifai_Api_Model()
        worker.id = model
        worker.modelVersion.id = version
        runner.worker.model = worker
        runner.numReplicas = 1
        return runner
    }

    @Test func createGetListPatchDelete() async throws {
        try await TestServer.run { client, _ in
            var post = Clarifai_Api_PostRunnersRequest()
            post.nodepoolID = "np"
            post.computeClusterID = "cc"
            post.runners = [Self.record(model: "m1"), Self.record(id: "fixed", model: "m2", version: "v2")]
            let created = try await client.postRunners(request: ClientRequest(message: post, metadata: Fixtures.auth))
            #expect(created.status.code == .success)
            #expect(created.runners.count == 2)
            let generatedID = try #require(created.runners.first?.id)
            #expect(!generatedID.isEmpty)
            #expect(created.runners.first?.nodepool.id == "np")

            post.runners = [Self.record(id: "fixed", model: "m3")]
            let duplicate = try await client.postRunners(request: ClientRequest(message: post, metadata: Fixtures.auth))
            #expect(duplicate.status.code != .success)
            #expect(duplicate.status.description_p.contains("fixed"))

            var get = Clarifai_Api_GetRunnerRequest()
            get.runnerID = "fixed"
            let got = try await client.getRunner(request: ClientRequest(message: get, metadata: Fixtures.auth))
            #expect(got.runner.id == "fixed")
            get.runnerID = "nope"
            #expect(try await client.getRunner(request: ClientRequest(message: get, metadata: Fixtures.auth)).status.code == .runnerDoesNotExist)

            var list = Clarifai_Api_ListRunnersRequest()
            list.nodepoolID = "np"
            list.perPage = 1
            list.page = 2
            let page2 = try await client.listRunners(request: ClientRequest(message: list, metadata: Fixtures.auth))
            #expect(page2.runners.map(\.id) == ["fixed"])
            list.page = 1
            list.perPage = 0
            list.modelVersionIds = ["v1"]
            #expect(try await client.listRunners(request: ClientRequest(message: list, metadata: Fixtures.auth)).runners.map(\.id) == [generatedID])
            list.modelVersionIds = []
            list.nodepoolID = "other"
            #expect(try await client.listRunners(request: ClientRequest(message: list, metadata: Fixtures.auth)).runners.isEmpty)

            var patch = Clarifai_Api_PatchRunnersRequest()
            var change = Clarifai_Api_Runner()
            change.id = "fixed"
            change.description_p = "patched"
            patch.runners = [change]
            patch.action = "merge"
            let patched = try await client.patchRunners(request: ClientRequest(message: patch, metadata: Fixtures.auth))
            #expect(patched.runners.first?.description_p == "patched")
            #expect(patched.runners.first?.worker.model.id == "m2", "merge keeps the other fields")

            var delete = Clarifai_Api_DeleteRunnersRequest()
            delete.ids = ["fixed", generatedID]
            #expect(try await client.deleteRunners(request: ClientRequest(message: delete, metadata: Fixtures.auth)).status.code == .success)
            #expect(try await client.deleteRunners(request: ClientRequest(message: delete, metadata: Fixtures.auth)).status.code == .runnerDoesNotExist)

            let metrics = try await client.postRunnerReplicaTaskMetrics(
                request: ClientRequest(message: .init(), metadata: Fixtures.auth)
            )
            #expect(metrics.status.code == .success)
        }
    }

    @Test func registeredRunnerOnlyGetsItsModel() async throws {
        try await TestServer.run(configure: { $0.noRunnerDeadline = .milliseconds(600) }) { client, _ in
            var post = Clarifai_Api_PostRunnersRequest()
            post.runners = [Self.record(id: "r-m1", model: "m1")]
            _ = try await client.postRunners(request: ClientRequest(message: post, metadata: Fixtures.auth))
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    try await FakeRunner.stream(client, runnerID: "r-m1") { stream in
                        let item = try #require(try await stream.next()?.runnerItems.first)
                        #expect(item.postModelOutputsRequest.modelID == "m1")
                        stream.send(FakeRunner.answer(itemID: item.id, Fixtures.response(texts: ["ok"])))
                        stream.halfClose()
                        _ = try await stream.next()
                    }
                }
                let other = try await client.postModelOutputs(
                    request: ClientRequest(message: Fixtures.request(model: "m2", texts: ["a"]), metadata: Fixtures.auth)
                )
                #expect(other.status.code != .success, "the m1 runner must not serve m2")
                let mine = try await client.postModelOutputs(
                    request: ClientRequest(message: Fixtures.request(model: "m1", texts: ["a"]), metadata: Fixtures.auth)
                )
                #expect(Fixtures.texts(mine) == ["ok"])
                try await group.waitForAll()
            }
        }
    }

    @Test func recordsPersistAcrossRestarts() async throws {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("localapi-\(UUID().uuidString)")
            .appendingPathComponent("runners.json").path
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        try await TestServer.run(configure: { $0.runnerStorePath = path }) { client, _ in
            var post = Clarifai_Api_PostRunnersRequest()
            post.runners = [Self.record(id: "kept", model: "m1")]
            let created = try await client.postRunners(request: ClientRequest(message: post, metadata: Fixtures.auth))
            #expect(created.status.code == .success)
        }
        let json = try String(contentsOfFile: path, encoding: .utf8)
        #expect(json.contains("\"kept\""))
        try await TestServer.run(configure: { $0.runnerStorePath = path }) { client, _ in
            var get = Clarifai_Api_GetRunnerRequest()
            get.runnerID = "kept"
            let got = try await client.getRunner(request: ClientRequest(message: get, metadata: Fixtures.auth))
            #expect(got.runner.worker.model.id == "m1")
        }
    }
}
