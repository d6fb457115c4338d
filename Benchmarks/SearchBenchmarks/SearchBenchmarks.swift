import Benchmark
import Foundation
import PerfKit
import SimEngine

/// Capacity-search speed: the README's 128-configuration grid (Llama-3.1-8B and 70B on A100, H100, L40 and A6000,
/// tp 1, 2, 4, 8, 1 or 2 replicas, max_num_seqs 128 or 256), 1,000 requests per probe, 3 seeds, on every core.
/// Run: `BENCHMARKS=1 swift package benchmark --target SearchBenchmarks`.
let benchmarks: @Sendable () -> Void = {
    let loader = try! EngineLoader(data: try! DataDirectory.locate())
    var options = SearchOptions()
    options.models = "meta-llama/Llama-3.1-8B-Instruct,meta-llama/Llama-3.1-70B-Instruct"
    options.hardware = "A100,H100,L40,A6000"
    options.tp = "1,2,4,8"
    options.replicas = "1,2"
    options.maxNumSeqs = "128,256"
    options.sloTTFTMs = 500
    options.sloTPOTMs = 50
    let search = try! options.search(loader: loader)

    Benchmark("Search \(search.grid.configurationCount) configurations (1,000 requests × 3 seeds per probe)",
              configuration: .init(metrics: [.wallClock, .peakMemoryResident], scalingFactor: .one, maxDuration: .seconds(300), maxIterations: 3)) { benchmark in
        for _ in benchmark.scaledIterations {
            let results = await search.run(loader: loader)
            precondition(results.count == search.grid.configurationCount)
            blackHole(results)
        }
    }
}
