import Foundation

/// The lists a search spans; their Cartesian product, in a fixed order, is the set of configurations.
public struct SearchGrid: Sendable, Hashable, Codable {
    public var models: [String]
    public var hardware: [String]
    public var tp: [Int]
    public var replicas: [Int]
    public var schedulers: [SchedulerKind]
    public var maxNumSeqs: [Int]
    public var maxNumBatchedTokens: [Int]

    public init(models: [String], hardware: [String], tp: [Int] = [1], replicas: [Int] = [1], schedulers: [SchedulerKind] = [.vllm],
                maxNumSeqs: [Int] = [256], maxNumBatchedTokens: [Int] = [8192]) throws(SimEngineError) {
        self.models = models
        self.hardware = hardware
        self.tp = tp
        self.replicas = replicas
        self.schedulers = schedulers
        self.maxNumSeqs = maxNumSeqs
        self.maxNumBatchedTokens = maxNumBatchedTokens
        let lists: [(String, Int)] = [("model", models.count), ("hardware", hardware.count), ("tp", tp.count), ("replicas", replicas.count),
                                      ("scheduler", schedulers.count), ("max-num-seqs", maxNumSeqs.count), ("max-num-batched-tokens", maxNumBatchedTokens.count)]
        for (name, count) in lists where count == 0 { throw SimEngineError("needs at least one value", location: name) }
        for (name, values) in [("tp", tp), ("replicas", replicas), ("max-num-seqs", maxNumSeqs), ("max-num-batched-tokens", maxNumBatchedTokens)] {
            if let bad = values.first(where: { $0 < 1 }) { throw SimEngineError("must be at least 1, found \(bad)", location: name) }
        }
        guard configurationCount <= Self.maxConfigurations else {
            throw SimEngineError("\(configurationCount) configurations is more than the \(Self.maxConfigurations) one search runs; shorten a list", location: "grid")
        }
    }

    /// The most configurations one search enumerates.
    public static let maxConfigurations = 100_000

    public var configurationCount: Int {
        [models.count, hardware.count, tp.count, replicas.count, schedulers.count, maxNumSeqs.count, maxNumBatchedTokens.count].reduce(1, *)
    }

    /// Every configuration, models outermost and max-num-batched-tokens innermost; index i is the same on every machine.
    public var configurations: [DeploymentConfig] {
        var all: [DeploymentConfig] = []
        all.reserveCapacity(configurationCount)
        for model in models { for gpu in hardware { for degree in tp { for count in replicas {
            for kind in schedulers { for seqs in maxNumSeqs { for tokens in maxNumBatchedTokens {
                all.append(DeploymentConfig(model: model, hardware: gpu, tp: degree, replicas: count, scheduler: kind, maxNumSeqs: seqs, maxNumBatchedTokens: tokens))
            } } }
        } } } }
        return all
    }

    /// Parses `1,2,4`, `1..8` (every integer) or a mix, `1..4,8`.
    public static func integers(_ text: String, name: String) throws(SimEngineError) -> [Int] {
        var values: [Int] = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let bounds = part.components(separatedBy: "..")
            guard let low = Int(bounds[0]), bounds.count <= 2, let high = bounds.count == 2 ? Int(bounds[1]) : low, low <= high, high - low < 10_000 else {
                throw SimEngineError("expected integers like 1,2,4 or a range like 1..8, found \"\(text)\"", location: name)
            }
            values += Array(low...high)
        }
        return values
    }
}
