import RunnerKit
import Testing

@Suite("API endpoint parsing")
struct APIEndpointTests {
    @Test("https is TLS on 443 by default; http is plaintext")
    func schemes() throws {
        let official = try APIEndpoint(url: "https://api.clarifai.com")
        #expect(official == .clarifai)
        let local = try APIEndpoint(url: "http://127.0.0.1:50051")
        #expect(local.security == .plaintext && local.port == 50051 && local.isLoopback)
        let bare = try APIEndpoint(url: "api.example.com:8443")
        #expect(bare.security == .tls(rootCertificatesPath: nil) && bare.port == 8443)
        let withRoots = try APIEndpoint(url: "https://h", rootCertificatesPath: "/etc/roots.pem")
        #expect(withRoots.security == .tls(rootCertificatesPath: "/etc/roots.pem"))
        let ipv6 = try APIEndpoint(url: "http://[::1]:9000/v2")
        #expect(ipv6.host == "::1" && ipv6.port == 9000 && ipv6.isLoopback)
    }

    @Test("bad URLs are refused with a clear reason")
    func refusals() {
        #expect(throws: APIEndpointError.unsupportedScheme("ftp://x")) { try APIEndpoint(url: "ftp://x") }
        #expect(throws: APIEndpointError.invalidPort("http://h:0")) { try APIEndpoint(url: "http://h:0") }
        #expect(throws: APIEndpointError.invalidPort("http://h:x")) { try APIEndpoint(url: "http://h:x") }
        #expect(throws: APIEndpointError.missingHost("https://")) { try APIEndpoint(url: "https://") }
    }

    @Test("credentials never show their secret")
    func credentialsMasked() {
        let pat = RunnerCredentials.pat("0123456789abcdef")
        #expect(!pat.description.contains("0123456789"))
        #expect(pat.description.hasSuffix("cdef"))
        #expect(RunnerCredentials.sessionToken("short").description == "session token ****")
    }
}
