import ArgumentParser
import Foundation
import PerfKit
import SimEngine

struct Query: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Per-layer breakdown and whole-model time of one iteration.",
        discussion: """
            prefill: --batch sequences of --input new tokens over --kv cached tokens, each emitting its first token. \
            decode: --batch sequences of one new token over --kv cached tokens.
            """)

    enum Phase: String, ExpressibleByArgument, CaseIterable { case prefill, decode }

    @OptionGroup var data: DataOptions
    @Option(help: "GPU name (default: a --profile bundle's).") var hardware: String?
    @Option(help: "Model id (default: a --profile bundle's).") var model: String?
    @Option(help: "prefill or decode.") var phase: Phase
    @Option(parsing: .unconditional, help: "New tokens per sequence (prefill).") var input: Int = 1
    @Option(parsing: .unconditional, help: "Cached tokens per sequence.") var kv: Int = 0
    @Option(parsing: .unconditional, help: "Sequences in the batch.") var batch: Int = 1
    @Option(parsing: .unconditional, help: "Tensor-parallel degree.") var tp: Int = 1
    @Option(name: .customLong("table"), help: "Table file (default perf_model/<GPU>.csv).") var tableFile: String?
    @Option(help: "Measured latencies: a bundle or Vidur folder, one of our CSVs, or \"measured\".") var profile: String?
    @Option(help: "Framework time that simulate adds to the kernels: vllm-0.19, vllm-0.6 or none.") var engine: String = EngineProfile.vllm019.name
    @Option(parsing: .unconditional, help: "Host time per step, ms, replacing the engine profile's (simulate's --cpu-overhead-ms).") var cpuOverheadMs: Double?

    func validate() throws {
        for (name, value) in [("--input", input), ("--batch", batch), ("--tp", tp)] where value < 1 {
            throw ValidationError("\(name) must be at least 1, found \(value)")
        }
        guard kv >= 0 else { throw ValidationError("--kv must not be negative, found \(kv)") }
        if let cpuOverheadMs, !(0...10_000).contains(cpuOverheadMs) {
            throw ValidationError("--cpu-overhead-ms must be between 0 and 10000, found \(cpuOverheadMs)")
        }
        guard batch <= IterationCost.maxQueryBatch else {
            throw ValidationError("--batch must be at most \(IterationCost.maxQueryBatch), found \(batch)")
        }
        // Past any context; checked against the model's own once it is loaded.
        for (name, value) in [("--input", input), ("--kv", kv)] where value > TableValidator.maxKeyTokens {
            throw ValidationError("\(name) must be at most \(TableValidator.maxKeyTokens), found \(value)")
        }
    }

    func run() throws {
        try reportingErrors {
            let workspace = try Workspace(data)
            let (model, hardware) = try workspace.identity(model: model, hardware: hardware, profile: profile)
            var engineProfile = try EngineProfile.named(engine)
            if let cpuOverheadMs { engineProfile = engineProfile.withStepHost(ns: Int64((cpuOverheadMs * 1e6).rounded())) }
            let cost: any LatencySource
            var table: ModelLatencyTable?
            if let profile {
                let config = try workspace.models.model(model)
                try config.requireTensorParallel(tp)
                cost = try LatencySourceLoader(data: workspace.data).source(
                    profile: profile, tableFile: tableFile, model: config, gpu: try workspace.gpus.gpu(hardware), tp: tp)
            } else {
                let modelTable = try workspace.modelTable(hardware: hardware, model: model, tp: tp, file: tableFile)
                table = modelTable
                let gpu = try workspace.gpus.gpu(modelTable.hardware)
                cost = IterationCost(table: modelTable, gpu: gpu)
            }
            let newTokens = phase == .decode ? 1 : input
            guard newTokens + kv <= cost.model.maxPositionEmbeddings else {
                throw PerfKitError("\(newTokens + kv) tokens exceed \(cost.model.id)'s context of \(cost.model.maxPositionEmbeddings)")
            }
            let sequences = Array(repeating: (input: newTokens, kvCache: kv), count: batch)
            let breakdown = cost.breakdown(sequences: sequences, emitting: batch)
            let timing = cost.iteration(sequences: sequences, emitting: batch)
            print("\(cost.model.id) on \(cost.hardware) tp=\(tp), \(phase.rawValue): batch \(batch) × (input \(newTokens), kv \(kv))")
            if profile != nil { print("from \(cost.provenance)") }
            for note in cost.notes { print("note: \(note)") }
            print(pad("layer", 16) + pad("key", 24) + lpad("calls", 6) + lpad("µs/call", 12) + lpad("total ms", 11) + lpad("share", 8))
            for item in breakdown.items {
                let share = breakdown.totalNs > 0 ? item.totalNs / breakdown.totalNs * 100 : 0
                print(pad(item.name, 16) + pad(item.key, 24) + lpad("\(item.calls)", 6)
                      + lpad(String(format: "%.2f", item.nsPerCall / 1e3), 12)
                      + lpad(String(format: "%.3f", item.totalNs / 1e6), 11) + lpad(String(format: "%.1f%%", share), 8))
            }
            let gpuNs = Int64(timing.ns.rounded(.up))
            let iterationNs = Double(engineProfile.stepNs(gpuNs: gpuNs, sequences: batch))
            print(String(format: "iteration: %.3f ms as simulate times it: kernels (sampler included) %.3f ms + host of engine %@ not overlapped %.3f ms",
                         iterationNs / 1e6, Double(gpuNs) / 1e6, engineProfile.name, (iterationNs - Double(gpuNs)) / 1e6)
                  + (timing.extrapolated ? " (extrapolated: outside the measured or tabulated points)" : ""))
            if phase == .decode {
                print(String(format: "decode throughput: %.0f tokens/s", Double(batch) / (iterationNs / 1e9)))
            }
            let extrapolated = table?.extrapolatedLayers(newTokens: newTokens, kvCache: kv, batch: batch) ?? []
            if !extrapolated.isEmpty {
                print("warning: past the table's points, extrapolated: \(extrapolated.map(\.rawValue).joined(separator: ", "))")
            }
        }
    }

    private func pad(_ text: String, _ width: Int) -> String { text.padding(toLength: max(width, text.count + 1), withPad: " ", startingAt: 0) }
    private func lpad(_ text: String, _ width: Int) -> String { String(repeating: " ", count: max(1, width - text.count)) + text }
}
