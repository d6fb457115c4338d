import Foundation

/// A GPU's fitted kernel parameters (`perfkit calibrate`), by kernel class; a class without measurements is nil
/// and is derived from the GPU's architecture when the catalog loads.
public struct KernelParameters: Sendable, Hashable, Codable {
    /// Where the parameters come from: the measured profile, or the GPUs they were derived from.
    public var source: String
    public var gemm: GEMMKernel?
    public var attention: AttentionKernel?
    public var elementwise: [ElementwiseKind: ElementwiseKernel]
    /// The GPU's measured square-matmul rate, with its own source; not a kernel class the tables time.
    public var matmulPeak: MatmulPeak?

    enum CodingKeys: String, CodingKey {
        case source, gemm, attention, elementwise
        case matmulPeak = "matmul_peak"
    }

    public init(source: String, gemm: GEMMKernel? = nil, attention: AttentionKernel? = nil, elementwise: [ElementwiseKind: ElementwiseKernel] = [:],
                matmulPeak: MatmulPeak? = nil) {
        self.source = source
        self.gemm = gemm
        self.attention = attention
        self.elementwise = elementwise
        self.matmulPeak = matmulPeak
    }

    /// Whether every kernel class has parameters.
    public var isComplete: Bool {
        gemm != nil && attention != nil && ElementwiseKind.allCases.allSatisfy { elementwise[$0] != nil }
    }

    /// `self` with each missing class filled by the geometric mean of `donors`' parameters of that class; a filled GEMM
    /// takes `computeEfficiency` where given (`KernelDerivation.computeEfficiency`).
    public func filled(from donors: [KernelParameters], computeEfficiency: Double? = nil) -> KernelParameters {
        var result = self
        if result.gemm == nil {
            let fits = donors.compactMap(\.gemm)
            if !fits.isEmpty {
                result.gemm = GEMMKernel(
                    memoryEfficiency: Self.mean(fits.map(\.memoryEfficiency)), memoryOverheadBytes: Self.mean(fits.map(\.memoryOverheadBytes)),
                    computeEfficiency: computeEfficiency ?? Self.mean(fits.map(\.computeEfficiency)), computeHalfTokens: Self.mean(fits.map(\.computeHalfTokens)),
                    floorNs: Self.mean(fits.map(\.floorNs)))
            }
        }
        if result.attention == nil {
            let fits = donors.compactMap(\.attention)
            if !fits.isEmpty {
                // FlashAttention's tensor work runs on the tensor cores at the clocks the GEMMs see: its efficiency
                // carries over as a share of the GEMMs', where the donors and this GPU have GEMM fits.
                let shares = donors.compactMap { donor in donor.attention.flatMap { a in donor.gemm.map { a.prefillEfficiency / $0.computeEfficiency } } }
                let prefill = shares.count == fits.count ? result.gemm.map { gemm in min(1, Self.mean(shares.map { $0 * gemm.computeEfficiency })) } : nil
                result.attention = AttentionKernel(
                    prefillEfficiency: prefill ?? Self.mean(fits.map(\.prefillEfficiency)), prefillTileNs: Self.mean(fits.map(\.prefillTileNs)),
                    decodeEfficiency: Self.mean(fits.map(\.decodeEfficiency)),
                    decodeSequenceNs: Self.mean(fits.map(\.decodeSequenceNs)), floorNs: Self.mean(fits.map(\.floorNs)))
                // Only donors that run FlashAttention 2's tiles for mixed batches carry these.
                let mixed = fits.filter { $0.mixedL2Efficiency != nil && $0.mixedHeadFlops != nil && $0.mixedTilesPerSM != nil }
                let l2 = mixed.compactMap(\.mixedL2Efficiency), headFlops = mixed.compactMap(\.mixedHeadFlops), tiles = mixed.compactMap(\.mixedTilesPerSM)
                let empty = mixed.compactMap(\.mixedEmptyTileNs)
                if !mixed.isEmpty {
                    result.attention?.mixedL2Efficiency = Self.mean(l2)
                    result.attention?.mixedHeadFlops = Self.mean(headFlops)
                    result.attention?.mixedTilesPerSM = Self.mean(tiles)
                    result.attention?.mixedEmptyTileNs = empty.isEmpty ? nil : Self.mean(empty)
                }
            }
        }
        for kind in ElementwiseKind.allCases where result.elementwise[kind] == nil {
            let fits = donors.compactMap { $0.elementwise[kind] }
            if !fits.isEmpty {
                let l2Efficiencies = fits.compactMap(\.l2Efficiency), l2Fractions = fits.compactMap(\.l2Fraction)
                let withL2 = !l2Efficiencies.isEmpty && l2Efficiencies.count == fits.count && l2Fractions.count == fits.count
                // Past the L2 share the bytes stream from DRAM as this GPU's GEMM weights do.
                let dram = withL2 ? result.gemm?.memoryEfficiency : nil
                result.elementwise[kind] = ElementwiseKernel(
                    efficiency: dram ?? Self.mean(fits.map(\.efficiency)), l2Efficiency: withL2 ? Self.mean(l2Efficiencies) : nil,
                    l2Fraction: withL2 ? Self.mean(l2Fractions) : nil, floorNs: Self.mean(fits.map(\.floorNs)))
            }
        }
        return result
    }

