import Foundation

/// Datasheet figures of one GPU and the efficiencies that `perfkit generate` applies to them.
public struct GPUSpec: Sendable, Hashable, Codable {
    /// Short name used in tables and on the command line (`A100`).
    public var name: String
    public var description: String
    /// Peak dense FP16/BF16 tensor throughput with FP32 accumulate, TFLOP/s.
    public var fp16TFLOPS: Double
    /// Peak memory bandwidth, GB/s (10^9 bytes).
    public var memoryBandwidthGBps: Double
    /// Memory size, GB (10^9 bytes).
    public var memoryGB: Double
    /// The original LLMServingSim's speed factor versus RTX3090.
    public var relativeFactor: Double
    /// Achieved fraction of peak FLOP/s in large GEMMs.
    public var computeEfficiency: Double
    /// Achieved fraction of peak memory bandwidth in streaming reads.
    public var memoryEfficiency: Double
    /// Smallest time of one kernel, ns.
    public var launchFloorNs: Double
    /// Per-GPU all-reduce bus bandwidth (NVLink or PCIe), GB/s, one direction.
    public var interconnectGBps: Double

    enum CodingKeys: String, CodingKey {
        case name, description
        case fp16TFLOPS = "fp16_tflops"
        case memoryBandwidthGBps = "memory_bandwidth_gbps"
        case memoryGB = "memory_gb"
        case relativeFactor = "relative_factor"
        case computeEfficiency = "compute_efficiency"
        case memoryEfficiency = "memory_efficiency"
        case launchFloorNs = "launch_floor_ns"
        case interconnectGBps = "interconnect_gbps"
    }

    /// Peak FLOP per nanosecond.
    public var peakFlopsPerNs: Double { fp16TFLOPS * 1e3 }
    /// Peak bytes per nanosecond.
    public var peakBytesPerNs: Double { memoryBandwidthGBps }

    /// The time no kernel can beat for `work` (use `LayerWork.lowerBound`): max(FLOPs ÷ peak FLOP/s, bytes ÷ peak bandwidth), ns.
    public func floorNs(_ work: LayerWork) -> Double {
        max(work.flops / peakFlopsPerNs, work.bytes / peakBytesPerNs)
    }

    /// The modelled kernel time: roofline at the achieved efficiencies plus the launch floor, ns.
    public func modelledNs(_ work: LayerWork) -> Double {
        max(work.flops / (peakFlopsPerNs * computeEfficiency),
            work.bytes / (peakBytesPerNs * memoryEfficiency)) + launchFloorNs
    }

    /// Checks that every figure is positive and efficiencies are in (0, 1].
    func validate(file: String) throws(PerfKitError) {
        let positive: [(String, Double)] = [
            ("fp16_tflops", fp16TFLOPS), ("memory_bandwidth_gbps", memoryBandwidthGBps), ("memory_gb", memoryGB),
            ("relative_factor", relativeFactor), ("launch_floor_ns", launchFloorNs),
            ("interconnect_gbps", interconnectGBps),
        ]
        for (field, value) in positive where !(value > 0) {
            throw PerfKitError("GPU \(name): field \"\(field)\" must be positive, found \(value)", location: file)
        }
        for (field, value) in [("compute_efficiency", computeEfficiency), ("memory_efficiency", memoryEfficiency)]
        where !(value > 0 && value <= 1) {
            throw PerfKitError("GPU \(name): field \"\(field)\" must be in (0, 1], found \(value)", location: file)
        }
    }
}
