import Foundation
import Logging
import RunnerKit
import ServiceLifecycle

// Reads the official variables, e.g. against `clarifai-runner local-api --port 50051 --pat dev`:
//   CLARIFAI_API_BASE=http://127.0.0.1:50051 CLARIFAI_PAT=dev CLARIFAI_USER_ID=me \
//   CLARIFAI_COMPUTE_CLUSTER_ID=cc CLARIFAI_NODEPOOL_ID=np CLARIFAI_RUNNER_ID=words swift run
let environment = ProcessInfo.processInfo.environment
func setting(_ name: String, _ fallback: String) -> String { environment[name] ?? fallback }

let logger = Logger(label: "word-count-runner")
let configuration = RunnerConfiguration(
    endpoint: try APIEndpoint(url: setting("CLARIFAI_API_BASE", "http://127.0.0.1:50051")),
    credentials: .pat(setting("CLARIFAI_PAT", "dev")),
    identity: RunnerIdentity(
        userID: setting("CLARIFAI_USER_ID", "me"),
        computeClusterID: setting("CLARIFAI_COMPUTE_CLUSTER_ID", "local-runner-compute-cluster"),
        nodepoolID: setting("CLARIFAI_NODEPOOL_ID", "local-runner-nodepool"),
        runnerID: setting("CLARIFAI_RUNNER_ID", "words")
    )
)
let engine = RunnerEngine(configuration: configuration, handler: WordCountHandler(), logger: logger)
let group = ServiceGroup(services: [engine], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
try await group.run()
