import Foundation
import Synchronization

/// A TCP proxy on 127.0.0.1 that pipes bytes to an upstream port and, while ``cutting`` is on,
/// drops each connection after a random number of bytes or a random time (seeded, so a failing
/// run can be replayed). Half of the drops are resets, half are plain closes.
final class ChaosProxy: @unchecked Sendable {
    let port: Int
    private let listener: Int32
    private let upstreamPort: Int
    private let random: Mutex<SeededRandom>
    private let stopped = Atomic<Bool>(false)
    private let cutsDone = Atomic<Int>(0)
    private let connectionCount = Atomic<Int>(0)
    private let cuttingOn = Atomic<Bool>(true)
    private let byteBudget: ClosedRange<Int>
    private let timeBudgetMs: ClosedRange<Int>

    /// Whether connections are being dropped; turn it off to let the system recover.
    var cutting: Bool {
        get { cuttingOn.load(ordering: .relaxed) }
        set { cuttingOn.store(newValue, ordering: .relaxed) }
    }
    /// How many connections were dropped so far.
    var cuts: Int { cutsDone.load(ordering: .relaxed) }
    /// How many connections were accepted so far.
    var connections: Int { connectionCount.load(ordering: .relaxed) }

    init(upstreamPort: Int, seed: UInt64, bytes: ClosedRange<Int> = 200...60_000, milliseconds: ClosedRange<Int> = 50...2_000) throws {
        self.upstreamPort = upstreamPort
        self.random = Mutex(SeededRandom(seed: seed))
        self.byteBudget = bytes
        self.timeBudgetMs = milliseconds
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = Self.loopback(port: 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 64) == 0 else {
            close(fd)
            throw SuiteError("proxy cannot listen: errno \(errno)")
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        listener = fd
        port = Int(UInt16(bigEndian: address.sin_port))
        Thread.detachNewThread { [self] in acceptLoop() }
    }

    /// Stops accepting and closes the listener; open connections end within a poll interval.
    func stop() {
        stopped.store(true, ordering: .relaxed)
    }

    static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }

    private func acceptLoop() {
        defer { close(listener) }
        while !stopped.load(ordering: .relaxed) {
            var poller = pollfd(fd: listener, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, 100) > 0 else { continue }
            let client = accept(listener, nil, nil)
            guard client >= 0 else { continue }
            connectionCount.add(1, ordering: .relaxed)
            let (bytes, milliseconds, reset) = random.withLock { random in
                (Int.random(in: byteBudget, using: &random), Int.random(in: timeBudgetMs, using: &random), Bool.random(using: &random))
            }
            Thread.detachNewThread { [self] in pipe(client, budget: bytes, lifetime: .milliseconds(milliseconds), reset: reset) }
        }
    }

    private func pipe(_ client: Int32, budget: Int, lifetime: Duration, reset: Bool) {
        let upstream = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = Self.loopback(port: upstreamPort)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(upstream, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        var cut = false
        defer {
            if cut && reset {
                var linger = linger(l_onoff: 1, l_linger: 0)
                setsockopt(client, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<linger>.size))
                setsockopt(upstream, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<linger>.size))
            }
            close(client)
            close(upstream)
        }
        guard connected == 0 else { return }
        let started = ContinuousClock.now
        var moved = 0
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        var fds = [pollfd(fd: client, events: Int16(POLLIN), revents: 0), pollfd(fd: upstream, events: Int16(POLLIN), revents: 0)]
        while !stopped.load(ordering: .relaxed) {
            if cutting && (moved >= budget || ContinuousClock.now - started >= lifetime) {
                cut = true
                cutsDone.add(1, ordering: .relaxed)
                return
            }
            guard poll(&fds, 2, 50) >= 0 else { return }
            for index in 0..<2 where fds[index].revents != 0 {
                let from = fds[index].fd, to = fds[1 - index].fd
                let count = recv(from, &buffer, buffer.count, 0)
                guard count > 0 else { return }
                var sent = 0
                while sent < count {
                    let written = buffer.withUnsafeBytes { send(to, $0.baseAddress! + sent, count - sent, Int32(MSG_NOSIGNAL)) }
                    guard written > 0 else { return }
                    sent += written
                }
                moved += count
            }
        }
    }
}

/// SplitMix64: a small seeded generator, so fault schedules and fuzz inputs replay exactly.
struct SeededRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
