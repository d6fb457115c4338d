public import Foundation

/// How the ranked table is ordered.
public enum SearchRanking: String, Sendable, Codable, CaseIterable {
    /// Highest capacity first.
    case rate
    /// Most output tokens per second per GPU first.
    case throughputPerGPU = "throughput-per-gpu"
    /// Fewest dollars per million output tokens first (unpriced last).
    case cost
}

/// The outcome of a search: every configuration ranked, with throughput, cost, the Pareto set and, when asked,
/// the cheapest configuration meeting a target rate. Built from results alone, so merged shards give the same bytes.
public struct SearchReport: Sendable, Hashable, Codable {
    /// One searched configuration with what follows from its capacity.
    public struct Row: Sendable, Hashable, Codable {
        public var rank: Int
        public var index: Int
        public var config: DeploymentConfig
        public var gpus: Int
        /// Highest rate meeting the SLO, requests/s (median over seeds).
        public var capacityRPS: Double
        public var capacityBySeed: [Double]
        /// Half the per-seed range over the median, %; nil with one seed.
        public var spreadPercent: Double?
        public var reachedMaxRate: Bool
        /// Output tokens per second at capacity, per GPU and per replica.
        public var outputTokensPerSecondPerGPU: Double
        public var outputTokensPerSecondPerReplica: Double
        /// Output tokens per second one user sees (1000 / mean TPOT in ms) at capacity.
        public var tokensPerSecondPerUser: Double
        /// Latencies at capacity, at the SLO's percentile.
        public var latencyAtCapacity: LatencyAtPercentile?
        public var usdPerHour: Double?
        public var usdPerMillionOutputTokens: Double?
        public var onParetoFront: Bool
        /// Latency against rate around the capacity (full runs of the median seed).
        public var curve: [ProbePoint]
    }

    public struct Skipped: Sendable, Hashable, Codable {
        public var index: Int
        public var config: DeploymentConfig
        public var reason: String
    }

    /// The answer to `--target-rate`.
    public struct Target: Sendable, Hashable, Codable {
        public var rate: Double
        /// Rank (in `rows`) of the cheapest configuration sustaining the rate; nil when none does.
        public var cheapestRank: Int?
        /// How "cheapest" was decided: dollars per hour, or GPUs when some candidates have no price.
        public var basis: String
    }

    public var spec: SearchSpec
    public var ranking: SearchRanking
    public var rows: [Row]
    public var skipped: [Skipped]
    public var prices: [PriceList.Entry]
    public var target: Target?
    /// Median over configurations of the per-seed spread, %; nil with one seed.
    public var medianSpreadPercent: Double?

    public init(spec: SearchSpec, results: [ConfigurationResult], prices: PriceList, ranking: SearchRanking = .rate, targetRate: Double? = nil) {
        self.spec = spec
        self.ranking = ranking
        let searched = results.filter { $0.skipped == nil }.sorted { $0.index < $1.index }
        skipped = results.compactMap { result in result.skipped.map { Skipped(index: result.index, config: result.config, reason: $0) } }
            .sorted { $0.index < $1.index }
        func round(_ value: Double) -> Double { RunSummary.Distribution.round(value) }
        var built: [Row] = searched.map { result in
            let throughput = result.atCapacity?.outputTokensPerSecond ?? 0
            let meanTPOT = result.atCapacity?.latency.meanTPOTMs ?? 0
            let price = prices.price(of: result.config.hardware)
            let perHour = price.map { round($0.usdPerGPUHour * Double(result.config.gpus)) }
            let perMillion = perHour.flatMap { throughput > 0 ? round($0 / (throughput * 3600) * 1e6) : nil }
            return Row(rank: 0, index: result.index, config: result.config, gpus: result.config.gpus, capacityRPS: result.capacityRPS,
                       capacityBySeed: result.capacityBySeed, spreadPercent: result.spreadPercent, reachedMaxRate: result.reachedMaxRate,
                       outputTokensPerSecondPerGPU: round(throughput / Double(result.config.gpus)),
                       outputTokensPerSecondPerReplica: round(throughput / Double(result.config.replicas)),
                       tokensPerSecondPerUser: meanTPOT > 0 ? round(1000 / meanTPOT) : 0, latencyAtCapacity: result.atCapacity?.latency,
                       usdPerHour: perHour, usdPerMillionOutputTokens: perMillion, onParetoFront: false, curve: result.curve)
        }
        let served = built.indices.filter { built[$0].capacityRPS > 0 }
        for position in ParetoFront.indices(of: served.map { (built[$0].outputTokensPerSecondPerGPU, built[$0].tokensPerSecondPerUser) }) {
            built[served[position]].onParetoFront = true
        }
        built.sort { Self.precedes($0, $1, by: ranking) }
        for position in built.indices { built[position].rank = position + 1 }
        rows = built
        let used = Set(built.map(\.config.hardware))
        self.prices = prices.entries.filter { entry in used.contains { $0.caseInsensitiveCompare(entry.gpu) == .orderedSame } }
        let spreads = built.compactMap(\.spreadPercent).sorted()
        medianSpreadPercent = spreads.isEmpty ? nil : spreads[(spreads.count - 1) / 2]
        target = targetRate.map { rate in Self.cheapest(meeting: rate, in: built) }
    }

    private static func precedes(_ a: Row, _ b: Row, by ranking: SearchRanking) -> Bool {
        switch ranking {
        case .rate: return (-a.capacityRPS, -a.outputTokensPerSecondPerGPU, a.index) < (-b.capacityRPS, -b.outputTokensPerSecondPerGPU, b.index)
        case .throughputPerGPU: return (-a.outputTokensPerSecondPerGPU, -a.capacityRPS, a.index) < (-b.outputTokensPerSecondPerGPU, -b.capacityRPS, b.index)
        case .cost:
            let costA = a.usdPerMillionOutputTokens ?? .infinity, costB = b.usdPerMillionOutputTokens ?? .infinity
            return (costA, -a.capacityRPS, a.index) < (costB, -b.capacityRPS, b.index)
        }
    }

    /// Among configurations sustaining `rate`: the lowest $/hour when all of them are priced, else the fewest GPUs.
    private static func cheapest(meeting rate: Double, in rows: [Row]) -> Target {
        let candidates = rows.filter { $0.capacityRPS >= rate }
        let priced = candidates.allSatisfy { $0.usdPerHour != nil }
        let basis = priced ? "lowest $/hour" : "fewest GPUs (some candidates have no price)"
        let best = candidates.min { a, b in
            let costA = priced ? a.usdPerHour! : Double(a.gpus), costB = priced ? b.usdPerHour! : Double(b.gpus)
            return (costA, -a.capacityRPS, a.rank) < (costB, -b.capacityRPS, b.rank)
        }
        return Target(rate: rate, cheapestRank: best?.rank, basis: basis)
    }

    /// Pretty, key-sorted JSON: byte-identical for identical searches.
    public func jsonData() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return (try? encoder.encode(self)) ?? Data()
    }
}
