import Foundation

/// Datasheet figures of one GPU and the fitted kernel parameters that `perfkit generate` applies to them.
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
    /// Chip generation (`Ampere`, `Hopper`); GPUs without measurements take their kernel parameters from it.
    public var architecture: String
    /// Per-GPU all-reduce bus bandwidth (NVLink or PCIe), GB/s, one direction.
    public var interconnectGBps: Double
    /// L2 cache size as vendors quote it, MiB; nil where the spec does not give it (element-wise kernels then see none).
    public var l2CacheMB: Double?
    /// Streaming multiprocessors; nil where the spec does not give it (mixed-batch attention then fits a whole KV
    /// group in one wave).
    public var smCount: Double?
    /// CUDA compute capability (`9.0`): which attention kernels vLLM 0.19 runs on the GPU; nil is taken as FlashAttention 2's.
    public var computeCapability: Double?
    /// Whether the board is a GeForce: rated at a boost clock it runs above under load, with FP32-accumulate tensor math
    /// at half rate; nil or false for datacenter and workstation boards. GEMM efficiency is derived within the class.
    public var geforce: Bool?
    /// Kernel parameters fitted by `perfkit calibrate`; after loading a catalog, every class is filled.
    public var kernels: KernelParameters?
    /// All-reduce parameters fitted to measured curves, where there are some.
    public var allReduce: AllReduceFit?

    enum CodingKeys: String, CodingKey {
        case name, description
        case fp16TFLOPS = "fp16_tflops"
        case memoryBandwidthGBps = "memory_bandwidth_gbps"
        case memoryGB = "memory_gb"
        case relativeFactor = "relative_factor"
        case architecture
        case interconnectGBps = "interconnect_gbps"
        case l2CacheMB = "l2_cache_mb"
        case smCount = "sm_count"
        case computeCapability = "compute_capability"
        case geforce
        case kernels
        case allReduce = "all_reduce"
    }

    /// Peak FLOP per nanosecond.
    public var peakFlopsPerNs: Double { fp16TFLOPS * 1e3 }
    /// Peak bytes per nanosecond.
    public var peakBytesPerNs: Double { memoryBandwidthGBps }
    /// Whether vLLM 0.19 runs a batch that mixes decodes with a prefill chunk through FlashAttention 2's varlen kernel,
    /// one tile per query head without split-KV (`MixedBatchAttention`): Ampere, Ada and workstation Blackwell (8.x,
    /// 12.x), not Hopper (FlashAttention 3 splits the KV and packs GQA heads), datacenter Blackwell (FlashInfer) or GPUs
    /// before Ampere, which FlashAttention 2 does not run on (`get_flash_attn_version`, vLLM's `attention/utils/fa_utils.py`).
    public var runsFlashAttention2ForMixedBatches: Bool {
        guard let computeCapability else { return true }
        return (8.0..<9.0).contains(computeCapability) || computeCapability >= 12.0
    }
    /// Whether the board is a GeForce (`geforce`).
    public var isGeForce: Bool { geforce == true }
    /// L2 cache size in bytes (0 when unknown).
    public var l2CacheBytes: Double { (l2CacheMB ?? 0) * 1_048_576 }

    /// The time no kernel can beat for `work` (use `LayerWork.lowerBound`): max(FLOPs ÷ peak FLOP/s, bytes ÷ peak bandwidth), ns.
    public func floorNs(_ work: LayerWork) -> Double {
        max(work.flops / peakFlopsPerNs, work.bytes / peakBytesPerNs)
    }

    /// Checks that every figure is positive and efficiencies are in (0, 1].
    func validate(file: String) throws(PerfKitError) {
        let positive: [(String, Double)] = [
            ("fp16_tflops", fp16TFLOPS), ("memory_bandwidth_gbps", memoryBandwidthGBps), ("memory_gb", memoryGB),
            ("relative_factor", relativeFactor), ("interconnect_gbps", interconnectGBps),
        ]
        for (field, value) in positive where !(value > 0) {
            throw PerfKitError("GPU \(name): field \"\(field)\" must be positive, found \(value)", location: file)
        }
        if let computeCapability, !(computeCapability >= 1 && computeCapability < 100) {
            throw PerfKitError("GPU \(name): field \"compute_capability\" must be a CUDA compute capability such as 9.0, found \(computeCapability)", location: file)
        }
        if let smCount, !(smCount >= 1 && smCount <= 100_000) {
            throw PerfKitError("GPU \(name): field \"sm_count\" must be a positive count, found \(smCount)", location: file)
        }
        if let l2CacheMB, !(l2CacheMB >= 0 && l2CacheMB.isFinite) {
            throw PerfKitError("GPU \(name): field \"l2_cache_mb\" must be a non-negative number, found \(l2CacheMB)", location: file)
        }
        for (field, value, range) in kernels?.boundedFields ?? [] where !range.contains(value) {
            throw PerfKitError("GPU \(name): kernel parameter \"\(field)\" must be in \(range), found \(value)", location: file)
        }
        if let allReduce, !(allReduce.latencyNs > 0 && allReduce.busGBps > 0) {
            throw PerfKitError("GPU \(name): all_reduce latency_ns and bus_gbps must be positive", location: file)
        }
    }
}
