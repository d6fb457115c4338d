import ArgumentParser
import Foundation
import PerfKit

struct Query: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Per-layer breakdown and whole-model time of one iteration.",
        discussion: """
            prefill: --batch sequences of --input new tokens over --kv cached tokens, each emitting its first token. \
            decode: --batch sequences of one new token over --kv cached tokens.
            """)

    enum Phase: String, ExpressibleByArgument, CaseIterable { case prefill, decode }

    @OptionGroup var data: DataOptions
    @Option(help: "GPU name.") var hardware: String
    @Option(help: "Model id.") var model: String
    @Option(help: "prefill or decode.") var phase: Phase
    @Option(parsing: .unconditional, help: "New tokens per sequence (prefill).") var input: Int = 1
    @Option(parsing: .unconditional, help: "Cached tokens per sequence.") var kv: Int = 0
    @Option(parsing: .unconditional, help: "Sequences in the batch.") var batch: Int = 1
    @Option(parsing: .unconditional, help: "Tensor-parallel degree.") var tp: Int = 1
    @Option(name: .customLong("table"), help: "Table file (default perf_model/<GPU>.csv).") var tableFile: String?
    @Option(parsing: .unconditional, help: "Host overhead per iteration that simulate adds, ms (simulate's --cpu-overhead-ms).") var cpuOverheadMs: Double = 0.2

    func validate() throws {
        for (name, value) in [("--input", input), ("--batch", batch), ("--tp", tp)] where value < 1 {
            throw ValidationError("\(name) must be at least 1, found \(value)")
        }
        guard kv >= 0 else { throw ValidationError("--kv must not be negative, found \(kv)") }
        guard cpuOverheadMs >= 0, cpuOverheadMs <= 10_000 else { throw ValidationError("--cpu-overhead-ms must be between 0 and 10000, found \(cpuOverheadMs)") }
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
            let table = try workspace.modelTable(hardware: hardware, model: model, tp: tp, file: tableFile)
            let gpu = try workspace.gpus.gpu(table.hardware)
            let newTokens = phase == .decode ? 1 : input
            guard newTokens + kv <= table.model.maxPositionEmbeddings else {
                throw PerfKitError("\(newTokens + kv) tokens exceed \(table.model.id)'s context of \(table.model.maxPositionEmbeddings)")
            }
            let cost = IterationCost(table: table, allReduce: AllReduceModel(gpu: gpu))
            let sequences = Array(repeating: (input: newTokens, kvCache: kv), count: batch)
            let breakdown = cost.breakdown(sequences: sequences, emitting: batch)
            print("\(table.model.id) on \(table.hardware) tp=\(tp), \(phase.rawValue): batch \(batch) × (input \(newTokens), kv \(kv))")
            print(pad("layer", 16) + pad("key", 24) + lpad("calls", 6) + lpad("µs/call", 12) + lpad("total ms", 11) + lpad("share", 8))
            for item in breakdown.items {
                let share = breakdown.totalNs > 0 ? item.totalNs / breakdown.totalNs * 100 : 0
                print(pad(item.name, 16) + pad(item.key, 24) + lpad("\(item.calls)", 6)
                      + lpad(String(format: "%.2f", item.nsPerCall / 1e3), 12)
                      + lpad(String(format: "%.3f", item.totalNs / 1e6), 11) + lpad(String(format: "%.1f%%", share), 8))
            }
            let iterationNs = breakdown.totalNs + cpuOverheadMs * 1e6
            print(String(format: "iteration: %.3f ms (GPU %.3f ms + host overhead %.3f ms, --cpu-overhead-ms), as simulate times it",
                         iterationNs / 1e6, breakdown.totalNs / 1e6, cpuOverheadMs))
            if phase == .decode {
                print(String(format: "decode throughput: %.0f tokens/s", Double(batch) / (iterationNs / 1e9)))
            }
            let extrapolated = table.extrapolatedLayers(newTokens: newTokens, kvCache: kv, batch: batch)
            if !extrapolated.isEmpty {
                print("warning: past the table's points, extrapolated: \(extrapolated.map(\.rawValue).joined(separator: ", "))")
            }
        }
    }

    private func pad(_ text: String, _ width: Int) -> String { text.padding(toLength: max(width, text.count + 1), withPad: " ", startingAt: 0) }
    private func lpad(_ text: String, _ width: Int) -> String { String(repeating: " ", count: max(1, width - text.count)) + text }
}
