/// One row of a latency table: the time of one layer for one (input, kv_cache) key.
public struct LatencyRow: Sendable, Hashable {
    public var hardware: String
    public var model: String
    /// The `layer_name` column as written; names PerfKit does not know are kept.
    public var layerName: String
    /// Batch tokens, or one sequence's new tokens for attention layers.
    public var input: Int
    /// Cached tokens of the sequence (attention layers), 0 otherwise.
    public var kvCache: Int
    /// Latency in integer nanoseconds.
    public var latencyNs: Int64
    /// Tensor-parallel degree the row was measured or modelled at.
    public var tp: Int
    /// Values of columns beyond the known ones, in header order.
    public var extra: [String]
    /// 1-based line in the source file (0 for rows made in memory).
    public var line: Int

    public init(
        hardware: String, model: String, layerName: String, input: Int, kvCache: Int, latencyNs: Int64,
        tp: Int = 1, extra: [String] = [], line: Int = 0
    ) {
        self.hardware = hardware
        self.model = model
        self.layerName = layerName
        self.input = input
        self.kvCache = kvCache
        self.latencyNs = latencyNs
        self.tp = tp
        self.extra = extra
        self.line = line
    }

    /// The longest a row may take: 100 s, far above any layer of any shipped model on any GPU, and low enough that
    /// simulated clocks summing them cannot overflow.
    public static let maxLatencyNs: Int64 = 100_000_000_000

    /// The known layer, or nil for a name PerfKit does not model.
    public var layer: LayerName? { LayerName(rawValue: layerName) }
}
