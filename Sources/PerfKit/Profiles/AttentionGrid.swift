/// LLMServingSim's 4-D attention table (`attention.csv`: prefill_chunk, kv_prefill, n_decode, kv_decode), one
/// kernel for a whole mixed batch, looked up as their `_lookup_attention`: linear on each axis, clamped below,
/// extrapolated past the top two points, a missing (prefill_chunk, n_decode) corner replaced by the nearest one.
public struct AttentionGrid: Sendable {
    /// Profiled values of the two outer axes, increasing.
    public let prefillChunks: [Int]
    public let decodeCounts: [Int]
    /// Slice index per (prefill chunk index × decodeCounts.count + decode count index), or -1 when not profiled.
    @usableFromInline let sliceOf: [Int]
    /// Per cell, the slice used for it: its own, or for a cell not profiled the nearest profiled one.
    @usableFromInline let nearestOf: [Int]
    /// The distinct key lists of the inner axes, flat: `axisKeys[axisStart[a] ..< axisStart[a] + axisCount[a]]`.
    /// Profilers sweep the same keys everywhere, so a lookup brackets each axis once and reuses it across corners.
    @usableFromInline let axisStart: [Int]
    @usableFromInline let axisCount: [Int]
    @usableFromInline let axisKeys: [Int]
    /// Per slice, the axis of its kv_prefill keys and its first row; row i of a slice is at its i-th key.
    @usableFromInline let sliceAxis: [Int]
    @usableFromInline let sliceFirstRow: [Int]
    /// Per row (curve over kv_decode), the axis of its keys and where its ns values start in `values`.
    @usableFromInline let rowAxis: [Int]
    @usableFromInline let rowStart: [Int]
    @usableFromInline let values: [Double]
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
        var axes = AxisInterner()
        var sliceOf = [Int](repeating: -1, count: prefillChunks.count * decodeCounts.count)
        var sliceAxis: [Int] = [], sliceFirstRow: [Int] = [], rowAxis: [Int] = [], rowStart: [Int] = [], values: [Double] = []
        var pairs: [(Int, Int, Int)] = []
        var sliceKeys: [Int] = [], rowKeys: [Int] = []
        func closeRow() {
            if !rowKeys.isEmpty { rowAxis.append(axes.intern(rowKeys)) }
            rowKeys.removeAll()
        }
        func closeSlice() {
            closeRow()
            if !sliceKeys.isEmpty { sliceAxis.append(axes.intern(sliceKeys)) }
            sliceKeys.removeAll()
        }
        for point in sorted {
            let slot = chunkIndex[point.prefillChunk]! * decodeCounts.count + decodeIndex[point.decodeCount]!
            if sliceOf[slot] < 0 {
                closeSlice()
                sliceOf[slot] = sliceFirstRow.count
                pairs.append((point.prefillChunk, point.decodeCount, sliceFirstRow.count))
                sliceFirstRow.append(rowStart.count)
            }
            if sliceKeys.last != point.kvPrefill || rowKeys.isEmpty {
                closeRow()
                sliceKeys.append(point.kvPrefill)
                rowStart.append(values.count)
            }
            rowKeys.append(point.kvDecode)
            values.append(point.ns)
        }
        closeSlice()
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
        axisStart = axes.start
        axisCount = axes.count
        axisKeys = axes.keys
        self.sliceAxis = sliceAxis
        self.sliceFirstRow = sliceFirstRow
        self.rowAxis = rowAxis
        self.rowStart = rowStart
        self.values = values
    }

    /// Attention time of one layer for a batch aggregated as LLMServingSim does, ns (whole, at least 1), and
    /// whether any axis went outside its points or a corner was missing.
    @inlinable public func lookup(prefillChunk: Int, kvPrefill: Int, decodeCount: Int, kvDecode: Int) -> (ns: Double, extrapolated: Bool) {
        let pc = max(prefillChunk, 0)
        let nd = max(decodeCount, 0)
        var query = Query(kvPrefill: max(kvPrefill, 0), kvDecode: max(kvDecode, 0))
        let (pcLow, pcHigh, pcT) = LinearBracket.locate(prefillChunks, 0, prefillChunks.count, pc, &query.extrapolated)
        let (ndLow, ndHigh, ndT) = LinearBracket.locate(decodeCounts, 0, decodeCounts.count, nd, &query.extrapolated)
        // A corner of weight 0 leaves the blend as it is, so it is not looked up (nor its absence flagged).
        let c00 = corner(pcLow, ndLow, &query)
        let c01 = ndT == 0 ? c00 : corner(pcLow, ndHigh, &query)
        let v0 = c00 + ndT * (c01 - c00)
        guard pcT != 0 else { return (max(1, v0.rounded(.towardZero)), query.extrapolated) }
        let c10 = corner(pcHigh, ndLow, &query)
        let c11 = ndT == 0 ? c10 : corner(pcHigh, ndHigh, &query)
        let v1 = c10 + ndT * (c11 - c10)
        return (max(1, (v0 + pcT * (v1 - v0)).rounded(.towardZero)), query.extrapolated)
    }

    @inlinable func corner(_ pcIndex: Int, _ ndIndex: Int, _ query: inout Query) -> Double {
        let cell = pcIndex * decodeCounts.count + ndIndex
        if sliceOf[cell] < 0 { query.extrapolated = true }
        let slice = nearestOf[cell]
        if slice < 0 { return 0 }
        let kp = bracket(sliceAxis[slice], query.kvPrefill, &query.kvPrefillBracket, &query.extrapolated)
        let firstRow = sliceFirstRow[slice]
        let low = rowValue(firstRow + kp.low, &query)
        if kp.low == kp.high || kp.t == 0 { return low }
        let high = rowValue(firstRow + kp.high, &query)
        return low + kp.t * (high - low)
    }

    @inlinable func rowValue(_ row: Int, _ query: inout Query) -> Double {
        let kv = bracket(rowAxis[row], query.kvDecode, &query.kvDecodeBracket, &query.extrapolated)
        let start = rowStart[row]
        if kv.low == kv.high { return values[start + kv.low] }
        return values[start + kv.low] + kv.t * (values[start + kv.high] - values[start + kv.low])
    }

    /// `LinearBracket.locate` on one axis, reusing the last answer when the axis is the same.
    @inlinable func bracket(_ axis: Int, _ key: Int, _ memo: inout Bracket, _ extrapolated: inout Bool) -> Bracket {
        if memo.axis != axis {
            let (low, high, t) = LinearBracket.locate(axisKeys, axisStart[axis], axisCount[axis], key, &extrapolated)
            memo = Bracket(axis: axis, low: low, high: high, t: t)
        }
        return memo
    }

    /// One lookup's inner keys, the last bracket found on each inner axis, and whether anything extrapolated.
    @usableFromInline struct Query {
        @usableFromInline let kvPrefill: Int
        @usableFromInline let kvDecode: Int
        @usableFromInline var kvPrefillBracket = Bracket()
        @usableFromInline var kvDecodeBracket = Bracket()
        @usableFromInline var extrapolated = false
        @inlinable init(kvPrefill: Int, kvDecode: Int) {
            self.kvPrefill = kvPrefill
            self.kvDecode = kvDecode
        }
    }

    @usableFromInline struct Bracket {
        @usableFromInline var axis = -1
        @usableFromInline var low = 0
        @usableFromInline var high = 0
        @usableFromInline var t = 0.0
        @inlinable init() {}
        @inlinable init(axis: Int, low: Int, high: Int, t: Double) {
            self.axis = axis
            self.low = low
            self.high = high
            self.t = t
        }
    }
}

/// Distinct increasing key lists, stored once each.
private struct AxisInterner {
    var start: [Int] = []
    var count: [Int] = []
    var keys: [Int] = []
    private var index: [[Int]: Int] = [:]

    mutating func intern(_ axis: [Int]) -> Int {
        if let known = index[axis] { return known }
        index[axis] = start.count
        start.append(keys.count)
        count.append(axis.count)
        keys.append(contentsOf: axis)
        return start.count - 1
    }
}
