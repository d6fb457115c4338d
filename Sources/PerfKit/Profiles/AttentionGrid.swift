/// LLMServingSim's 4-D attention table (`attention.csv`: prefill_chunk, kv_prefill, n_decode, kv_decode), one
/// kernel for a whole mixed batch, looked up as their `_lookup_attention`: linear on each axis, clamped below,
/// extrapolated past the top two points, a missing (prefill_chunk, n_decode) corner replaced by the nearest one.
public struct AttentionGrid: Sendable {
    /// Profiled values of the two outer axes, increasing.
    public let prefillChunks: [Int]
    public let decodeCounts: [Int]
    /// Slice index per (prefill chunk index × decodeCounts.count + decode count index), or -1 when not profiled.
    @usableFromInline let sliceOf: [Int]
    /// Per slice, its kv_prefill values: `kvPrefill[sliceStart[s] ..< sliceStart[s] + sliceCount[s]]`; entry i of
    /// that range is also the index of the row (curve over kv_decode) at that kv_prefill.
    @usableFromInline let sliceStart: [Int]
    @usableFromInline let sliceCount: [Int]
    @usableFromInline let kvPrefill: [Int]
    /// Per row, its kv_decode keys and ns values (raw, not truncated): `kvDecode[rowStart[r] ..< rowStart[r] + rowCount[r]]`.
    @usableFromInline let rowStart: [Int]
    @usableFromInline let rowCount: [Int]
    @usableFromInline let kvDecode: [Int]
    @usableFromInline let values: [Double]
    /// Per cell, the slice used for it: its own, or for a cell not profiled the nearest profiled one.
    @usableFromInline let nearestOf: [Int]
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

    /// Compiles measured points into flat arrays; duplicate keys must have been refused by the reader.
    public init(points: [Point]) {
        self.points = points
        let sorted = points.sorted {
            ($0.prefillChunk, $0.decodeCount, $0.kvPrefill, $0.kvDecode) < ($1.prefillChunk, $1.decodeCount, $1.kvPrefill, $1.kvDecode)
        }
        prefillChunks = Array(Set(points.map(\.prefillChunk))).sorted()
        decodeCounts = Array(Set(points.map(\.decodeCount))).sorted()
        let chunkIndex = Dictionary(uniqueKeysWithValues: prefillChunks.enumerated().map { ($1, $0) })
        let decodeIndex = Dictionary(uniqueKeysWithValues: decodeCounts.enumerated().map { ($1, $0) })
        var sliceOf = [Int](repeating: -1, count: prefillChunks.count * decodeCounts.count)
        var sliceStart: [Int] = [], sliceCount: [Int] = [], kvPrefill: [Int] = []
        var rowStart: [Int] = [], rowCount: [Int] = [], kvDecode: [Int] = [], values: [Double] = []
        var pairs: [(Int, Int, Int)] = []
        for point in sorted {
            let slot = chunkIndex[point.prefillChunk]! * decodeCounts.count + decodeIndex[point.decodeCount]!
            if sliceOf[slot] < 0 {
                sliceOf[slot] = sliceStart.count
                pairs.append((point.prefillChunk, point.decodeCount, sliceStart.count))
                sliceStart.append(kvPrefill.count)
                sliceCount.append(0)
            }
            if sliceCount[sliceCount.count - 1] == 0 || kvPrefill[kvPrefill.count - 1] != point.kvPrefill {
                kvPrefill.append(point.kvPrefill)
                sliceCount[sliceCount.count - 1] += 1
                rowStart.append(kvDecode.count)
                rowCount.append(0)
            }
            kvDecode.append(point.kvDecode)
            values.append(point.ns)
            rowCount[rowCount.count - 1] += 1
        }
        // Their missing-corner rule (the nearest profiled pair, the first of equals in sorted order), once per cell.
        var nearestOf = sliceOf
        for (pcIndex, pc) in prefillChunks.enumerated() {
            for (ndIndex, nd) in decodeCounts.enumerated() where sliceOf[pcIndex * decodeCounts.count + ndIndex] < 0 {
                var best = Int.max
                for pair in pairs {
                    let distance = (pair.0 - pc) * (pair.0 - pc) + (pair.1 - nd) * (pair.1 - nd)
                    if distance < best { best = distance; nearestOf[pcIndex * decodeCounts.count + ndIndex] = pair.2 }
                }
            }
        }
        self.nearestOf = nearestOf
        self.sliceOf = sliceOf
        self.sliceStart = sliceStart
        self.sliceCount = sliceCount
        self.kvPrefill = kvPrefill
        self.rowStart = rowStart
        self.rowCount = rowCount
        self.kvDecode = kvDecode
        self.values = values
    }

    /// Attention time of one layer for a batch aggregated as LLMServingSim does, ns (whole, at least 1), and
    /// whether any axis went outside its points or a corner was missing.
    @inlinable public func lookup(prefillChunk: Int, kvPrefill: Int, decodeCount: Int, kvDecode: Int) -> (ns: Double, extrapolated: Bool) {
        let pc = max(prefillChunk, 0)
        let nd = max(decodeCount, 0)
        let kp = max(kvPrefill, 0)
        let kv = max(kvDecode, 0)
        var extrapolated = false
        let (pcLow, pcHigh, pcT) = LinearBracket.locate(prefillChunks, 0, prefillChunks.count, pc, &extrapolated)
        let (ndLow, ndHigh, ndT) = LinearBracket.locate(decodeCounts, 0, decodeCounts.count, nd, &extrapolated)
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
        let cell = pcIndex * decodeCounts.count + ndIndex
        if sliceOf[cell] < 0 { extrapolated = true }
        let slice = nearestOf[cell]
        if slice < 0 { return 0 }
        let start = sliceStart[slice]
        let (kpLow, kpHigh, kpT) = LinearBracket.locate(kvPrefill, start, sliceCount[slice], kp, &extrapolated)
        let low = rowValue(start + kpLow, kv, &extrapolated)
        if kpLow == kpHigh || kpT == 0 { return low }
        let high = rowValue(start + kpHigh, kv, &extrapolated)
        return low + kpT * (high - low)
    }

    @inlinable func rowValue(_ row: Int, _ kv: Int, _ extrapolated: inout Bool) -> Double {
        let start = rowStart[row]
        if rowCount[row] == 1 {
            if kv != kvDecode[start] { extrapolated = true }
            return values[start]
        }
        let (low, high, t) = LinearBracket.locate(kvDecode, start, rowCount[row], kv, &extrapolated)
        return values[start + low] + t * (values[start + high] - values[start + low])
    }
}
