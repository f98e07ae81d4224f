import ClarifaiAPI
import RunnerKit
import Testing

@Suite("Concurrency and back-pressure")
struct ConcurrencyTests {
    /// Three blocking calls that can only finish together: passes only if three streams carry
    /// work at once and model code runs on its own threads.
    @Test("N parallel streams serve N items at once")
    func parallelStreams() async throws {
        let handler = BarrierHandler(parties: 3)
        try await TestPeer.withRunner(handler: handler, polls: 3) { caller, _ in
            try await withThrowingTaskGroup(of: Clarifai_Api_MultiOutputResponse.self) { group in
                for index in 0..<3 { group.addTask { try await caller.predict(["item \(index)"]) } }
                for try await response in group {
                    #expect(response.status.code == .success, "\(response.status.description_p)")
                }
            }
        }
        #expect(handler.maxSeen.withLock { $0 } == 3)
    }

    /// With at most one item in flight, a second request waits for the first instead of running beside it.
    @Test("the in-flight cap stops the runner asking for work")
    func inFlightCap() async throws {
        let handler = BarrierHandler(parties: 2, timeout: .seconds(2))
        try await TestPeer.withRunner(handler: handler, polls: 2, configure: { $0.maxInFlight = 1 }) { caller, _ in
            // Two items that need each other can never meet under a cap of one: the first times out
            // in the barrier (a clear failure); only then is the second taken, and the barrier,
            // counting arrivals, lets it through. They never run side by side.
            async let first = caller.predict(["a"])
            async let second = caller.predict(["b"])
            let codes = try await [first, second].map(\.status.code)
            #expect(handler.maxSeen.withLock { $0 } == 1)
            #expect(codes.sorted { $0.rawValue < $1.rawValue } == [.success, .failure])
        }
    }
}
