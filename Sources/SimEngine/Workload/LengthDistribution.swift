import Foundation

/// A distribution of token counts for synthetic prompts or outputs.
public enum LengthDistribution: Sendable, Hashable, CustomStringConvertible {
    case fixed(Int)
    /// Uniform over min...max inclusive.
    case uniform(min: Int, max: Int)
    /// Log-normal with the given mean (tokens) and σ of the underlying normal; clamped to 1...cap.
    case lognormal(mean: Double, sigma: Double, cap: Int)

    /// Parses `512`, `fixed:512`, `uniform:128:1024` or `lognormal:512:0.8[:cap]`.
    public init(parsing text: String) throws(SimEngineError) {
        let parts = text.split(separator: ":").map(String.init)
        func int(_ index: Int) throws(SimEngineError) -> Int {
            guard index < parts.count, let value = Int(parts[index]), value >= 1 else {
                throw SimEngineError("\"\(text)\": expected a positive integer in part \(index + 1); accepted: N, fixed:N, uniform:MIN:MAX, lognormal:MEAN:SIGMA[:CAP]")
            }
            return value
        }
        func double(_ index: Int) throws(SimEngineError) -> Double {
            guard index < parts.count, let value = Double(parts[index]), value > 0, value.isFinite else {
                throw SimEngineError("\"\(text)\": expected a positive number in part \(index + 1); accepted: N, fixed:N, uniform:MIN:MAX, lognormal:MEAN:SIGMA[:CAP]")
            }
            return value
        }
        switch parts.first {
        case "fixed": self = .fixed(try int(1))
        case "uniform":
            let low = try int(1), high = try int(2)
            guard low <= high else { throw SimEngineError("\"\(text)\": min \(low) is above max \(high)") }
            self = .uniform(min: low, max: high)
        case "lognormal":
            let mean = try double(1), sigma = try double(2)
            guard mean <= 1e8, sigma <= 10 else {
                throw SimEngineError("\"\(text)\": mean must be at most 1e8 tokens and sigma at most 10")
            }
            self = .lognormal(mean: mean, sigma: sigma, cap: parts.count > 3 ? try int(3) : max(1, Int(mean * 8)))
        default:
            guard parts.count == 1 else {
                throw SimEngineError("\"\(text)\": unknown distribution; accepted: N, fixed:N, uniform:MIN:MAX, lognormal:MEAN:SIGMA[:CAP]")
            }
            self = .fixed(try int(0))
        }
    }

    /// Draws one length, tokens.
    public func sample(using generator: inout SeededGenerator) -> Int {
        switch self {
        case .fixed(let value): return value
        case .uniform(let low, let high): return low + Int(generator.next() % UInt64(high - low + 1))
        case .lognormal(let mean, let sigma, let cap):
            let mu = log(mean) - sigma * sigma / 2
            let value = exp(mu + sigma * generator.standardNormal())
            return min(cap, max(1, Int(min(value, 1e9).rounded())))
        }
    }

    public var description: String {
        switch self {
        case .fixed(let value): "\(value)"
        case .uniform(let low, let high): "uniform:\(low):\(high)"
        case .lognormal(let mean, let sigma, let cap): "lognormal:\(mean):\(sigma):\(cap)"
        }
    }
}
