/// Every setting, by its environment variable name. The config file uses the same names.
enum SettingKey: String, CaseIterable {
    case pat = "CLARIFAI_PAT"
    case sessionToken = "CLARIFAI_SESSION_TOKEN"
    case userID = "CLARIFAI_USER_ID"
    case apiBase = "CLARIFAI_API_BASE"
    case runnerID = "CLARIFAI_RUNNER_ID"
    case nodepoolID = "CLARIFAI_NODEPOOL_ID"
    case computeClusterID = "CLARIFAI_COMPUTE_CLUSTER_ID"
    case model = "CLARIFAI_RUNNER_MODEL"
    case modelConfig = "CLARIFAI_RUNNER_MODEL_CONFIG"
    case parallelPolls = "CLARIFAI_RUNNER_PARALLEL_POLLS"
    case maxInFlight = "CLARIFAI_RUNNER_MAX_IN_FLIGHT"
    case workSource = "CLARIFAI_RUNNER_WORK_SOURCE"
    case drainTimeout = "CLARIFAI_RUNNER_DRAIN_TIMEOUT"
    case itemTimeout = "CLARIFAI_RUNNER_ITEM_TIMEOUT"
    case healthAddress = "CLARIFAI_RUNNER_HEALTH_ADDRESS"
    case rootCertificates = "CLARIFAI_RUNNER_ROOT_CERTS"
    case allowPlaintext = "CLARIFAI_RUNNER_ALLOW_PLAINTEXT"
    case logLevel = "CLARIFAI_RUNNER_LOG_LEVEL"
    case config = "CLARIFAI_RUNNER_CONFIG"

    /// Settings whose values are secrets: masked wherever they are shown.
    var isSecret: Bool { self == .pat || self == .sessionToken }
}