    /// Geometric mean, to four significant digits: efficiencies and times combine as ratios. A zero (a size
    /// the fit found unneeded) makes the mean zero.
    static func mean(_ values: [Double]) -> Double {
        guard !values.isEmpty, values.allSatisfy({ $0 > 0 }) else { return 0 }
        return fourDigits(exp(values.reduce(0) { $0 + log($1) } / Double(values.count)))
    }

    /// `value` to four significant digits, as fitted figures are stored.
    static func fourDigits(_ value: Double) -> Double {
        guard value > 0 else { return value }
        let scale = pow(10, 3 - floor(log10(value)))
        return (value * scale).rounded() / scale
    }
}

extension KernelParameters {
    /// Each fitted figure with the range it must lie in (efficiencies in (0, 1] of peak, element-wise up to 4, the
    /// physical-floor bound; times and sizes not negative), for spec validation.
    var boundedFields: [(field: String, value: Double, range: ClosedRange<Double>)] {
        let efficiency = 1e-6...1.0, size = 0.0...Double.greatestFiniteMagnitude
        var fields: [(String, Double, ClosedRange<Double>)] = []
        if let gemm {
            fields += [("gemm.memory_efficiency", gemm.memoryEfficiency, efficiency), ("gemm.compute_efficiency", gemm.computeEfficiency, efficiency),
                       ("gemm.memory_overhead_bytes", gemm.memoryOverheadBytes, size),
                       ("gemm.compute_half_tokens", gemm.computeHalfTokens, size), ("gemm.floor_ns", gemm.floorNs, size)]
        }
        if let attention {
            fields += [("attention.prefill_efficiency", attention.prefillEfficiency, efficiency),
                       ("attention.decode_efficiency", attention.decodeEfficiency, efficiency),
                       ("attention.prefill_tile_ns", attention.prefillTileNs, size),
                       ("attention.decode_sequence_ns", attention.decodeSequenceNs, size), ("attention.floor_ns", attention.floorNs, size)]
            if let l2 = attention.mixedL2Efficiency { fields.append(("attention.mixed_l2_efficiency", l2, 1e-6...ElementwiseKernel.maxEfficiency)) }
            if let headFlops = attention.mixedHeadFlops { fields.append(("attention.mixed_head_flops", headFlops, size)) }
            if let tiles = attention.mixedTilesPerSM { fields.append(("attention.mixed_tiles_per_sm", tiles, 1e-3...64)) }
            if let empty = attention.mixedEmptyTileNs { fields.append(("attention.mixed_empty_tile_ns", empty, size)) }
        }
        for kind in ElementwiseKind.allCases {
            guard let kernel = elementwise[kind] else { continue }
            fields += [("elementwise.\(kind.rawValue).efficiency", kernel.efficiency, 1e-6...ElementwiseKernel.maxEfficiency),
                       ("elementwise.\(kind.rawValue).floor_ns", kernel.floorNs, size)]
            if let l2Efficiency = kernel.l2Efficiency {
                fields.append(("elementwise.\(kind.rawValue).l2_efficiency", l2Efficiency, 1e-6...ElementwiseKernel.maxEfficiency))
            }
            if let l2Fraction = kernel.l2Fraction { fields.append(("elementwise.\(kind.rawValue).l2_fraction", l2Fraction, 0...1)) }
        }
        if let matmulPeak { fields.append(("matmul_peak.efficiency", matmulPeak.efficiency, 1e-6...MatmulPeak.maxEfficiency)) }
        return fields
    }
}
