/// Time of a ring all-reduce among tensor-parallel GPUs: 2 (tp − 1) / tp × bytes over the bus, plus a fixed latency.
public struct AllReduceModel: Sendable, Hashable {
    /// Per-GPU bus bandwidth, bytes per ns (= GB/s).
    public var busBytesPerNs: Double
    /// Fixed cost of one all-reduce (synchronisation, small-message latency), ns.
    public var latencyNs: Double

    public init(busBytesPerNs: Double, latencyNs: Double = 6_000) {
        self.busBytesPerNs = busBytesPerNs
        self.latencyNs = latencyNs
    }

    /// The all-reduce of `gpu`'s interconnect.
    public init(gpu: GPUSpec) {
        self.init(busBytesPerNs: gpu.interconnectGBps)
    }

    /// One all-reduce of `bytes` among `tp` GPUs, ns; 0 when tp is 1.
    @inlinable public func ns(bytes: Double, tp: Int) -> Double {
        guard tp > 1 else { return 0 }
        return 2 * Double(tp - 1) / Double(tp) * bytes / busBytesPerNs + latencyNs
    }
}
