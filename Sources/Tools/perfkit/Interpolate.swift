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
    @Option(help: "GPU name (default: a --profile bundle's).") var hardware: String?
    @Option(help: "Model id (default: a --profile bundle's).") var model: String?
    @Option(parsing: .unconditional, help: "Tensor-parallel degree.") var tp: Int = 1
    @Option(name: .customLong("table"), help: "Table file (default perf_model/<GPU>.csv).") var tableFile: String?
    @Option(help: "Measured latencies: a bundle or Vidur folder, one of our CSVs, or \"measured\".") var profile: String?
    @Option(parsing: .unconditional, help: "Decoding sequences, for a bundle's attention (--input is then the prefill chunk, --kv its cached tokens).") var nDecode: Int = 0
    @Option(parsing: .unconditional, help: "Mean cached tokens of the decoding sequences, for a bundle's attention.") var kvDecode: Int = 0
    @Option(help: "Layer for a point query (e.g. q_proj, attn).") var layer: String?
    @Option(parsing: .unconditional, help: "Tokens (batch tokens, or new tokens for attention).") var input: Int?
    @Option(parsing: .unconditional, help: "Cached tokens (attention layers).") var kv: Int = 0
    @Flag(help: "Write a dense table.") var dense = false
    @Option(parsing: .unconditional, help: "Largest token count of the dense table (default: what the scheduler needs, vLLM's max_num_batched_tokens).") var maxInput: Int = TableValidator().requiredTokens
    @Option(parsing: .unconditional, help: "Step of attention new-token points in the dense table.") var inputStep: Int = 16
    @Option(parsing: .unconditional, help: "Step of attention cached-token points in the dense table.") var kvStep: Int = 256
    @Option(help: "Output file for --dense ('-' for stdout).") var out: String = "-"

    func validate() throws {
        guard dense != (layer != nil) else { throw ValidationError("give either --dense or --layer with --input") }
        if layer != nil, input == nil { throw ValidationError("--layer needs --input") }
        // A bundle's attention takes --input 0: no prefill chunk, decodes only.
        let leastInput = layer == "attention" && profile != nil ? 0 : 1
        guard (input ?? 1) >= leastInput else { throw ValidationError("--input must be at least \(leastInput), found \(input!)") }
        for (name, value) in [("--max-input", maxInput), ("--input-step", inputStep), ("--kv-step", kvStep), ("--tp", tp)] where value < 1 {
            throw ValidationError("\(name) must be at least 1, found \(value)")
        }
        guard kv >= 0, nDecode >= 0, kvDecode >= 0 else { throw ValidationError("--kv, --n-decode and --kv-decode must not be negative") }
        // Past any context; checked against the model's own once it is loaded.
        for (name, value) in [("--input", input ?? 1), ("--kv", kv), ("--max-input", maxInput)] where value > TableValidator.maxKeyTokens {
            throw ValidationError("\(name) must be at most \(TableValidator.maxKeyTokens), found \(value)")
        }
    }

    /// The most rows `--dense` writes: about 1 GB of CSV.
    static let maxDenseRows = 10_000_000

    func run() throws {
        try reportingErrors {
            let workspace = try Workspace(data)
            let (model, hardware) = try workspace.identity(model: model, hardware: hardware, profile: profile)
            let table: ModelLatencyTable
            if let profile {
                let config = try workspace.models.model(model)
                try config.requireTensorParallel(tp)
                let source = try LatencySourceLoader(data: workspace.data).source(
                    profile: profile, tableFile: tableFile, model: config, gpu: try workspace.gpus.gpu(hardware), tp: tp)
                if let measured = source as? MeasuredLatencySource {
                    guard let layer, let input else {
                        throw PerfKitError("--dense works on our tables; write one from this profile with perfkit import")
                    }
                    try printMeasured(measured.profile, layer: layer, input: input)
                    return
                }
                guard let cost = source as? IterationCost else { throw PerfKitError("--profile \(profile) is not a table this command reads") }
                table = cost.table
            } else {
                table = try workspace.modelTable(hardware: hardware, model: model, tp: tp, file: tableFile)
            }
            let context = table.model.maxPositionEmbeddings
            if let layer {
                guard input! + kv <= context else {
                    throw PerfKitError("--input \(input!) + --kv \(kv) exceed \(model)'s context of \(context) tokens")
                }
                guard let name = LayerName(rawValue: layer), table.model.layers.contains(name) else {
                    throw PerfKitError("layer \"\(layer)\" is not a layer of \(model); its layers: \(table.model.layers.map(\.rawValue).joined(separator: ", "))")
                }
                let input = input!
                let ns = name.isAttention ? table.attentionNs(name, input: input, kvCache: kv) : table.latencyNs(name, tokens: input)
                let note = table.isExtrapolated(name, input: input, kvCache: name.isAttention ? kv : 0) ? " (extrapolated: outside the table's points)" : ""
                print("\(Int(ns.rounded(.up))) ns\(note)")
                return
            }
            guard maxInput <= context else {
                throw PerfKitError("--max-input \(maxInput) exceeds \(model)'s context of \(context) tokens")
            }
            let rows = denseRowCount(table)
            guard rows <= Self.maxDenseRows else {
                throw PerfKitError("the dense table would have \(rows) rows, more than \(Self.maxDenseRows); raise --input-step or --kv-step, or lower --max-input")
            }
            try write(denseTable(table), to: out)
        }
    }

    /// A point query on a measured profile: a dense layer by batch tokens, a per-sequence one by sequences, or a
    /// bundle's 4-D attention.
    private func printMeasured(_ profile: MeasuredProfile, layer: String, input: Int) throws(PerfKitError) {
        let outside = " (extrapolated: outside the measured points)"
        if layer == "attention", let grid = profile.attention {
            let looked = grid.lookup(prefillChunk: input, kvPrefill: kv, decodeCount: nDecode, kvDecode: kvDecode)
            print("\(Int(looked.ns)) ns\(looked.extrapolated ? outside : "")")
            return
        }
        guard let found = profile.denseLayer(layer) ?? profile.perSequenceLayer(layer) else {
            let names = profile.dense.map(\.name) + profile.perSequence.map(\.name) + (profile.attention == nil ? [] : ["attention"])
            throw PerfKitError("layer \"\(layer)\" is not in this profile; its layers: \(names.joined(separator: ", "))")
        }
        print("\(Int(found.curve.ns(at: input))) ns\(found.curve.covers(input) ? "" : outside)")
    }

    /// The attention layers' new-token points of the dense table.
    private func attentionInputs(context: Int) -> [Int] {
        [1] + Array(stride(from: inputStep, through: min(maxInput, context), by: inputStep)).filter { $0 > 1 }
    }

    private func denseRowCount(_ table: ModelLatencyTable) -> Int {
        let context = table.model.maxPositionEmbeddings
        let attentionRows = attentionInputs(context: context).reduce(0) { $0 + (context - $1) / kvStep + 1 }
        return table.model.layers.reduce(0) { $0 + ($1.isAttention ? attentionRows : maxInput) }
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
                for input in attentionInputs(context: context) {
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
