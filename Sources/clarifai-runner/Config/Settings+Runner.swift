import RunnerKit

extension Settings {
    /// The API endpoint, refusing plaintext to a remote host unless asked for.
    func endpoint() throws(CLIError) -> APIEndpoint {
        let base = self[.apiBase] ?? "https://api.clarifai.com"
        let endpoint: APIEndpoint
        do {
            endpoint = try APIEndpoint(url: base, rootCertificatesPath: self[.rootCertificates])
        } catch {
            throw .configuration(error.description)
        }
        if endpoint.security == .plaintext, !endpoint.isLoopback, !flag(.allowPlaintext) {
            throw .configuration("refusing plaintext to \(endpoint.host): use https://, or pass --allow-plaintext if the network is trusted")
        }
        return endpoint
    }

    /// The credentials; a PAT wins over a session token.
    func credentials() throws(CLIError) -> RunnerCredentials {
        if let pat = self[.pat], !pat.isEmpty { return .pat(pat) }
        if let token = self[.sessionToken], !token.isEmpty { return .sessionToken(token) }
        throw .configuration("missing credentials: set CLARIFAI_PAT (or pass --pat, or a systemd credential named 'pat')")
    }

    /// The runner configuration for `run`.
    func runnerConfiguration() throws(CLIError) -> RunnerConfiguration {
        let identity = RunnerIdentity(
            userID: try required(.userID, flag: "--user-id"),
            computeClusterID: try required(.computeClusterID, flag: "--compute-cluster-id"),
            nodepoolID: try required(.nodepoolID, flag: "--nodepool-id"),
            runnerID: try required(.runnerID, flag: "--runner-id")
        )
        var configuration = RunnerConfiguration(endpoint: try endpoint(), credentials: try credentials(), identity: identity)
        if let polls = try integer(.parallelPolls, flag: "--parallel-polls", range: 1...256) {
            configuration.parallelPolls = polls
        }
        configuration.maxInFlight = try integer(.maxInFlight, flag: "--max-in-flight", range: 1...4096)
        if let source = self[.workSource] {
            guard let kind = RunnerConfiguration.WorkSourceKind(rawValue: source) else {
                throw .configuration("--work-source must be 'stream' or 'poll', got '\(source)'")
            }
            configuration.workSource = kind
        }
        if let drain = try seconds(.drainTimeout, flag: "--drain-timeout") {
            configuration.drainTimeout = drain
        }
        if let timeout = try seconds(.itemTimeout, flag: "--item-timeout") {
            guard timeout > .zero else { throw .configuration("--item-timeout must be more than 0 seconds") }
            configuration.itemTimeout = timeout
        }
        return configuration
    }

    /// `--model-config key=value` pairs, repeated or comma-separated.
    func modelConfig(extra: [String]) throws(CLIError) -> [String: String] {
        var pairs: [String] = extra
        if let text = self[.modelConfig] { pairs = text.split(separator: ",").map(String.init) + pairs }
        var config: [String: String] = [:]
        for pair in pairs {
            guard let equals = pair.firstIndex(of: "="), equals != pair.startIndex else {
                throw .configuration("--model-config takes key=value, got '\(pair)'")
            }
            config[String(pair[..<equals])] = String(pair[pair.index(after: equals)...])
        }
        return config
    }
}
