/// One measured layer over one size axis (batch tokens or sequences), looked up as LLMServingSim's `_lookup_1d`
/// (serving/core/trace_generator.py): linear between points, clamped below the first, extrapolated past the last
/// from the top two points, and the result truncated to whole ns, at least 1.
public struct MeasuredCurve: Sendable, Hashable {
    /// Sizes, strictly increasing.
    public let keys: [Int]
    /// Latency at each key, whole ns (µs × 1000, rounded half to even as pandas does, at least 1).
    public let valuesNs: [Double]

    public init(keys: [Int], valuesNs: [Double]) {
        self.keys = keys
        self.valuesNs = valuesNs
    }

    /// A µs time as LLMServingSim loads it: round(µs × 1000) half to even, at least 1 ns.
    @inlinable public static func loadedNs(micros: Double) -> Double {
        max(1, (micros * 1000).rounded(.toNearestOrEven))
    }

    public var lowerBound: Int { keys.first ?? 0 }
    public var upperBound: Int { keys.last ?? 0 }

    /// Whether `size` lies within the points.
    @inlinable public func covers(_ size: Int) -> Bool { size >= lowerBound && size <= upperBound }

    /// Latency at `size` (clamped to at least 1, as the simulator queries), ns.
    @inlinable public func ns(at size: Int) -> Double {
        let query = max(size, 1)
        let count = keys.count
        if count == 0 { return 0 }
        if count == 1 { return valuesNs[0] }
        var extrapolated = false
        let (low, high, t) = LinearBracket.locate(keys, 0, count, query, &extrapolated)
        return max(1, (valuesNs[low] + t * (valuesNs[high] - valuesNs[low])).rounded(.towardZero))
    }
}
