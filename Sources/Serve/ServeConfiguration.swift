public import SimEngine

/// Everything `serve` needs: what to simulate, how fast, and the server's limits.
public struct ServeConfiguration: Sendable {
    /// Model ids served; the first is the default of tools that need one.
    public var models: [String]
    public var hardware: String
    public var tp: Int
    public var replicas: Int
    public var scheduler: SchedulerConfig
    public var router: RouterPolicy
    /// Measured latencies (`measured`, a bundle or Vidur folder, one of our CSVs); nil: perf_model/<GPU>.csv.
    public var profile: String?
    /// Simulated seconds per wall-clock second.
    public var speed: Double
    /// When set, `/v1/*` requires `Authorization: Bearer <key>`.
    public var apiKey: String?
    /// Most requests waiting (not yet running) per model before 429.
    public var maxQueue: Int
    /// Largest request body accepted, bytes (413 above).
    public var maxBodyBytes: Int
    /// Output lengths of requests without `max_tokens`.
    public var outputLength: LengthDistribution
    /// Seed of the output-length draws.
    public var seed: UInt64
    /// Names the API knows the models by (vLLM's `--served-model-name`): with one model, aliases of it (the
    /// first is the one responses report); with several, one per model. Empty: the model ids.
    public var servedModelNames: [String] = []
    /// Probability that a choice with `tool_choice: auto` calls a tool.
    public var toolCallProbability = 0.5
    /// Origins whose browsers may call the server (CORS); `*` for any, as vLLM's default.
    public var allowedOrigins = ["*"]

    public init(
        models: [String] = ["meta-llama/Llama-3.1-8B-Instruct"], hardware: String = "A100", tp: Int = 1, replicas: Int = 1,
        scheduler: SchedulerConfig = SchedulerConfig(), router: RouterPolicy = .roundRobin, speed: Double = 1,
        apiKey: String? = nil, maxQueue: Int = 4096, maxBodyBytes: Int = 8 << 20,
        outputLength: LengthDistribution = .lognormal(mean: 256, sigma: 0.5, cap: 2048), seed: UInt64 = 0
    ) {
        self.models = models
        self.hardware = hardware
        self.tp = tp
        self.replicas = replicas
        self.scheduler = scheduler
        self.router = router
        self.speed = speed
        self.apiKey = apiKey
        self.maxQueue = maxQueue
        self.maxBodyBytes = maxBodyBytes
        self.outputLength = outputLength
        self.seed = seed
    }
}
