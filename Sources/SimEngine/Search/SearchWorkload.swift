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

    public init(source: Source, seeds: [UInt64]) throws(SimEngineError) {
        guard !seeds.isEmpty else { throw SimEngineError("needs at least one seed", location: "seeds") }
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
            return Array(try! SyntheticWorkload(rate: rate, count: count, arrivals: arrivals, inputLength: input, outputLength: output, seed: seed))
        case .trace(_, let requests):
            let first = requests[0].arrival.nanoseconds
            let spanNs = Double(requests[requests.count - 1].arrival.nanoseconds - first)
            let scale = (Double(requests.count - 1) / rate * 1e9) / spanNs
            return requests.map { spec in
                var scaled = spec
                scaled.arrival = SimTime(nanoseconds: Int64((Double(spec.arrival.nanoseconds - first) * scale).rounded()))
                return scaled
            }
        }
    }

    /// Requests per probe.
    public var requestCount: Int {
        switch source {
        case .synthetic(_, _, _, let requests): requests
        case .trace(_, let requests): requests.count
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
            return "\(requests) requests per probe, \(pattern) arrivals, input \(input), output \(output), seeds \(seeds.map(String.init).joined(separator: ","))"
        case .trace(let name, let requests):
            let tokens = requests.reduce(0) { $0 &+ $1.inputTokens &* 31 &+ $1.outputTokens }
            return "trace \(URL(fileURLWithPath: name).lastPathComponent) (\(requests.count) requests, checksum \(tokens)), arrivals rescaled to each rate"
        }
    }
}
