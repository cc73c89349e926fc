import DNSModel
import Foundation
import LiveDNS
import SimKernel
import Synchronization

/// The repository root (for the bundled scenarios).
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path

let usEast1 = repositoryRoot + "/Scenarios/us-east-1-2025-10-20.yaml"

/// A blocking UDP socket on loopback for tests (no dig needed).
final class UDPTestClient {
    let descriptor: Int32
    let port: UInt16

    init(port: Int, receiveTimeoutMilliseconds: Int = 1_000) {
        self.port = UInt16(port)
        #if os(Linux)
            descriptor = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        #else
            descriptor = socket(AF_INET, SOCK_DGRAM, 0)
        #endif
        var timeout = timeval(
            tv_sec: receiveTimeoutMilliseconds / 1_000, tv_usec: (receiveTimeoutMilliseconds % 1_000) * 1_000)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = self.port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        _ = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
    }

    deinit { close(descriptor) }

    func send(_ bytes: [UInt8]) {
        _ = bytes.withUnsafeBytes { Foundation.send(descriptor, $0.baseAddress, $0.count, 0) }
    }

    /// The next datagram, or nil after the receive timeout.
    func receive() -> [UInt8]? {
        var buffer = [UInt8](repeating: 0, count: 65_536)
        let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
        return count > 0 ? Array(buffer.prefix(count)) : nil
    }

    /// Sends a query and waits for the reply with the same ID.
    func query(_ name: String, type: RecordType = .a, id: UInt16 = 0x1234) throws -> Message? {
        send(try WireEncoder.encode(Message.query(id: id, name: try DomainName(name), type: type)))
        while let reply = receive() {
            if let message = try? WireDecoder.decode(reply), message.header.id == id { return message }
        }
        return nil
    }
}

/// A blocking TCP connection on loopback for tests.
final class TCPTestClient {
    let descriptor: Int32

    init(port: Int) {
        #if os(Linux)
            descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
            descriptor = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        _ = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
    }

    deinit { close(descriptor) }

    /// Sends one message with its two-byte length; errors (a closed connection) are ignored, without SIGPIPE.
    func sendFramed(_ bytes: [UInt8]) {
        let framed = [UInt8(bytes.count >> 8 & 0xFF), UInt8(bytes.count & 0xFF)] + bytes
        #if os(Linux)
            let flags = Int32(MSG_NOSIGNAL)
        #else
            let flags: Int32 = 0
        #endif
        _ = framed.withUnsafeBytes { Foundation.send(descriptor, $0.baseAddress, $0.count, flags) }
    }
}

/// A clock the test moves by hand.
final class ManualClock: Sendable {
    private let value = Mutex(SimTime.zero)
    var now: SimTime { value.withLock { $0 } }
    func set(_ time: SimTime) { value.withLock { $0 = time } }
}
