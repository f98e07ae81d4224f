import NIOHTTP1

/// What the health server answers to one request, decided without any I/O so it is unit-testable.
struct HealthResponse: Sendable, Equatable {
    /// The HTTP status.
    var status: HTTPResponseStatus
    /// The `Content-Type` header.
    var contentType: String
    /// The body; omitted on the wire for `HEAD`.
    var body: String
    /// Extra headers, such as `Allow` on a 405.
    var headers: [(String, String)] = []

    static func == (lhs: HealthResponse, rhs: HealthResponse) -> Bool {
        lhs.status == rhs.status && lhs.contentType == rhs.contentType && lhs.body == rhs.body
            && lhs.headers.elementsEqual(rhs.headers, by: ==)
    }

    static let plainText = "text/plain; charset=utf-8"
    /// The Prometheus text exposition format, version 0.0.4.
    static let prometheusText = "text/plain; version=0.0.4; charset=utf-8"
}
