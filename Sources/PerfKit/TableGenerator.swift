/// Generates latency rows from a model config and a GPU spec by its fitted kernel models (`GPUSpec.modelledNs`).
public enum TableGenerator {
    /// Tensor-parallel degrees written by `generate --all`.
    public static let standardTPs = [1, 2, 4, 8]

    /// Rows of every layer of `model` on `gpu` at `tp`, over `grid` (default: the standard sparse grid).
    public static func rows(model: ModelConfig, gpu: GPUSpec, tp: Int, grid: GenerationGrid? = nil) -> [LatencyRow] {
        let grid = grid ?? .standard(maxContext: model.maxPositionEmbeddings)
        var rows: [LatencyRow] = []
        for layer in model.layers {
            func append(input: Int, kvCache: Int) {
                let ns = gpu.modelledNs(layer: layer, model: model, tp: tp, input: input, kvCache: kvCache)
                rows.append(LatencyRow(
                    hardware: gpu.name, model: model.id, layerName: layer.rawValue, input: input, kvCache: kvCache,
                    latencyNs: Int64(ns.rounded(.up)), tp: tp))
            }
            if layer.isAttention {
                for input in grid.attentionInputPoints {
                    for kvCache in grid.kvPoints where input + kvCache <= model.maxPositionEmbeddings {
                        append(input: input, kvCache: kvCache)
                    }
                }
            } else {
                for input in grid.tokenPoints { append(input: input, kvCache: 0) }
            }
        }
        return rows
    }

    /// One table for `gpu` holding every model at every tp it supports.
    public static func table(models: [ModelConfig], gpu: GPUSpec, tps: [Int] = standardTPs) -> LatencyTable {
        var rows: [LatencyRow] = []
        for model in models {
            for tp in tps where model.supportsTensorParallel(tp) {
                rows += Self.rows(model: model, gpu: gpu, tp: tp)
            }
        }
        return LatencyTable(rows: rows, hasTPColumn: true)
    }
}
