import ArgumentParser

/// Flags that say which API to talk to and as whom; shared by `run`, `check` and `runner`.
struct ConnectionOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Config file of KEY=VALUE lines using the environment variable names.", valueName: "path"))
    var config: String?

    @Option(help: ArgumentHelp(
        "Clarifai API base URL: https://… uses TLS, http://… plaintext (loopback, or with --allow-plaintext). Default https://api.clarifai.com. [CLARIFAI_API_BASE]",
        valueName: "url"))
    var apiBase: String?

    @Option(help: ArgumentHelp("Personal access token. Prefer the environment or a systemd credential: flags show in `ps`. [CLARIFAI_PAT]", valueName: "pat"))
    var pat: String?

    @Option(help: ArgumentHelp("Session token, instead of a PAT. [CLARIFAI_SESSION_TOKEN]", valueName: "token"))
    var sessionToken: String?

    @Option(help: ArgumentHelp("Your Clarifai user id. [CLARIFAI_USER_ID]", valueName: "id"))
    var userID: String?

    @Option(help: ArgumentHelp("Compute cluster id. [CLARIFAI_COMPUTE_CLUSTER_ID]", valueName: "id"))
    var computeClusterID: String?

    @Option(help: ArgumentHelp("Nodepool id. [CLARIFAI_NODEPOOL_ID]", valueName: "id"))
    var nodepoolID: String?

    @Option(help: ArgumentHelp("PEM file of root certificates to trust instead of the system's. [CLARIFAI_RUNNER_ROOT_CERTS]", valueName: "path"))
    var rootCerts: String?

    @Flag(help: "Allow plaintext http:// to a host that is not on this machine. [CLARIFAI_RUNNER_ALLOW_PLAINTEXT]")
    var allowPlaintext = false

    /// The flags the user actually gave, by setting.
    var givenFlags: [SettingKey: String] {
        var flags: [SettingKey: String] = [:]
        flags[.config] = config
        flags[.apiBase] = apiBase
        flags[.pat] = pat
        flags[.sessionToken] = sessionToken
        flags[.userID] = userID
        flags[.computeClusterID] = computeClusterID
        flags[.nodepoolID] = nodepoolID
        flags[.rootCertificates] = rootCerts
        if allowPlaintext { flags[.allowPlaintext] = "true" }
        return flags
    }
}
