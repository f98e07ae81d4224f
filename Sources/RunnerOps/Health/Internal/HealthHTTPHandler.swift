import NIOCore
import NIOHTTP1

/// Answers each HTTP request on one connection from a ``HealthRouter``.
///
/// Every response closes the connection. Probes and scrapes arrive seconds apart, so keep-alive
/// saves nothing, and having no idle connections lets graceful shutdown finish as soon as the
/// listening socket is closed.
final class HealthHTTPHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let router: HealthRouter
    private var requestHead: HTTPRequestHead?

    init(router: HealthRouter) {
        self.router = router
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch self.unwrapInboundIn(data) {
        case .head(let head):
            self.requestHead = head
        case .body:
            // No route takes a body; it is read and dropped so the request can complete.
            break
        case .end:
            guard let head = self.requestHead else { return }
            self.requestHead = nil
            self.respond(to: head, context: context)
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        // A client that connects and never finishes a request would otherwise hold a slot forever.
        if event is IdleStateHandler.IdleStateEvent {
            context.close(promise: nil)
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    private func respond(to head: HTTPRequestHead, context: ChannelHandlerContext) {
        let response = self.router.response(method: head.method, uri: head.uri)
        let body = context.channel.allocator.buffer(string: response.body)

        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: response.contentType)
        headers.add(name: "Content-Length", value: String(body.readableBytes))
        headers.add(name: "Cache-Control", value: "no-store")
        headers.add(name: "Connection", value: "close")
        for (name, value) in response.headers {
            headers.add(name: name, value: value)
        }

        context.write(
            self.wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: response.status, headers: headers))),
            promise: nil
        )
        if head.method != .HEAD {
            context.write(self.wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
        }
        let channel = context.channel
        context.writeAndFlush(self.wrapOutboundOut(.end(nil))).whenComplete { _ in
            channel.close(promise: nil)
        }
    }
}
