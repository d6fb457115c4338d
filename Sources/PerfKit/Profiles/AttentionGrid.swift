/// LLMServingSim's 4-D attention table (`attention.csv`: prefill_chunk, kv_prefill, n_decode, kv_decode), one
/// kernel for a whole mixed batch, looked up as their `_lookup_attention`: linear on each axis, clamped below,
/// extrapolated past the top two points, a missing (prefill_chunk, n_decode) corner replaced by the nearest one.
public struct AttentionGrid: Sendable {
    /// Profiled values of the two outer axes, increasing.
    public let prefillChunks: [Int]
    public let decodeCounts: [Int]
    /// Slice index per (prefill chunk index × decodeCounts.count + decode count index), or -1 when not profiled.
    @usableFromInline let sliceOf: [Int]
    /// Per slice: its kv_prefill values, and per kv_prefill value a curve over kv_decode (raw ns, not truncated).
    @usableFromInline let sliceKVPrefill: [[Int]]
    @usableFromInline let sliceRows: [[Row]]
    /// Profiled (prefill chunk, n_decode) pairs, for the nearest-corner fallback.
    @usableFromInline let pairs: [(prefillChunk: Int, decodeCount: Int, slice: Int)]
    /// Every measured point, in file order: (prefill_chunk, kv_prefill, n_decode, kv_decode, ns).
    public let points: [Point]

    public struct Point: Sendable, Hashable {
        public var prefillChunk, kvPrefill, decodeCount, kvDecode: Int
        public var ns: Double
        /// The row's line in attention.csv; 0 when not read from a file.
        public var line: Int
        public init(prefillChunk: Int, kvPrefill: Int, decodeCount: Int, kvDecode: Int, ns: Double, line: Int = 0) {
            self.line = line
            self.prefillChunk = prefillChunk
            self.kvPrefill = kvPrefill
            self.decodeCount = decodeCount
            self.kvDecode = kvDecode
            self.ns = ns
        }
    }

    @usableFromInline struct Row: Sendable {
        @usableFromInline let keys: [Int]
        @usableFromInline let values: [Double]
    }

    /// Compiles measured points; duplicate keys must have been refused by the reader.
    public init(points: [Point]) {
        self.points = points
        prefillChunks = Set(points.map(\.prefillChunk)).sorted()
        decodeCounts = Set(points.map(\.decodeCount)).sorted()
        var grouped: [Int: [Int: [Int: [(Int, Double)]]]] = [:]
        for point in points {
            let key = point.prefillChunk * 1_000_003 + point.decodeCount
            grouped[key, default: [:]][point.kvPrefill, default: [:]][point.kvDecode, default: []].append((point.kvDecode, point.ns))
        }
        var sliceOf = [Int](repeating: -1, count: prefillChunks.count * decodeCounts.count)
        var kvPrefill: [[Int]] = []
        var rows: [[Row]] = []
        var pairs: [(Int, Int, Int)] = []
        for (pcIndex, pc) in prefillChunks.enumerated() {
            for (ndIndex, nd) in decodeCounts.enumerated() {
                guard let slice = grouped[pc * 1_000_003 + nd] else { continue }
                let kps = slice.keys.sorted()
                sliceOf[pcIndex * decodeCounts.count + ndIndex] = kvPrefill.count
                pairs.append((pc, nd, kvPrefill.count))
                kvPrefill.append(kps)
                rows.append(kps.map { kp in
                    let byKV = slice[kp]!.keys.sorted()
                    return Row(keys: byKV, values: byKV.map { slice[kp]![$0]![0].1 })
                })
            }
        }
        self.sliceOf = sliceOf
        sliceKVPrefill = kvPrefill
        sliceRows = rows
        self.pairs = pairs.map { (prefillChunk: $0.0, decodeCount: $0.1, slice: $0.2) }
    }

