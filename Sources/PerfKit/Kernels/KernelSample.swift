/// One measured kernel time with its shape: the input of `perfkit calibrate`.
public struct KernelSample: Sendable {
    /// What ran, in the terms of a kernel class.
    public enum Shape: Sendable {
        /// An (M × K) · (K × N) GEMM; `tokens` is M.
        case gemm(tokens: Double, n: Double, k: Double)
        /// One attention kernel over a batch of sequences.
        case attention(sequences: [(input: Int, kvCache: Int)], heads: AttentionKernel.Heads)
        case elementwise(ElementwiseKind, bytes: Double)
        /// One all-reduce of `bytes` among `tp` GPUs.
        case allReduce(bytes: Double, tp: Int)
        /// The best rate of large square matmuls (size × size × size): a GPU's reachable tensor peak.
        case squareMatmul(size: Double)
    }

    public var shape: Shape
    public var bytesPerElement: Double
    public var measuredNs: Double
    /// The file and kernel the sample comes from (`dense.csv qkv_proj`); each group weighs the same in a fit.
    public var group: String
    /// Whether the sample times the kernel vLLM 0.19 runs for its layer; false for Vidur's unfused element-wise
    /// operators, which are reported as a check but never fitted (docs/CALIBRATION.md).
    public var isVLLMKernel: Bool
    /// Where the measurement stands (`file:line`), for messages; empty when not kept.
    public var location: String

    public init(shape: Shape, bytesPerElement: Double = 2, measuredNs: Double, group: String, isVLLMKernel: Bool = true, location: String = "") {
        self.shape = shape
        self.bytesPerElement = bytesPerElement
        self.measuredNs = measuredNs
        self.group = group
        self.isVLLMKernel = isVLLMKernel
        self.location = location
    }

    /// Whether `perfkit calibrate` fits parameters to the sample (every sample but an element-wise one of another
    /// kernel than vLLM 0.19's).
    public var isFitted: Bool {
        if case .elementwise = shape { return isVLLMKernel }
        return true
    }

    /// Which sequences an attention sample's batch holds; nil for other classes.
    public var attentionMix: AttentionMix? {
        guard case .attention(let sequences, _) = shape else { return nil }
        let decodes = sequences.contains { $0.input == 1 }, prefills = sequences.contains { $0.input > 1 }
        return decodes && prefills ? .mixed : decodes ? .decodeOnly : .prefillOnly
    }

    /// The class the sample's error is reported under.
    public var kernelClass: KernelClass {
        switch shape {
        case .gemm: .gemm
        case .attention: .attention
        case .elementwise(let kind, _): .elementwise(kind)
        case .allReduce: .allReduce
        case .squareMatmul: .matmulPeak
        }
    }

    /// The time no kernel can beat for this shape on `gpu` (weights or KV cache at peak bandwidth, FLOPs at peak), ns.
    public func physicalFloorNs(gpu: GPUSpec) -> Double {
        switch shape {
        case .gemm(let m, let n, let k):
            return max(n * k * bytesPerElement / gpu.peakBytesPerNs, 2 * m * n * k / gpu.peakFlopsPerNs)
        case .attention(let sequences, let heads):
            var flops = 0.0, bytes = 0.0
            for sequence in sequences {
                let input = Double(sequence.input), kv = Double(sequence.kvCache)
                flops += 4 * heads.query * heads.dimension * (input * kv + input * (input + 1) / 2)
                bytes += 2 * (kv + input) * heads.keyValue * heads.dimension * heads.bytesPerElement
            }
            return max(flops / gpu.peakFlopsPerNs, bytes / gpu.peakBytesPerNs)
        case .elementwise(_, let bytes):
            return bytes / ElementwiseKernel.maxEfficiency / gpu.peakBytesPerNs
        case .allReduce:
            return 0
        // A GeForce board beats its datasheet peak (its rated boost clock): the measured ratio is the figure itself.
        case .squareMatmul:
            return 0
        }
    }

    /// The modelled time on `gpu` with `parameters`, ns; nil when they lack the sample's class.
    public func modelledNs(gpu: GPUSpec, parameters: KernelParameters, allReduce: AllReduceModel) -> Double? {
        let ns: Double
        switch shape {
        case .gemm(let m, let n, let k):
            guard let gemm = parameters.gemm else { return nil }
            ns = gemm.ns(tokens: m, n: n, k: k, bytesPerElement: bytesPerElement, gpu: gpu)
        case .attention(let sequences, let heads):
            guard let attention = parameters.attention else { return nil }
            ns = attention.batchNs(sequences, heads: heads, gpu: gpu)
        case .elementwise(let kind, let bytes):
            guard let kernel = parameters.elementwise[kind] else { return nil }
            ns = kernel.ns(bytes: bytes, gpu: gpu)
        case .allReduce(let bytes, let tp):
            ns = allReduce.ns(bytes: bytes, tp: tp)
        case .squareMatmul(let size):
            // A GPU without its own peak is predicted by its GEMM kernel.
            if let peak = parameters.matmulPeak {
                ns = peak.ns(size: size, gpu: gpu)
            } else {
                guard let gemm = parameters.gemm else { return nil }
                ns = gemm.ns(tokens: size, n: size, k: size, bytesPerElement: bytesPerElement, gpu: gpu)
            }
        }
        return max(ns, physicalFloorNs(gpu: gpu))
    }
}

/// The sequences of an attention batch: only decodes, only prefill chunks, or both (vLLM 0.19 runs a mixed batch
/// without split-KV, so its decodes cost more).
public enum AttentionMix: String, Sendable, Hashable, CaseIterable, Comparable {
    case decodeOnly = "decode-only", prefillOnly = "prefill-only", mixed

    public static func < (lhs: Self, rhs: Self) -> Bool { allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)! }
}

/// The kernel classes errors are reported by.
public enum KernelClass: Sendable, Hashable, Comparable, CustomStringConvertible {
    case gemm, attention, elementwise(ElementwiseKind), allReduce, matmulPeak

    public var description: String {
        switch self {
        case .gemm: "gemm"
        case .attention: "attention"
        case .elementwise(let kind): "elementwise.\(kind.rawValue)"
        case .allReduce: "all_reduce"
        case .matmulPeak: "matmul_peak"
        }
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.order < rhs.order }

    private var order: Int {
        switch self {
        case .gemm: 0
        case .attention: 1
        case .elementwise(let kind): 2 + ElementwiseKind.allCases.firstIndex(of: kind)!
        case .matmulPeak: 99
        case .allReduce: 100
        }
    }
}
