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

    /// Small-message latency over NVLink (vLLM's custom all-reduce) and over PCIe (NCCL through the host bridge,
    /// several times slower; see docs/CALIBRATION.md), for GPUs without a measured curve.
    public static let nvlinkLatencyNs = 6_000.0
    public static let pcieLatencyNs = 25_000.0

    /// The all-reduce of `gpu`: its fitted curve where measured, else its interconnect's datasheet bandwidth with the
    /// NVLink-class (100 GB/s or more) or PCIe latency.
    public init(gpu: GPUSpec) {
        if let fit = gpu.allReduce {
            self.init(busBytesPerNs: fit.busGBps, latencyNs: fit.latencyNs)
        } else {
            self.init(busBytesPerNs: gpu.interconnectGBps, latencyNs: gpu.interconnectGBps >= 100 ? Self.nvlinkLatencyNs : Self.pcieLatencyNs)
        }
    }

    /// One all-reduce of `bytes` among `tp` GPUs, ns; 0 when tp is 1.
    @inlinable public func ns(bytes: Double, tp: Int) -> Double {
        guard tp > 1 else { return 0 }
        return 2 * Double(tp - 1) / Double(tp) * bytes / busBytesPerNs + latencyNs
    }
}

/// An all-reduce curve fitted to measured times (`perfkit calibrate` on Vidur's `all_reduce.csv`).
public struct AllReduceFit: Sendable, Hashable, Codable {
    public var latencyNs: Double
    /// Bus bandwidth per GPU, GB/s.
    public var busGBps: Double
    public var source: String

    public init(latencyNs: Double, busGBps: Double, source: String) {
        self.latencyNs = latencyNs
        self.busGBps = busGBps
        self.source = source
    }

    enum CodingKeys: String, CodingKey {
        case latencyNs = "latency_ns", busGBps = "bus_gbps", source
    }
}
