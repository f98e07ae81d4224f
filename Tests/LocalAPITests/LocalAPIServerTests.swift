import ClarifaiAPI
import GRPCCore
import LocalAPI
import Testing

/// The server over real gRPC on 127.0.0.1, with fake runners built on the generated client.
@Suite struct LocalAPIServerTests {
    @Test func unaryRoundTrip() async throws {
        try await TestServer.run { client, _ in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    try await FakeRunner.stream(client) { stream in
                        let message = try #require(try await stream.next())
                        let item = try #require(message.runnerItems.first)
                        #expect(message.runnerItems.count == 1)
                        #expect(item.processingInfo.runnerMethodType == .unaryUnary)
                        let upper = Fixtures.texts(item.postModelOutputsRequest).map { $0.uppercased() }
                        stream.send(FakeRunner.answer(itemID: item.id, Fixtures.response(texts: upper)))
                        stream.halfClose()
                        #expect(try await stream.next() == nil, "the API ends the call after the half-close")
                    }
                }
                let response = try await client.postModelOutputs(
                    request: ClientRequest(message: Fixtures.request(texts: ["a", "b"]), metadata: Fixtures.auth)
                )
                #expect(response.status.code == .success)
                #expect(Fixtures.texts(response) == ["A", "B"])
                try await group.waitForAll()
            }
        }
    }

    @Test func generateStreamsEveryChunk() async throws {
        try await TestServer.run { client, _ in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    try await FakeRunner.stream(client) { stream in
                        let item = try #require(try await stream.next()?.runnerItems.first)
                        #expect(item.processingInfo.runnerMethodType == .unaryStreaming)
                        for chunk in ["one", "two", "three"] {
                            stream.send(FakeRunner.answer(itemID: item.id, Fixtures.response(texts: [chunk])))
                        }
                        stream.halfClose()
                        #expect(try await stream.next() == nil)
                    }
                }
                let chunks = try await client.generateModelOutputs(
                    request: ClientRequest(message: Fixtures.request(texts: ["go"]), metadata: Fixtures.auth)
                ) { response in
                    try await response.messages.reduce(into: [String]()) { $0 += Fixtures.texts($1) }
                }
                #expect(chunks == ["one", "two", "three"])
                try await group.waitForAll()
            }
        }
    }

    @Test func streamStreamSendsFollowUpsAndTheEndMarker() async throws {
        try await TestServer.run { client, _ in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    try await FakeRunner.stream(client) { stream in
                        var itemID: String?
                        // Echo each input as it arrives until the end-of-input marker.
                        while let message = try await stream.next() {
                            if message.status.code == .runnerStreamEnd {
                                #expect(message.runnerItems.isEmpty)
                                break
                            }
                            let item = try #require(message.runnerItems.first)
                            #expect(item.processingInfo.runnerMethodType == .streamingStreaming)
                            if let itemID { #expect(item.id == itemID, "follow-ups share the item id") }
                            itemID = item.id
                            let texts = Fixtures.texts(item.postModelOutputsRequest)
                            stream.send(FakeRunner.answer(itemID: item.id, Fixtures.response(texts: texts.map { "echo " + $0 })))
                        }
                        stream.halfClose()
                        #expect(try await stream.next() == nil)
                    }
                }
                let request = StreamingClientRequest<Clarifai_Api_PostModelOutputsRequest>(metadata: Fixtures.auth) { writer in
                    for text in ["a", "b", "c"] {
                        try await writer.write(Fixtures.request(texts: [text]))
                    }
                }
                let outputs = try await client.streamModelOutputs(request: request) { response in
                    try await response.messages.reduce(into: [String]()) { $0 += Fixtures.texts($1) }
                }
                #expect(outputs == ["echo a", "echo b", "echo c"])
                try await group.waitForAll()
            }
        }
    }

    @Test func idleStreamIsAnsweredNeedsRetry() async throws {
        try await TestServer.run(configure: { $0.idleStreamTimeout = .milliseconds(300) }) { client, _ in
            let start = ContinuousClock.now
            try await FakeRunner.stream(client) { stream in
                let message = try #require(try await stream.next())
                #expect(message.status.code == .runnerNeedsRetry)
                #expect(message.runnerItems.isEmpty)
                #expect(try await stream.next() == nil, "the API ends the idle call")
            }
            #expect(ContinuousClock.now - start < .seconds(3))
        }
    }

    @Test func badOrMissingKeyIsRefusedInTheBody() async throws {
        try await TestServer.run { client, _ in
            let wrong: Metadata = ["authorization": "Key nope"]
            let invalid = try await client.postModelOutputs(
                request: ClientRequest(message: Fixtures.request(texts: ["a"]), metadata: wrong)
            )
            #expect(invalid.status.code == .connKeyInvalid)
            let missing = try await client.postModelOutputs(request: ClientRequest(message: Fixtures.request(texts: ["a"])))
            #expect(missing.status.code == .connKeyNotFound)
            let session = try await client.listRunners(
                request: ClientRequest(message: .init(), metadata: ["x-clarifai-session-token": .string(Fixtures.pat)])
            )
            #expect(session.status.code == .success)

            try await FakeRunner.stream(client, metadata: wrong) { stream in
                let message = try #require(try await stream.next())
                #expect(message.status.code == .connKeyInvalid)
                #expect(try await stream.next() == nil)
            }
        }
    }

    @Test func noRunnerFailsClearlyAfterTheDeadline() async throws {
        try await TestServer.run(configure: { $0.noRunnerDeadline = .milliseconds(400) }) { client, _ in
            let start = ContinuousClock.now
            let response = try await client.postModelOutputs(
                request: ClientRequest(message: Fixtures.request(model: "lonely", texts: ["a"]), metadata: Fixtures.auth)
            )
            #expect(response.status.code == .runnerDoesNotExist)
            #expect(response.status.description_p.contains("lonely"))
            #expect(ContinuousClock.now - start < .seconds(3))
        }
    }

    @Test func fullQueueAnswersBusyAtOnce() async throws {
        try await TestServer.run(configure: { $0.maxQueuedRequests = 0 }) { client, _ in
            let response = try await client.postModelOutputs(
                request: ClientRequest(message: Fixtures.request(texts: ["a"]), metadata: Fixtures.auth)
            )
            #expect(response.status.code == .modelBusyPleaseRetry)
        }
    }

    @Test func runnerDisconnectMidItemIsRequeuedThenAnswered() async throws {
        try await TestServer.run { client, _ in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    // The first runner takes the item and dies without answering.
                    try await FakeRunner.stream(client, runnerID: "dies") { stream in
                        _ = try #require(try await stream.next()?.runnerItems.first)
                    }
                    try await FakeRunner.stream(client, runnerID: "lives") { stream in
                        let item = try #require(try await stream.next()?.runnerItems.first)
                        stream.send(FakeRunner.answer(itemID: item.id, Fixtures.response(texts: ["second time lucky"])))
                        stream.halfClose()
                        _ = try await stream.next()
                    }
                }
                let response = try await client.postModelOutputs(
                    request: ClientRequest(message: Fixtures.request(texts: ["a"]), metadata: Fixtures.auth)
                )
                #expect(response.status.code == .success)
                #expect(Fixtures.texts(response) == ["second time lucky"])
                try await group.waitForAll()
            }
        }
    }

    @Test func secondDisconnectFailsTheRequest() async throws {
        try await TestServer.run { client, _ in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    for runner in ["dies-1", "dies-2"] {
                        try await FakeRunner.stream(client, runnerID: runner) { stream in
                            _ = try #require(try await stream.next()?.runnerItems.first)
                        }
                    }
                }
                let response = try await client.postModelOutputs(
                    request: ClientRequest(message: Fixtures.request(texts: ["a"]), metadata: Fixtures.auth)
                )
                #expect(response.status.code == .runnerProcessingFailed)
                #expect(response.status.description_p.contains("disconnected"))
                try await group.waitForAll()
            }
        }
    }

    @Test func cancelledCallerIsCancelledOnTheControlStream() async throws {
        try await TestServer.run { client, _ in
            try await withThrowingTaskGroup(of: Void.self) { group in
                let (itemIDs, itemSignal) = AsyncStream.makeStream(of: String.self)
                let (cancels, cancelSignal) = AsyncStream.makeStream(of: String.self)
                group.addTask {
                    try await FakeRunner.stream(client, control: true) { control in
                        let message = try #require(try await control.next())
                        let cancel = try #require(message.runnerItems.first)
                        #expect(cancel.processingInfo.status.code == .runnerItemCancelled)
                        var ids = itemIDs.makeAsyncIterator()
                        #expect(cancel.id == (await ids.next()))
                        cancelSignal.yield(cancel.id)
                    }
                }
                group.addTask {
                    try await FakeRunner.stream(client) { stream in
                        let item = try #require(try await stream.next()?.runnerItems.first)
                        itemSignal.yield(item.id)
                        stream.send(FakeRunner.answer(itemID: item.id, Fixtures.response(texts: ["first"])))
                        // Like a good runner: stop at the cancel and half-close at once.
                        var cancelled = cancels.makeAsyncIterator()
                        #expect(await cancelled.next() == item.id)
                        stream.halfClose()
                        #expect(try await stream.next() == nil)
                    }
                }
                // The caller reads one chunk and goes away.
                let first = try await client.generateModelOutputs(
                    request: ClientRequest(message: Fixtures.request(texts: ["go"]), metadata: Fixtures.auth)
                ) { response in
                    var iterator = response.messages.makeAsyncIterator()
                    return try await iterator.next().map(Fixtures.texts) ?? []
                }
                #expect(first == ["first"])
                try await group.waitForAll()
            }
        }
    }

    @Test func pollPathRoundTrips() async throws {
        try await TestServer.run { client, _ in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    var poll = Clarifai_Api_ListRunnerItemsRequest()
                    poll.runnerID = "poller"
                    var items: [Clarifai_Api_RunnerItem] = []
                    while items.count < 2 {
                        let response = try await client.listRunnerItems(request: ClientRequest(message: poll, metadata: Fixtures.auth))
                        if response.status.code == .runnerNeedsRetry { continue }
                        #expect(response.status.code == .success)
                        let item = try #require(response.runnerItems.first)
                        items.append(item)
                        var answer = FakeRunner.answer(
                            itemID: item.id,
                            Fixtures.response(texts: ["polled " + Fixtures.texts(item.postModelOutputsRequest).joined()]),
                            runnerID: "poller"
                        )
                        let posted = try await client.postRunnerItemOutputs(request: ClientRequest(message: answer, metadata: Fixtures.auth))
                        #expect(posted.status.code == .success)
                        if item.processingInfo.runnerMethodType == .unaryStreaming {
                            // Generate over polling ends with an explicit end marker post.
                            answer.runnerItemOutputs = []
                            answer.status.code = .runnerStreamEnd
                            _ = try await client.postRunnerItemOutputs(request: ClientRequest(message: answer, metadata: Fixtures.auth))
                        }
                    }
                }
                let unary = try await client.postModelOutputs(
                    request: ClientRequest(message: Fixtures.request(texts: ["u"]), metadata: Fixtures.auth)
                )
                #expect(Fixtures.texts(unary) == ["polled u"])
                let generated = try await client.generateModelOutputs(
                    request: ClientRequest(message: Fixtures.request(texts: ["g"]), metadata: Fixtures.auth)
                ) { response in
                    try await response.messages.reduce(into: [String]()) { $0 += Fixtures.texts($1) }
                }
                #expect(generated == ["polled g"])
                try await group.waitForAll()
            }
        }
    }

    @Test func pollPathStreamStreamFollowUpsGoToTheSameRunner() async throws {
        try await TestServer.run { client, _ in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    var poll = Clarifai_Api_ListRunnerItemsRequest()
                    poll.runnerID = "poller"
                    var itemID: String?
                    while true {
                        let response = try await client.listRunnerItems(request: ClientRequest(message: poll, metadata: Fixtures.auth))
                        guard let item = response.runnerItems.first else { continue }
                        if let itemID { #expect(item.id == itemID) }
                        itemID = item.id
                        var answer = Clarifai_Api_PostRunnerItemOutputsRequest()
                        answer.runnerItemID = item.id
                        if item.processingInfo.status.code == .runnerStreamEnd {
                            answer.status.code = .runnerStreamEnd
                            _ = try await client.postRunnerItemOutputs(request: ClientRequest(message: answer, metadata: Fixtures.auth))
                            return
                        }
                        answer = FakeRunner.answer(itemID: item.id, Fixtures.response(texts: Fixtures.texts(item.postModelOutputsRequest)))
                        _ = try await client.postRunnerItemOutputs(request: ClientRequest(message: answer, metadata: Fixtures.auth))
                    }
                }
                let request = StreamingClientRequest<Clarifai_Api_PostModelOutputsRequest>(metadata: Fixtures.auth) { writer in
                    for text in ["x", "y"] { try await writer.write(Fixtures.request(texts: [text])) }
                }
                let outputs = try await client.streamModelOutputs(request: request) { response in
                    try await response.messages.reduce(into: [String]()) { $0 += Fixtures.texts($1) }
                }
                #expect(outputs == ["x", "y"])
                try await group.waitForAll()
            }
        }
    }

    @Test func bindFailureIsAClearError() async throws {
        try await TestServer.run { _, port in
            var configuration = LocalAPIConfiguration(pats: [Fixtures.pat])
            configuration.port = port
            let second = LocalAPIServer(configuration: configuration, logger: TestServer.logger)
            await #expect {
                try await second.run()
            } throws: { error in
                guard case .bindFailed(let host, let failedPort, let reason) = error as? LocalAPIError else { return false }
                return host == "127.0.0.1" && failedPort == port && !reason.isEmpty
            }
            await #expect(throws: LocalAPIError.self) { try await second.listeningPort() }
        }
    }
}
