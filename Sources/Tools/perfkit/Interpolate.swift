import ArgumentParser
import Foundation
import PerfKit

struct Interpolate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Look up interpolated latencies, or write a dense table from a sparse one.",
        discussion: """
            Point query: --layer NAME --input N [--kv N] prints the latency in ns (piecewise linear between the \
            table's points; outside them it extrapolates along the last segment and says so). \
            --dense writes every token count 1...--max-input for the dense layers and attention rows every \
            --input-step new tokens and --kv-step cached tokens.
            """)

    @OptionGroup var data: DataOptions
    @Option(help: "GPU name.") var hardware: String
    @Option(help: "Model id.") var model: String
    @Option(help: "Tensor-parallel degree.") var tp: Int = 1
    @Option(name: .customLong("table"), help: "Table file (default perf_model/<GPU>.csv).") var tableFile: String?
    @Option(help: "Layer for a point query (e.g. q_proj, attn).") var layer: String?
    @Option(help: "Tokens (batch tokens, or new tokens for attention).") var input: Int?
    @Option(help: "Cached tokens (attention layers).") var kv: Int = 0
    @Flag(help: "Write a dense table.") var dense = false
    @Option(help: "Largest token count of the dense table.") var maxInput: Int = 2048
    @Option(help: "Step of attention new-token points in the dense table.") var inputStep: Int = 16
    @Option(help: "Step of attention cached-token points in the dense table.") var kvStep: Int = 256
    @Option(help: "Output file for --dense ('-' for stdout).") var out: String = "-"

    func validate() throws {
        guard dense != (layer != nil) else { throw ValidationError("give either --dense or --layer with --input") }
        if layer != nil, input == nil { throw ValidationError("--layer needs --input") }
        for (name, value) in [("--input", input ?? 1), ("--max-input", maxInput), ("--input-step", inputStep), ("--kv-step", kvStep), ("--tp", tp)] where value < 1 {
            throw ValidationError("\(name) must be at least 1, found \(value)")
        }
        guard kv >= 0 else { throw ValidationError("--kv must not be negative, found \(kv)") }
    }

    func run() throws {
        try reportingErrors {
            let workspace = try Workspace(data)
            let table = try workspace.modelTable(hardware: hardware, model: model, tp: tp, file: tableFile)
            if let layer {
                guard let name = LayerName(rawValue: layer), table.model.layers.contains(name) else {
                    throw PerfKitError("layer \"\(layer)\" is not a layer of \(model); its layers: \(table.model.layers.map(\.rawValue).joined(separator: ", "))")
                }
                let input = input!
                let ns = name.isAttention ? table.attentionNs(name, input: input, kvCache: kv) : table.latencyNs(name, tokens: input)
                let note = table.isExtrapolated(name, input: input, kvCache: name.isAttention ? kv : 0) ? " (extrapolated: outside the table's points)" : ""
                print("\(Int(ns.rounded(.up))) ns\(note)")
                return
            }
            try write(denseTable(table), to: out)
        }
    }

    private func denseTable(_ table: ModelLatencyTable) -> LatencyTable {
        let context = table.model.maxPositionEmbeddings
        var rows: [LatencyRow] = []
        for layer in table.model.layers {
            func append(_ input: Int, _ kvCache: Int, _ ns: Double) {
                rows.append(LatencyRow(hardware: table.hardware, model: table.model.id, layerName: layer.rawValue,
                                       input: input, kvCache: kvCache, latencyNs: Int64(ns.rounded(.up)), tp: tp))
            }
            if layer.isAttention {
                let inputs = [1] + Array(stride(from: inputStep, through: min(maxInput, context), by: inputStep)).filter { $0 > 1 }
                for input in inputs {
                    for kvCache in stride(from: 0, to: context - input + 1, by: kvStep) {
                        append(input, kvCache, table.attentionNs(layer, input: input, kvCache: kvCache))
                    }
                }
            } else {
                for input in 1...maxInput { append(input, 0, table.latencyNs(layer, tokens: input)) }
            }
        }
        return LatencyTable(rows: rows, hasTPColumn: true)
    }
}
