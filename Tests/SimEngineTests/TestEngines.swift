import Foundation
import PerfKit
import SimEngine

/// Engines over the repository's shipped data.
enum TestEngines {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let loader = try! EngineLoader(data: DataDirectory(url: root))
    static let llama = "meta-llama/Llama-3.1-8B-Instruct"

    static func engine(
        model: String = llama, hardware: String = "A100", tp: Int = 1, replicas: Int = 1,
        config: SchedulerConfig = SchedulerConfig(), router: RouterPolicy = .roundRobin, tokenEvents: Bool = true
    ) throws -> ServingEngine {
        try loader.engine(model: model, hardware: hardware, tp: tp, replicas: replicas, config: config, router: router, recordsTokenEvents: tokenEvents)
    }

    /// The iteration cost of the engine's table, for expected values.
    static func cost(model: String = llama, hardware: String = "A100", tp: Int = 1) throws -> IterationCost {
        let (table, gpu) = try loader.table(model: model, hardware: hardware, tp: tp)
        return IterationCost(table: table, gpu: gpu)
    }

    /// A config whose KV cache holds about `tokens` tokens per replica of Llama-3.1-8B on an A100.
    static func tinyKV(tokens: Int, kind: SchedulerKind = .vllm) throws -> SchedulerConfig {
        let model = try loader.models.model(llama)
        let gib = 1_073_741_824.0
        let kvBytes = Double(tokens * model.kvBytesPerToken)
        let reserve = 80 * gib * 0.9 - Double(model.weightBytes) - kvBytes
        return SchedulerConfig(kind: kind, activationReserveBytes: reserve)
    }

    static func workload(rate: Double, count: Int, input: LengthDistribution = .fixed(512), output: LengthDistribution = .fixed(128), seed: UInt64 = 1) -> [RequestSpec] {
        Array(try! SyntheticWorkload(rate: rate, count: count, inputLength: input, outputLength: output, seed: seed))
    }

    /// Runs `specs` to completion and returns the finished records by id.
    static func records(_ engine: inout ServingEngine, _ specs: [RequestSpec]) -> [RequestID: RequestRecord] {
        var records: [RequestID: RequestRecord] = [:]
        _ = SimulationRunner.run(engine: &engine, workload: specs, onRecord: { records[$0.id] = $0 })
        return records
    }
}
