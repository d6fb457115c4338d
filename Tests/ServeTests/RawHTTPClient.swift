import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A minimal blocking HTTP/1.1 client over a POSIX socket: it sees bytes as they arrive (to time streamed tokens)
/// and can hang up mid-response (to test disconnects).
/// Sendable so that a test can hand it to a dedicated thread for blocking reads; tests use it from one place at a time.
final class RawHTTPClient: @unchecked Sendable {
    private let socket: Int32

    init(port: Int) throws {
        socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else {
            _ = Glibc.close(socket)
            throw POSIXError(.ECONNREFUSED)
        }
        // No read waits forever: a test that gets nothing in 60 s fails instead of hanging.
        var timeout = timeval(tv_sec: 60, tv_usec: 0)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    /// Sends a POST with a JSON body.
    func post(_ path: String, json: String, headers: [String: String] = [:]) {
        var text = "POST \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: \(json.utf8.count)\r\n"
        for (name, value) in headers { text += "\(name): \(value)\r\n" }
        text += "\r\n\(json)"
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { send(socket, $0.baseAddress, $0.count, 0) }
    }

    /// Reads until `marker` has arrived; false when the connection ends or 60 s pass without a byte.
    func read(until marker: String, into received: inout String) -> Bool {
        var buffer = [UInt8](repeating: 0, count: 65536)
        while !received.contains(marker) {
            let count = recv(socket, &buffer, buffer.count, 0)
            if count <= 0 { return false }
            received += String(decoding: buffer[0..<count], as: UTF8.self)
        }
        return true
    }

    func close() { _ = Glibc.close(socket) }
}