    /// Attention time of one layer for a batch aggregated as LLMServingSim does, ns (whole, at least 1), and
    /// whether any axis went outside its points or a corner was missing.
    @inlinable public func lookup(prefillChunk: Int, kvPrefill: Int, decodeCount: Int, kvDecode: Int) -> (ns: Double, extrapolated: Bool) {
        let pc = max(prefillChunk, 0)
        let nd = max(decodeCount, 0)
        let kp = max(kvPrefill, 0)
        let kv = max(kvDecode, 0)
        var extrapolated = false
        let (pcLow, pcHigh, pcT) = Self.bracket(prefillChunks, pc, &extrapolated)
        let (ndLow, ndHigh, ndT) = Self.bracket(decodeCounts, nd, &extrapolated)
        // A corner of weight 0 leaves the blend as it is, so it is not looked up (nor its absence flagged).
        let c00 = corner(pcLow, ndLow, kp, kv, &extrapolated)
        let c01 = ndT == 0 ? c00 : corner(pcLow, ndHigh, kp, kv, &extrapolated)
        let v0 = c00 + ndT * (c01 - c00)
        guard pcT != 0 else { return (max(1, v0.rounded(.towardZero)), extrapolated) }
        let c10 = corner(pcHigh, ndLow, kp, kv, &extrapolated)
        let c11 = ndT == 0 ? c10 : corner(pcHigh, ndHigh, kp, kv, &extrapolated)
        let v1 = c10 + ndT * (c11 - c10)
        return (max(1, (v0 + pcT * (v1 - v0)).rounded(.towardZero)), extrapolated)
    }

    @inlinable func corner(_ pcIndex: Int, _ ndIndex: Int, _ kp: Int, _ kv: Int, _ extrapolated: inout Bool) -> Double {
        var slice = sliceOf[pcIndex * decodeCounts.count + ndIndex]
        if slice < 0 {
            extrapolated = true
            let pc = prefillChunks[pcIndex], nd = decodeCounts[ndIndex]
            var best = Int.max
            for pair in pairs {
                let distance = (pair.prefillChunk - pc) * (pair.prefillChunk - pc) + (pair.decodeCount - nd) * (pair.decodeCount - nd)
                if distance < best { best = distance; slice = pair.slice }
            }
            if slice < 0 { return 0 }
        }
        let (kpLow, kpHigh, kpT) = Self.bracket(sliceKVPrefill[slice], kp, &extrapolated)
        let rows = sliceRows[slice]
        let low = Self.rowValue(rows[kpLow], kv, &extrapolated)
        if kpLow == kpHigh || kpT == 0 { return low }
        let high = Self.rowValue(rows[kpHigh], kv, &extrapolated)
        return low + kpT * (high - low)
    }

    @inlinable static func rowValue(_ row: Row, _ kv: Int, _ extrapolated: inout Bool) -> Double {
        if row.keys.count == 1 {
            if kv != row.keys[0] { extrapolated = true }
            return row.values[0]
        }
        let (low, high, t) = bracket(row.keys, kv, &extrapolated)
        return row.values[low] + t * (row.values[high] - row.values[low])
    }

    /// Their `_axis_bracket`: (low, high, t); below the first value (0, 0, 0); past the last the top two, t > 1.
    @inlinable static func bracket(_ values: [Int], _ query: Int, _ extrapolated: inout Bool) -> (Int, Int, Double) {
        let count = values.count
        if count == 0 { return (0, 0, 0) }
        if query < values[0] || query > values[count - 1] { extrapolated = true }
        if count == 1 || query <= values[0] { return (0, 0, 0) }
        var low: Int
        var high: Int
        if query >= values[count - 1] {
            low = count - 2
            high = count - 1
        } else {
            low = 0
            high = count - 1
            while high - low > 1 {
                let middle = (low + high) >> 1
                if values[middle] <= query { low = middle } else { high = middle }
            }
        }
        return (low, high, Double(query - values[low]) / Double(values[high] - values[low]))
    }
}
