import Foundation
public import Hummingbird
import NIOCore
import PerfKit
public import Prometheus
public import SimEngine

/// The OpenAI-compatible HTTP app over one simulated engine per model.
public struct ServeApp: Sendable {
    public let configuration: ServeConfiguration
    /// One driver per served model, by id.
    public let drivers: [String: EngineDriver]
    /// Each model's vocabulary size (`vocab_size`): token ids at or above it are out of vocabulary.
    let vocabSizes: [String: Int]
    /// The model id behind each served name (`--served-model-name`, else the ids themselves), in order.
    public let servedNames: [(name: String, model: String)]
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
        let names = configuration.servedModelNames
        let pairs: [(name: String, model: String)]
        if names.isEmpty {
            pairs = configuration.models.map { ($0, $0) }
        } else if configuration.models.count == 1 {
            pairs = names.map { ($0, configuration.models[0]) }
        } else if names.count == configuration.models.count {
            pairs = Array(zip(names, configuration.models))
        } else {
            throw SimEngineError("give one --served-model-name per --model (\(configuration.models.count)), or several names for a single --model; found \(names.count)",
                                 location: "served-model-name")
        }
        var seen = Set<String>()
        for pair in pairs where !seen.insert(pair.name).inserted {
            throw SimEngineError("'\(pair.name)' is served twice", location: "served-model-name")
        }
        servedNames = pairs
        guard (0...1).contains(configuration.toolCallProbability) else {
            throw SimEngineError("must be in [0, 1], found \(configuration.toolCallProbability)", location: "tool-call-probability")
        }
        self.configuration = configuration
        let registry = PrometheusCollectorRegistry()
        self.registry = registry
        var drivers: [String: EngineDriver] = [:]
        var vocabSizes: [String: Int] = [:]
        for model in configuration.models {
            let engine = try loader.engine(
                model: model, hardware: configuration.hardware, tp: configuration.tp, replicas: configuration.replicas,
                config: configuration.scheduler, router: configuration.router, profile: configuration.profile)
            drivers[model] = EngineDriver(engine: engine, speed: configuration.speed, maxQueue: configuration.maxQueue,
                                          metrics: ServeMetrics(model: model, registry: registry))
            vocabSizes[model] = engine.model.vocabSize
        }
        self.drivers = drivers
        self.vocabSizes = vocabSizes
    }

    /// The router with every endpoint.
    public func router() -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        // CORS outermost, so that errors carry its headers too and a preflight needs no API key.
        router.add(middleware: CORSMiddleware(allowedOrigins: configuration.allowedOrigins))
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
            guard servedNames.contains(where: { $0.name == id }) else { throw OpenAIError.modelNotFound(id) }
            return json(modelObject(id))
        }
        @Sendable func ping(_: Request, _: BasicRequestContext) async throws -> Response { Response(status: .ok) }
        router.get("/ping", use: ping)
        router.post("/ping", use: ping)
        router.get("/version") { _, _ in json("{\"version\":\(JSONText.string(Self.version))}") }
        router.post("/tokenize") { request, _ in json(try await tokenize(request)) }
        router.post("/detokenize") { request, _ in json(try await detokenize(request)) }
        router.post("/v1/embeddings") { request, _ -> Response in
            var request = request
            let fields = try JSONFields.parse(Array(buffer: try await body(&request)))
            let model = try fields.string("model") ?? servedNames[0].name
            guard driver(named: model) != nil else { throw OpenAIError.modelNotFound(model) }
            throw OpenAIError(.notFound, "The model `\(model)` does not support the Embeddings API.", param: "model", code: "model_not_supported")
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
            ("/v1/completions", [.post]), ("/status", [.get]), ("/metrics", [.get]), ("/ping", [.get, .post]), ("/version", [.get]),
            ("/tokenize", [.post]), ("/detokenize", [.post]), ("/v1/embeddings", [.post]),
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

    /// This server's version, as `/version` reports it.
    public static let version = LLMServingSimVersion.string

    /// The driver serving `name`, a served model name.
    func driver(named name: String) -> EngineDriver? {
        servedNames.first { $0.name == name }.flatMap { drivers[$0.model] }
    }

    /// The first served name of `driver`'s model: what responses report.
    func primaryName(of driver: EngineDriver) -> String {
        servedNames.first { $0.model == driver.model }!.name
    }

    /// The request's body, up to `--max-body-bytes` (413 above); `request` keeps it for later readers.
    func body(_ request: inout Request) async throws -> ByteBuffer {
        do {
            return try await request.collectBody(upTo: configuration.maxBodyBytes)
        } catch is NIOTooManyBytesError {
            throw OpenAIError.bodyTooLarge(configuration.maxBodyBytes)
        }
    }

    private func generate(_ request: Request, kind: Generation.Kind) async throws -> Response {
        var request = request
        let fields = try JSONFields.parse(Array(buffer: try await body(&request)))
        let parameters: GenerationParameters
        let promptIDs: [[UInt32]]
        var echoTexts: [String?] = [nil]
        var largestTokenID: Int?
        switch kind {
        case .chat:
            let chat = try ChatCompletionRequest.parse(fields)
            parameters = chat.parameters
            promptIDs = [chat.promptIDs]
        case .text:
            let completion = try CompletionRequest.parse(fields)
            parameters = completion.parameters
            promptIDs = completion.prompts.map(\.ids)
            largestTokenID = completion.largestTokenID
            // Token-id prompts have no text here: their echo is filler of the same number of tokens.
            echoTexts = completion.prompts.map { completion.echo ? $0.text ?? FillerText.text(tokens: $0.tokens) : nil }
        }
        guard let driver = driver(named: parameters.model) else { throw OpenAIError.modelNotFound(parameters.model) }
        if let largestTokenID, largestTokenID >= vocabSizes[driver.model]! {
            throw OpenAIError.invalid("Token id \(largestTokenID) is out of vocabulary (\(parameters.model) has \(vocabSizes[driver.model]!) tokens).",
                                      param: "prompt", code: "invalid_value")
        }
        let generation = Generation(kind: kind, driver: driver, modelName: primaryName(of: driver), parameters: parameters,
                                    promptTokens: promptIDs.map(\.count), promptIDs: promptIDs,
                                    echoTexts: echoTexts, outputLengths: configuration.outputLength, seed: configuration.seed,
                                    number: requestNumbers.next(), instance: requestNumbers.instance, toolCallProbability: configuration.toolCallProbability)
        return parameters.stream ? try await generation.stream(request: request) : try await generation.respond(request: request)
    }

    /// A served name's model card, with vLLM's extra fields (`root` is the model behind the name).
    private func modelObject(_ name: String) -> String {
        let driver = driver(named: name)!
        return "{\"id\":\(JSONText.string(name)),\"object\":\"model\",\"created\":\(created),\"owned_by\":\"llmservingsim\",\"root\":\(JSONText.string(driver.model)),\"parent\":null,\"max_model_len\":\(driver.maxContext),\"hardware\":\(JSONText.string(driver.hardware))}"
    }

    private func modelList() -> String {
        "{\"object\":\"list\",\"data\":[\(servedNames.map { modelObject($0.name) }.joined(separator: ","))]}"
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
