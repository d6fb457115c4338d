import Benchmark
import Foundation
import PerfKit
import SimEngine

/// Simulator speed: requests simulated per second of wall time.
/// Run: `BENCHMARKS=1 swift package benchmark --target SimEngineBenchmarks`.
let benchmarks: @Sendable () -> Void = {
    let loader = try! EngineLoader(data: try! DataDirectory.locate())
    let (table, gpu) = try! loader.table(model: "meta-llama/Llama-3.1-8B-Instruct", hardware: "A100", tp: 1)

    /// Poisson arrivals at 12 requests/s (near the A100's saturation of about 13/s), prompts ~512, outputs ~256.
    func workload(_ count: Int) -> SyntheticWorkload {
        try! SyntheticWorkload(rate: 12, count: count, inputLength: .lognormal(mean: 512, sigma: 0.5, cap: 4096),
                               outputLength: .lognormal(mean: 256, sigma: 0.5, cap: 2048), seed: 1)
    }

    for count in [10_000, 100_000] {
        Benchmark("Simulate \(count) requests (Llama-3.1-8B, A100, vllm, prefix caching on)",
                  configuration: .init(metrics: [.wallClock, .throughput, .mallocCountTotal, .peakMemoryResident],
                                       scalingFactor: .one, maxDuration: .seconds(30), maxIterations: count > 10_000 ? 3 : 10)) { benchmark in
            for _ in benchmark.scaledIterations {
                var engine = try! ServingEngine(table: table, gpu: gpu)
                let outcome = SimulationRunner.run(engine: &engine, workload: workload(count))
                precondition(outcome.summary.completed == count)
                blackHole(outcome)
            }
        }
    }

    // The same run without prefix caching: what block hashing and the cached free queue cost.
    Benchmark("Simulate 100000 requests (Llama-3.1-8B, A100, vllm, prefix caching off)",
              configuration: .init(metrics: [.wallClock, .throughput, .mallocCountTotal, .peakMemoryResident],
                                   scalingFactor: .one, maxDuration: .seconds(30), maxIterations: 3)) { benchmark in
        for _ in benchmark.scaledIterations {
            var engine = try! ServingEngine(table: table, gpu: gpu, config: SchedulerConfig(enablePrefixCaching: false))
            let outcome = SimulationRunner.run(engine: &engine, workload: workload(100_000))
            precondition(outcome.summary.completed == 100_000)
            blackHole(outcome)
        }
    }
}
