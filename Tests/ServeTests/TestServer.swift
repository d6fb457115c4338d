import Foundation
import Hummingbird
import Logging
import PerfKit
import Serve
import SimEngine
import TestSupport
import Testing

/// A real `ServeApp` listening on a free loopback port inside the test process.
struct TestServer {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let loader = try! EngineLoader(data: DataDirectory(url: root))

    let app: ServeApp
    let port: Int
    private let task: Task<Void, any Error>

    var baseURL: URL { URL(string: "http://127.0.0.1:\(port)")! }

    static var quietLogger: Logger {
        var logger = Logger(label: "test-serve")
        logger.logLevel = .critical
        return logger
    }

    static func start(_ configuration: ServeConfiguration) async throws -> TestServer {
        let app = try ServeApp(configuration: configuration, loader: loader)
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let application = Application(
            router: app.router(),
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            services: [DriverService(app: app, drainSeconds: 1)],
            onServerRunning: { channel in continuation.yield(channel.localAddress?.port ?? 0) },
            logger: quietLogger)
        let task = Task {
            defer { continuation.finish() }
            try await application.runService(gracefulShutdownSignals: [])
        }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else {
            try await task.value
            throw CancellationError()
        }
        return TestServer(app: app, port: port, task: task)
    }

    /// Shuts the server down; gives up waiting after 30 s so that a stuck shutdown fails a test, not the run.
    func stop() async {
        task.cancel()
        let task = task
        let stopped: Bool? = try? await withDeadline(seconds: 30) {
            _ = try? await task.value
            return true
        }
        #expect(stopped != nil, "the in-process server did not shut down within 30 s")
    }

    /// GET /status, decoded.
    func status() async throws -> [String: Any] {
        let response = try await URLSessionTransport(baseURL: baseURL).send(method: "GET", path: "/status", headers: [:], body: nil)
        return try JSONSerialization.jsonObject(with: response.body) as! [String: Any]
    }
}
