/// A log-linear histogram of nanosecond durations: exact below 1,024 ns, then 512 buckets per power of two
/// (relative error under 0.2 %). Memory is fixed, so it records millions of samples in constant space.
public struct LatencyHistogram: Sendable, Hashable {
    private static let linearLimit: Int64 = 1024
    private static let subBuckets = 512
    private static let bucketCount = 1024 + (63 - 10) * 512

    private var counts: [Int64]
    public private(set) var count: Int64 = 0
    /// Sum of all samples, ns (exact, for the mean).
    public private(set) var sum: Double = 0
    public private(set) var max: Int64 = 0
    public private(set) var min: Int64 = .max

    public init() { counts = [Int64](repeating: 0, count: Self.bucketCount) }

    static func bucket(of value: Int64) -> Int {
        if value < linearLimit { return Int(Swift.max(0, value)) }
        let exponent = 63 - value.leadingZeroBitCount
        let top = Int(value >> (exponent - 9))
        return 1024 + (exponent - 10) * subBuckets + (top - subBuckets)
    }

    /// The midpoint of a bucket, ns.
    static func value(ofBucket index: Int) -> Int64 {
        if index < 1024 { return Int64(index) }
        let exponent = (index - 1024) / subBuckets + 10
        let top = Int64((index - 1024) % subBuckets + subBuckets)
        let width = Int64(1) << (exponent - 9)
        return top * width + width / 2
    }

    /// Adds one sample, ns.
    public mutating func record(_ nanoseconds: Int64) {
        counts[Self.bucket(of: nanoseconds)] += 1
        count += 1
        sum += Double(nanoseconds)
        if nanoseconds > max { max = nanoseconds }
        if nanoseconds < min { min = nanoseconds }
    }

    /// Mean, ns; 0 when empty.
    public var mean: Double { count > 0 ? sum / Double(count) : 0 }

    /// The value at quantile `q` (0...1), ns, clamped to the recorded range; 0 when empty.
    public func quantile(_ q: Double) -> Int64 {
        guard count > 0 else { return 0 }
        let rank = Swift.max(1, Int64((q * Double(count)).rounded(.up)))
        var seen: Int64 = 0
        for (index, bucketCount) in counts.enumerated() where bucketCount > 0 {
            seen += bucketCount
            if seen >= rank { return Swift.min(Swift.max(Self.value(ofBucket: index), min), max) }
        }
        return max
    }
}
