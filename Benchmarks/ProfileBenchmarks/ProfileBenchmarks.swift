import Benchmark
import Foundation
import PerfKit

/// Measured profiles: loading bundles and Vidur files, and the lookups the engine makes on them.
/// Run: `BENCHMARKS=1 swift package benchmark --target ProfileBenchmarks`.
let benchmarks: @Sendable () -> Void = {
    let data = try! DataDirectory.locate()
    let measured = data.url.appendingPathComponent("profiles/measured")
    let bundle = measured.appendingPathComponent("LLMServingSim/RTX4090/meta-llama/Llama-3.1-8B/bf16")
    let vidur = measured.appendingPathComponent("vidur/compute/h100/meta-llama/Llama-2-70b-hf")
    let model = try! ModelCatalog.load(id: "meta-llama/Llama-3.1-8B", folder: data.modelConfigs)
    let gpu = try! GPUCatalog(file: data.hardwareSpecs).gpu("RTX4090")
    let profile = try! BundleReader.read(bundle, tp: 1, model: model.id)
    let grid = profile.attention!
    let qkv = profile.denseLayer("qkv_proj")!.curve

    Benchmark("Load an LLMServingSim bundle (RTX4090 Llama-3.1-8B tp1, 10,091 rows)",
              configuration: .init(metrics: [.wallClock, .mallocCountTotal], maxIterations: 20)) { _ in
        blackHole(try! BundleReader.read(bundle, tp: 1, model: model.id))
    }

    Benchmark("Load and compile the bundle into a latency source",
              configuration: .init(metrics: [.wallClock], maxIterations: 20)) { _ in
        blackHole(try! MeasuredLatencySource(profile: try! BundleReader.read(bundle, tp: 1), model: model, gpu: gpu))
    }

    Benchmark("Load a Vidur mlp.csv (H100 Llama-2-70b, 1,044 rows, tp 4)",
              configuration: .init(metrics: [.wallClock, .mallocCountTotal], maxIterations: 20)) { _ in
        blackHole(try! VidurReader.read(vidur, tp: 4))
    }

    Benchmark("4-D attention lookups",
              configuration: .init(metrics: [.wallClock, .throughput], scalingFactor: .mega)) { benchmark in
        for index in benchmark.scaledIterations {
            let prefill = index % 3 == 0 ? 0 : (index &* 31) % 2048
            blackHole(grid.lookup(prefillChunk: prefill, kvPrefill: (index &* 7) % 8192, decodeCount: (index &* 13) % 200, kvDecode: (index &* 7919) % 16384))
        }
    }

    Benchmark("Dense lookups (measured curve)",
              configuration: .init(metrics: [.wallClock, .throughput], scalingFactor: .mega)) { benchmark in
        for index in benchmark.scaledIterations {
            blackHole(qkv.ns(at: (index &* 7919) % 2048 + 1))
        }
    }
}
