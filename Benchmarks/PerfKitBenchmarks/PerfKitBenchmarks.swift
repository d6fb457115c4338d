import Benchmark
import Foundation
import PerfKit

/// Table lookups and CSV loading. Run: `BENCHMARKS=1 swift package benchmark --target PerfKitBenchmarks`.
let benchmarks: @Sendable () -> Void = {
    let data = try! DataDirectory.locate()
    let model = try! ModelCatalog.load(id: "meta-llama/Llama-3.1-8B-Instruct", folder: data.modelConfigs)
    let table = try! ModelLatencyTable(table: try! LatencyTable.load(from: data.tableURL(hardware: "A100")), model: model)

    Benchmark("Interpolated lookups (dense layer)",
              configuration: .init(metrics: [.wallClock, .throughput], scalingFactor: .mega)) { benchmark in
        for index in benchmark.scaledIterations {
            blackHole(table.latencyNs(.gateProj, tokens: (index &* 7919) % 30000 + 1))
        }
    }

    Benchmark("Interpolated lookups (attention)",
              configuration: .init(metrics: [.wallClock, .throughput], scalingFactor: .mega)) { benchmark in
        for index in benchmark.scaledIterations {
            blackHole(table.attentionNs(.attn, input: index % 3 == 0 ? 1 : (index % 2048) + 1, kvCache: (index &* 7919) % 100_000))
        }
    }

    let gpu = try! GPUCatalog(file: data.hardwareSpecs).gpu("A100")
    let rows = TableGenerator.rows(
        model: model, gpu: gpu, tp: 1,
        grid: GenerationGrid(tokenPoints: Array(1...4000), attentionInputPoints: [1], kvPoints: Array(0..<4000)))
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("perfkit-benchmark-60k.csv")
    try! LatencyTable(rows: rows, hasTPColumn: true).save(to: file)

    Benchmark("Load a \(rows.count)-row table",
              configuration: .init(metrics: [.wallClock, .mallocCountTotal], maxIterations: 20)) { _ in
        blackHole(try! LatencyTable.load(from: file))
    }

    let validator = TableValidator(models: [model], gpus: [gpu])
    Benchmark("Validate a \(rows.count)-row table, streamed (rows/s = \(rows.count) × throughput)",
              configuration: .init(metrics: [.wallClock, .throughput, .peakMemoryResident], maxIterations: 20)) { _ in
        blackHole(validator.validate(file: file))
    }
}
