import Foundation

/// The requests a search offers each configuration: a seeded synthetic workload, or a trace whose arrivals are
/// rescaled to each probed rate (same requests, same arrival pattern, compressed or stretched in time).
public struct SearchWorkload: Sendable, Hashable {
    public enum Source: Sendable, Hashable {
        case synthetic(inputLength: LengthDistribution, outputLength: LengthDistribution, arrivals: SyntheticWorkload.Arrivals, requests: Int)
        /// A trace's requests sorted by arrival, and where they came from.
        case trace(name: String, requests: [RequestSpec])
    }

    public var source: Source
    /// Seeds of the synthetic workload's repetitions; a trace has one arrival sequence, so one repetition.
    public var seeds: [UInt64]
    /// Shortest span of arrivals of one probe, s: more requests than given (or a trace repeated) at high rates, so that
    /// the batch fills and a queue can build; a short burst would be absorbed by an empty engine and overstate capacity.
    public var minSpanSeconds: Double

    public init(source: Source, seeds: [UInt64], minSpanSeconds: Double = 30) throws(SimEngineError) {
        guard !seeds.isEmpty else { throw SimEngineError("needs at least one seed", location: "seeds") }
        guard minSpanSeconds >= 0, minSpanSeconds <= 3600 else {
            throw SimEngineError("must be between 0 and 3600 s, found \(minSpanSeconds)", location: "min-span-s")
        }
        self.minSpanSeconds = minSpanSeconds
        switch source {
        case .synthetic(_, _, _, let requests):
            guard requests >= 10 else { throw SimEngineError("a search needs at least 10 requests per probe, found \(requests)", location: "requests") }
            self.seeds = seeds
        case .trace(let name, let requests):
            guard requests.count >= 2, let first = requests.first, let last = requests.last, last.arrival > first.arrival else {
                throw SimEngineError("a trace to rescale needs at least two requests with different arrival times", location: name)
            }
            self.seeds = [seeds[0]]
        }
        self.source = source
    }

    /// The requests at `rate` requests/s for repetition `seed`, sorted by arrival.
    public func requests(rate: Double, seed: UInt64) -> [RequestSpec] {
        switch source {
        case .synthetic(let input, let output, let arrivals, let count):
            // Validated in init; the rate comes from the search's grid, so this cannot fail.
            let total = max(count, Int((rate * minSpanSeconds).rounded(.up)))
            return Array(try! SyntheticWorkload(rate: rate, count: total, arrivals: arrivals, inputLength: input, outputLength: output, seed: seed))
        case .trace(_, let requests):
            let first = requests[0].arrival.nanoseconds
            let spanNs = Double(requests[requests.count - 1].arrival.nanoseconds - first)
            let scale = (Double(requests.count - 1) / rate * 1e9) / spanNs
            // Repeated back to back, one mean gap apart, until the arrivals span the minimum.
            let periodNs = Double(requests.count) / rate * 1e9
            let repeats = max(1, Int((minSpanSeconds * 1e9 / periodNs).rounded(.up)))
            return (0..<repeats).flatMap { round in
                requests.enumerated().map { offset, spec in
                    var scaled = spec
                    scaled.id = round * requests.count + offset
                    scaled.arrival = SimTime(nanoseconds: Int64((Double(spec.arrival.nanoseconds - first) * scale + Double(round) * periodNs).rounded()))
                    return scaled
                }
            }
        }
    }

    /// What a report prints and a shard file records, so that merged shards can be checked to be one search.
    public var description: String {
        switch source {
        case .synthetic(let input, let output, let arrivals, let requests):
            let pattern = switch arrivals {
            case .poisson: "Poisson"
            case .gamma(let cv): "gamma cv \(RateGrid.trimmed(cv))"
            }
            return "\(requests) requests per probe (or \(RateGrid.trimmed(minSpanSeconds)) s of arrivals), \(pattern) arrivals, input \(input), output \(output), seeds \(seeds.map(String.init).joined(separator: ","))"
        case .trace(let name, let requests):
            let tokens = requests.reduce(0) { $0 &+ $1.inputTokens &* 31 &+ $1.outputTokens }
            return "trace \(URL(fileURLWithPath: name).lastPathComponent) (\(requests.count) requests, checksum \(tokens)), arrivals rescaled to each rate, repeated to span \(RateGrid.trimmed(minSpanSeconds)) s"
        }
    }
}
