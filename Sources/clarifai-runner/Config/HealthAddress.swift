/// Where the health and metrics server listens, parsed from `host:port`, `:port` or `off`.
struct HealthAddress: Equatable {
    var host: String
    var port: Int

    /// `nil` for `off`; `:8080` means loopback.
    static func parse(_ text: String?) throws(CLIError) -> HealthAddress? {
        guard let text, !text.isEmpty, text.lowercased() != "off" else { return nil }
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (0...65535).contains(port) else {
            throw .configuration("--health-address must be host:port or 'off', got '\(text)'")
        }
        var host = String(text[..<colon])
        if host.isEmpty { host = "127.0.0.1" }
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return HealthAddress(host: host, port: port)
    }
}
