import ArgumentParser
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import UnixSignals
import PerfKit
import Serve
import SimEngine

extension SchedulerKind: ExpressibleByArgument {}
extension RouterPolicy: ExpressibleByArgument {}

struct Run: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve /v1/chat/completions, /v1/completions, /v1/models, /health, /status and /metrics.")

    @Option(help: "Folder holding model_configs/, perf_model/ and hardware/.") var dataDir: String?
    @Option(help: "Address to listen on.") var host: String = "127.0.0.1"
    @Option(parsing: .unconditional, help: "Port to listen on.") var port: Int = 8000
    @Option(help: "Model id to serve (repeat for several; default: a --profile bundle's, else meta-llama/Llama-3.1-8B-Instruct).") var model: [String] = []
    @Option(help: "GPU name (default: a --profile bundle's, else A100).") var hardware: String?
    @Option(help: "Measured latencies: a bundle or Vidur folder, one of our CSVs, or \"measured\" (profiles/measured/ for --hardware, each --model, --tp).") var profile: String?
    @Option(parsing: .unconditional, help: "Tensor-parallel degree of each replica.") var tp: Int = 1
    @Option(parsing: .unconditional, help: "Replicas behind the router.") var replicas: Int = 1
    @Option(help: "vllm, orca or static.") var scheduler: SchedulerKind = .vllm
    @Option(help: "round_robin, least_outstanding, least_kv or prefix.") var router: RouterPolicy = .roundRobin
    @Option(parsing: .unconditional, help: "Simulated seconds per wall-clock second.") var speed: Double = 1
    @Option(help: "Require Authorization: Bearer KEY on /v1/*.") var apiKey: String?
    @Option(parsing: .unconditional, help: "Most requests waiting per model before 429 (0 refuses every request with 429).") var maxQueue: Int = 4096
    @Option(parsing: .unconditional, help: "Largest request body, bytes (413 above).") var maxBodyBytes: Int = 8 << 20
    @Option(help: "Output lengths without max_tokens: N, uniform:MIN:MAX or lognormal:MEAN:SIGMA[:CAP].") var outputLen: String = "lognormal:256:0.5:2048"
    @Option(parsing: .unconditional, help: "Seed of the output-length draws.") var seed: UInt64 = 0
    @Option(parsing: .unconditional, help: "vLLM max_num_batched_tokens.") var maxNumBatchedTokens: Int = 8192
    @Option(parsing: .unconditional, help: "vLLM max_num_seqs.") var maxNumSeqs: Int = 256
    @Option(parsing: .unconditional, help: "KV blocks per replica, replacing the computed capacity (vLLM's num_gpu_blocks_override).") var numGpuBlocks: Int?
    @Flag(inversion: .prefixedNo, help: "Prefix caching (vLLM v1's default: on).") var enablePrefixCaching = true
    @Option(help: "Framework time apart from the kernels: vllm-0.19, vllm-0.6 or none.") var engine: String = EngineProfile.vllm019.name
    @Option(parsing: .unconditional, help: "On SIGINT or SIGTERM, how long in-flight streams may finish before they are cancelled, s.") var drainSeconds: Double = 10
    @OptionGroup var parity: ServeParityOptions

    func run() async throws {
        let app: ServeApp
        let models: [String], gpu: String
        do {
            let data = try DataDirectory.locate(explicit: dataDir)
            let loader = try EngineLoader(data: data)
            let identity = loader.identity(model: model.first, hardware: hardware, profile: profile)
            if let note = identity.note { FileHandle.standardError.write(Data("note: \(note)\n".utf8)) }
            models = model.isEmpty ? [identity.model] : model
            gpu = identity.hardware
            var configuration = ServeConfiguration(
                models: models, hardware: gpu, tp: tp, replicas: replicas,
                scheduler: try parity.scheduler(
                    kind: scheduler, maxNumBatchedTokens: maxNumBatchedTokens, maxNumSeqs: maxNumSeqs, engine: try EngineProfile.named(engine),
                    numGpuBlocksOverride: numGpuBlocks, enablePrefixCaching: enablePrefixCaching),
                router: router, speed: speed, apiKey: apiKey, maxQueue: maxQueue, maxBodyBytes: maxBodyBytes,
                outputLength: try LengthDistribution(parsing: outputLen), seed: seed)
            configuration.profile = profile
            try parity.apply(to: &configuration, port: port)
            app = try ServeApp(configuration: configuration, loader: loader)
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode.failure
        }
        let logger = Logger(label: "serve")
        let application = Application(
            router: app.router(),
            configuration: .init(address: .hostname(host, port: port), serverName: "llmservingsim"),
            onServerRunning: { channel in
                let line = "serving \((parity.servedModelName.isEmpty ? models : parity.servedModelName).joined(separator: ", ")) on simulated \(gpu) tp=\(tp) × \(replicas) at http://\(host):\(channel.localAddress?.port ?? port) (speed \(speed))\n"
                FileHandle.standardOutput.write(Data(line.utf8))
            })
        // Shutdown runs in reverse order: the engines first (refuse new requests with 503, let streams finish
        // for --drain-seconds, cancel the rest), then the HTTP server, which then has no open streams to wait for.
        let services: [any Service] = [application, DriverService(app: app, drainSeconds: drainSeconds)]
        do {
            try await ServiceGroup(configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)).run()
        } catch where "\(error)".contains("Address already in use") {
            FileHandle.standardError.write(Data("error: \(host):\(port) is already in use; choose another --port\n".utf8))
            throw ExitCode.failure
        }
    }
}
