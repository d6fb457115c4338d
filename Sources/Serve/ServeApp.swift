import Foundation
public import Hummingbird
import NIOCore
public import Prometheus
public import SimEngine

/// The OpenAI-compatible HTTP app over one simulated engine per model.
public struct ServeApp: Sendable {
    public let configuration: ServeConfiguration
    /// One driver per served model, by id.
    public let drivers: [String: EngineDriver]
    public let registry: PrometheusCollectorRegistry
    private let created = Int(Date().timeIntervalSince1970)
    private let requestNumbers = RequestNumbers()

    /// Builds the engines of `configuration` from the shipped data.
    public init(configuration: ServeConfiguration, loader: EngineLoader) throws(SimEngineError) {
        guard !configuration.models.isEmpty else { throw SimEngineError("give at least one --model", location: "model") }
        guard configuration.speed > 0, configuration.speed <= 1e6 else {
            throw SimEngineError("must be a number in (0, 1000000], found \(configuration.speed)", location: "speed")
        }
        guard configuration.maxQueue >= 0 else {
            throw SimEngineError("must be 0 or more, found \(configuration.maxQueue)", location: "max-queue")
        }
        self.configuration = configuration
        let registry = PrometheusCollectorRegistry()
        self.registry = registry
        var drivers: [String: EngineDriver] = [:]
        for model in configuration.models {
            let engine = try loader.engine(
                model: model, hardware: configuration.hardware, tp: configuration.tp, replicas: configuration.replicas,
                config: configuration.scheduler, router: configuration.router, profile: configuration.profile)
            drivers[model] = EngineDriver(engine: engine, speed: configuration.speed, maxQueue: configuration.maxQueue,
                                          metrics: ServeMetrics(model: model, registry: registry))
        }
        self.drivers = drivers
    }

    /// The router with every endpoint.
    public func router() -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.add(middleware: OpenAIErrorMiddleware(apiKey: configuration.apiKey))
        // 503 while shutting down, so that a load balancer stops sending requests that would get 503.
        @Sendable func health(_: Request, _: BasicRequestContext) async throws -> Response {
            for driver in drivers.values where await !driver.isAccepting { throw OpenAIError.shuttingDown }
            return Response(status: .ok)
        }
        router.get("/health", use: health)
        router.head("/health", use: health)
        router.get("/v1/models") { _, _ in json(modelList()) }
        router.get("/v1/models/**") { _, context in
            let path = context.parameters.getCatchAll().joined(separator: "/")
            let id = path.removingPercentEncoding ?? path
            guard drivers[id] != nil else { throw OpenAIError.modelNotFound(id) }
            return json(modelObject(id))
        }
        router.post("/v1/chat/completions") { request, _ in try await generate(request, kind: .chat) }
        router.post("/v1/completions") { request, _ in try await generate(request, kind: .text) }
        router.get("/status") { _, _ in json(try await status()) }
        router.get("/metrics") { _, _ in
            for driver in drivers.values { await driver.updateGauges() }
            return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                            body: .init(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer())))
        }
        // A known path asked with another method gets 405, not the 404 of an unknown path.
        let endpoints: [(path: RouterPath, methods: Set<HTTPRequest.Method>)] = [
            ("/health", [.get, .head]), ("/v1/models", [.get]), ("/v1/models/**", [.get]), ("/v1/chat/completions", [.post]),
            ("/v1/completions", [.post]), ("/status", [.get]), ("/metrics", [.get]),
        ]
        for endpoint in endpoints {
            for method in [HTTPRequest.Method.get, .head, .post, .put, .patch, .delete, .options] where !endpoint.methods.contains(method) {
                router.on(endpoint.path, method: method) { request, _ -> Response in
                    throw OpenAIError.methodNotAllowed(request.method.rawValue, request.uri.path)
                }
            }
        }
        return router
    }

    private func generate(_ request: Request, kind: Generation.Kind) async throws -> Response {
        var request = request
        let bytes: ByteBuffer
        do {
            bytes = try await request.collectBody(upTo: configuration.maxBodyBytes)
        } catch is NIOTooManyBytesError {
            throw OpenAIError.bodyTooLarge(configuration.maxBodyBytes)
        }
        let fields = try JSONFields.parse(Array(buffer: bytes))
        let parameters: GenerationParameters
        let promptIDs: [[UInt32]]
        var echoTexts: [String?] = [nil]
        switch kind {
        case .chat:
            let chat = try ChatCompletionRequest.parse(fields)
            parameters = chat.parameters
            promptIDs = [chat.promptIDs]
        case .text:
            let completion = try CompletionRequest.parse(fields)
            parameters = completion.parameters
            promptIDs = completion.prompts.map(\.ids)
            // Token-id prompts have no text here: their echo is filler of the same number of tokens.
            echoTexts = completion.prompts.map { completion.echo ? $0.text ?? FillerText.text(tokens: $0.tokens) : nil }
        }
        guard let driver = drivers[parameters.model] else { throw OpenAIError.modelNotFound(parameters.model) }
        let generation = Generation(kind: kind, driver: driver, parameters: parameters, promptTokens: promptIDs.map(\.count), promptIDs: promptIDs,
                                    echoTexts: echoTexts, outputLengths: configuration.outputLength, seed: configuration.seed,
                                    number: requestNumbers.next())
        return parameters.stream ? try await generation.stream(request: request) : try await generation.respond(request: request)
    }

    private func modelObject(_ id: String) -> String {
        "{\"id\":\(JSONText.string(id)),\"object\":\"model\",\"created\":\(created),\"owned_by\":\"llmservingsim\",\"root\":\(JSONText.string(id)),\"max_model_len\":\(drivers[id]!.maxContext),\"hardware\":\(JSONText.string(drivers[id]!.hardware))}"
    }

    private func modelList() -> String {
        "{\"object\":\"list\",\"data\":[\(configuration.models.map(modelObject).joined(separator: ","))]}"
    }

    private func status() async throws -> String {
        struct Status: Encodable {
            struct Model: Encodable {
                var model: String
                var clockSeconds: Double
                var waiting: Int
                var running: Int
                var notArrived: Int
                var kvBlocksUsed: Int
                var kvBlocksTotal: Int
                var replicas: [EngineSnapshot.ReplicaState]
            }
            var hardware: String
            var tp: Int
            var speed: Double
            var models: [Model]
        }
        var models: [Status.Model] = []
        for id in configuration.models {
            let snapshot = await drivers[id]!.snapshot()
            models.append(.init(model: id, clockSeconds: snapshot.clock.seconds, waiting: snapshot.waiting, running: snapshot.running,
                                notArrived: snapshot.pending, kvBlocksUsed: snapshot.kvBlocksUsed, kvBlocksTotal: snapshot.kvBlocksTotal,
                                replicas: snapshot.replicas))
        }
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys]
        let data = try encoder.encode(Status(hardware: configuration.hardware, tp: configuration.tp, speed: configuration.speed, models: models))
        return String(decoding: data, as: UTF8.self)
    }

    private func json(_ body: String) -> Response {
        Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}
