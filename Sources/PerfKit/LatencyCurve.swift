/// A monotone piecewise-linear latency curve over one size axis (tokens or cached tokens).
public struct LatencyCurve: Sendable, Hashable {
    /// Sizes, strictly increasing.
    public let sizes: [Double]
    /// Latencies at `sizes`, ns, non-decreasing.
    public let latencies: [Double]

    /// Builds from points in any order; latencies are made non-decreasing so lookups never break monotonicity.
    public init(points: [(size: Int, latencyNs: Int64)]) {
        let sorted = points.sorted { $0.size < $1.size }
        var sizes: [Double] = []
        var latencies: [Double] = []
        sizes.reserveCapacity(sorted.count)
        latencies.reserveCapacity(sorted.count)
        for point in sorted {
            let value = max(Double(point.latencyNs), latencies.last ?? 0)
            if let last = sizes.last, last == Double(point.size) {
                latencies[latencies.count - 1] = max(latencies[latencies.count - 1], value)
            } else {
                sizes.append(Double(point.size))
                latencies.append(value)
            }
        }
        self.sizes = sizes
        self.latencies = latencies
    }

    public var lowerBound: Double { sizes.first ?? 0 }
    public var upperBound: Double { sizes.last ?? 0 }

    /// Whether `size` lies within the points (no extrapolation needed).
    @inlinable public func covers(_ size: Double) -> Bool { size >= lowerBound && size <= upperBound }

    /// Latency at `size`, ns: linear between neighbours; below the first point the first value; past the
    /// last point the last segment's slope continues, which is the roofline's linear growth with size.
    @inlinable public func latency(at size: Double) -> Double {
        let count = sizes.count
        if count < 2 { return latencies.first ?? 0 }
        return sizes.withUnsafeBufferPointer { x in
            latencies.withUnsafeBufferPointer { y in
                if size <= x[0] { return y[0] }
                if size >= x[count - 1] {
                    let slope = max(0, (y[count - 1] - y[count - 2]) / (x[count - 1] - x[count - 2]))
                    return y[count - 1] + slope * (size - x[count - 1])
                }
                var low = 0
                var high = count - 1
                while high - low > 1 {
                    let middle = (low + high) >> 1
                    if x[middle] <= size { low = middle } else { high = middle }
                }
                let t = (size - x[low]) / (x[high] - x[low])
                return y[low] + t * (y[high] - y[low])
            }
        }
    }
}
