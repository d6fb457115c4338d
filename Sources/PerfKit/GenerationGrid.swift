/// The sparse (input, kv_cache) points that `perfkit generate` writes; lookups interpolate between them.
public struct GenerationGrid: Sendable, Hashable {
    /// Batch-token points of non-attention layers.
    public var tokenPoints: [Int]
    /// New-token points of attention layers (prefill chunks; 1 is decode).
    public var attentionInputPoints: [Int]
    /// Cached-token points of attention layers.
    public var kvPoints: [Int]

    public init(tokenPoints: [Int], attentionInputPoints: [Int], kvPoints: [Int]) {
        self.tokenPoints = tokenPoints
        self.attentionInputPoints = attentionInputPoints
        self.kvPoints = kvPoints
    }

    /// 1, 2, 4, 8, then steps that widen with size: batches up to 32k tokens, sequences up to the context limit. A
    /// prefill chunk's attention steps up by waves of 64-row tiles, so its inputs take every multiple of 64 up to 2,048
    /// (where a step is a large share of the time), then powers of two.
    public static func standard(maxContext: Int) -> GenerationGrid {
        let tokens = [1, 2, 4, 8, 16, 32, 64, 128, 256, 384, 512, 768, 1024, 1536, 2048, 3072, 4096, 6144, 8192,
                      12288, 16384, 24576, 32768]
        let powers = (0...20).map { 1 << $0 }
        let tiles = Array(stride(from: 64, through: 2048, by: 64))
        return GenerationGrid(
            tokenPoints: tokens,
            attentionInputPoints: Set(powers + tiles).sorted().filter { $0 <= maxContext },
            kvPoints: [0] + powers.filter { $0 >= 16 && $0 < maxContext - 1 } + [maxContext - 1])
    }

    /// Every LLMServingSim-style dense point up to `maxInput`: 1...maxInput for tokens, kv in steps of `kvStep`.
    public static func dense(maxInput: Int, maxContext: Int, kvStep: Int) -> GenerationGrid {
        GenerationGrid(
            tokenPoints: Array(1...maxInput),
            attentionInputPoints: Array(1...min(maxInput, maxContext)),
            kvPoints: Array(stride(from: 0, to: maxContext, by: kvStep)))
    }
}
