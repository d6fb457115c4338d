/// Latency of an attention layer over (new tokens, cached tokens): one kv curve per input point,
/// interpolated linearly between the two nearest input points.
public struct AttentionSurface: Sendable, Hashable {
    /// Input (new-token) points, strictly increasing.
    public let inputs: [Double]
    /// The kv curve at each input point.
    public let curves: [LatencyCurve]

    public init(points: [(input: Int, kvCache: Int, latencyNs: Int64)]) {
        var byInput: [Int: [(size: Int, latencyNs: Int64)]] = [:]
        for point in points { byInput[point.input, default: []].append((point.kvCache, point.latencyNs)) }
        let sortedInputs = byInput.keys.sorted()
        inputs = sortedInputs.map(Double.init)
        // Each chunk's curve is raised to at least the previous input's curve on the union of their kv points, so that
        // latency never falls as new tokens grow, whatever kv grid each input point has. The decode curve (input 1)
        // raises nothing: vLLM runs a decode as split-KV and its combine, a chunk as one kernel, which may cost less.
        var monotone: [LatencyCurve] = []
        for (index, input) in sortedInputs.enumerated() {
            let own = LatencyCurve(points: byInput[input]!)
            guard let previous = monotone.last, sortedInputs[index - 1] != 1 else {
                monotone.append(own)
                continue
            }
            let sizes = Set(own.sizes + previous.sizes).sorted()
            monotone.append(LatencyCurve(points: sizes.map { size in
                (Int(size), Int64(max(own.latency(at: size), previous.latency(at: size)).rounded(.up)))
            }))
        }
        curves = monotone
    }

    /// Whether (input, kvCache) lies inside the points.
    public func covers(input: Double, kvCache: Double) -> Bool {
        guard let first = inputs.first, let last = inputs.last, input >= first, input <= last else { return false }
        let upper = inputs.firstIndex { $0 >= input }!
        return curves[upper].covers(kvCache) && curves[max(0, inputs[upper] == input ? upper : upper - 1)].covers(kvCache)
    }

    /// Latency at (input, kvCache), ns; never below the smaller input's value at the same kvCache.
    @inlinable public func latency(input: Double, kvCache: Double) -> Double {
        let count = inputs.count
        if count == 0 { return 0 }
        if count == 1 || input <= inputs[0] { return curves[0].latency(at: kvCache) }
        var low = 0
        var high = count - 1
        if input >= inputs[count - 1] {
            low = count - 2
        } else {
            while high - low > 1 {
                let middle = (low + high) >> 1
                if inputs[middle] <= input { low = middle } else { high = middle }
            }
        }
        let lowValue = curves[low].latency(at: kvCache)
        let highValue = curves[high].latency(at: kvCache)
        let t = (input - inputs[low]) / (inputs[high] - inputs[low])
        return max(lowValue, lowValue + t * (highValue - lowValue))
    }
}
