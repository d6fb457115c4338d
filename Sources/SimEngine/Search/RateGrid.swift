import Foundation

/// The rates a search may probe: a geometric grid, rate(k) = (1 + resolution)^k requests/s for integer k.
/// Probing only grid points makes the search path, and so its answer, a function of which points pass.
public struct RateGrid: Sendable, Hashable, Codable {
    /// Relative step between neighbouring rates (0.02 = 2 %).
    public var resolution: Double
    /// Lowest and highest rate probed, requests/s.
    public var minRate: Double
    public var maxRate: Double

    public init(resolution: Double = 0.02, minRate: Double = 0.01, maxRate: Double = 100_000) throws(SimEngineError) {
        guard resolution >= 0.001, resolution <= 1 else { throw SimEngineError("must be between 0.1 % and 100 %, found \(resolution * 100) %", location: "rate-resolution") }
        guard minRate > 0, minRate < 8, maxRate > 8, maxRate.isFinite else {
            throw SimEngineError("the rate range must contain 8 requests/s (where the search starts), found \(minRate)...\(maxRate)", location: "rate range")
        }
        self.resolution = resolution
        self.minRate = minRate
        self.maxRate = maxRate
    }

    /// Requests per second at grid index `k`, rounded to 6 significant digits so that it prints and parses back the same.
    public func rate(_ k: Int) -> Double {
        let value = pow(1 + resolution, Double(k))
        let scale = pow(10, 5 - floor(log10(value)))
        return (value * scale).rounded() / scale
    }

    public var minIndex: Int { Int((log(minRate) / log(1 + resolution)).rounded(.up)) }
    public var maxIndex: Int { Int((log(maxRate) / log(1 + resolution)).rounded(.down)) }

    /// The grid index the search starts at: the point nearest 8 requests/s, the same for every configuration.
    public var startIndex: Int { min(maxIndex, max(minIndex, Int((log(8) / log(1 + resolution)).rounded()))) }

    /// The highest grid index whose probe passes, or nil when even the lowest rate fails. Starts at `startIndex`,
    /// widens by doubling steps, then bisects; assumes a probe that passes at a rate passes at every lower one.
    public func highestPassing<E: Error>(_ passes: (Int) throws(E) -> Bool) throws(E) -> Int? {
        var low: Int, high: Int
        var step = 16
        if try passes(startIndex) {
            low = startIndex
            while true {
                let next = low + step
                if next >= maxIndex { if try passes(maxIndex) { return maxIndex }; high = maxIndex; break }
                if try passes(next) { low = next; step *= 2 } else { high = next; break }
            }
        } else {
            high = startIndex
            while true {
                let next = high - step
                if next <= minIndex { if try !passes(minIndex) { return nil }; low = minIndex; break }
                if try passes(next) { low = next; break } else { high = next; step *= 2 }
            }
        }
        while high - low > 1 {
            let middle = (low + high) >> 1
            if try passes(middle) { low = middle } else { high = middle }
        }
        return low
    }

    /// A number without trailing zeros: 90, 99.9, 0.5.
    static func trimmed(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }
}
