import Foundation

/// Seeded synthetic requests: Poisson or gamma arrivals at a mean rate, with drawn prompt and output lengths.
public struct SyntheticWorkload: Sequence, Sendable {
    public enum Arrivals: Sendable, Hashable {
        /// Exponential gaps (coefficient of variation 1).
        case poisson
        /// Gamma gaps with the given coefficient of variation (burstier above 1).
        case gamma(cv: Double)
    }

    /// Mean requests per second.
    public var rate: Double
    public var count: Int
    public var arrivals: Arrivals
    public var inputLength: LengthDistribution
    public var outputLength: LengthDistribution
    public var seed: UInt64
    /// Time of the first arrival.
    public var start: SimTime

    /// The longest expected span of arrivals, s: far inside the ~292 years that integer nanoseconds can count.
    public static let maxExpectedSpanSeconds = 1e7

    public init(rate: Double, count: Int, arrivals: Arrivals = .poisson, inputLength: LengthDistribution,
                outputLength: LengthDistribution, seed: UInt64 = 0, start: SimTime = .zero) throws(SimEngineError) {
        guard rate > 0, rate.isFinite else { throw SimEngineError("must be a positive number, found \(rate)", location: "rate") }
        guard count >= 0 else { throw SimEngineError("must not be negative, found \(count)", location: "requests") }
        if case .gamma(let cv) = arrivals, !(cv > 0 && cv.isFinite) {
            throw SimEngineError("must be a positive number, found \(cv)", location: "burstiness (cv)")
        }
        guard Double(count) / rate <= Self.maxExpectedSpanSeconds else {
            throw SimEngineError(
                "\(count) requests at \(rate)/s span about \(Double(count) / rate) s; the simulator keeps arrivals within \(Int(Self.maxExpectedSpanSeconds)) s (about 115 days)",
                location: "rate")
        }
        self.rate = rate
        self.count = count
        self.arrivals = arrivals
        self.inputLength = inputLength
        self.outputLength = outputLength
        self.seed = seed
        self.start = start
    }

    public func makeIterator() -> Iterator { Iterator(workload: self) }

    public struct Iterator: IteratorProtocol, Sendable {
        let workload: SyntheticWorkload
        var generator: SeededGenerator
        var produced = 0
        var clockSeconds = 0.0

        init(workload: SyntheticWorkload) {
            self.workload = workload
            generator = SeededGenerator(seed: workload.seed)
        }

        public mutating func next() -> RequestSpec? {
            guard produced < workload.count else { return nil }
            let gap: Double
            switch workload.arrivals {
            case .poisson: gap = -log(generator.unitInterval()) / workload.rate
            case .gamma(let cv):
                let shape = 1 / (cv * cv)
                gap = generator.gamma(shape: shape) / (shape * workload.rate)
            }
            if produced > 0 { clockSeconds += gap }
            let spec = RequestSpec(
                id: produced, inputTokens: workload.inputLength.sample(using: &generator),
                outputTokens: workload.outputLength.sample(using: &generator),
                arrival: workload.start + .seconds(clockSeconds))
            produced += 1
            return spec
        }
    }
}
