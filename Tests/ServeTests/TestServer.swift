import Foundation
import Hummingbird
import Logging
import PerfKit
import Serve
import SimEngine

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
        let task = Task { try await application.runService(gracefulShutdownSignals: []) }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else { throw CancellationError() }
        return TestServer(app: app, port: port, task: task)
    }

    func stop() async {
        task.cancel()
        _ = try? await task.value
    }

    /// GET /status, decoded.
    func status() async throws -> [String: Any] {
        let response = try await URLSessionTransport(baseURL: baseURL).send(method: "GET", path: "/status", headers: [:], body: nil)
        return try JSONSerialization.jsonObject(with: response.body) as! [String: Any]
    }
}
