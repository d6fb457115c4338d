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
    /// Total GPUs per deployment; when set, replicas are these totals ÷ tp (where tp divides them), not `replicas`.
    public var gpus: [Int]?

    public init(models: [String], hardware: [String], tp: [Int] = [1], replicas: [Int] = [1], schedulers: [SchedulerKind] = [.vllm],
                maxNumSeqs: [Int] = [256], maxNumBatchedTokens: [Int] = [8192], gpus: [Int]? = nil) throws(SimEngineError) {
        self.models = models
        self.hardware = hardware
        self.tp = tp
        self.replicas = replicas
        self.schedulers = schedulers
        self.maxNumSeqs = maxNumSeqs
        self.maxNumBatchedTokens = maxNumBatchedTokens
        self.gpus = gpus
        if let gpus, let bad = gpus.first(where: { $0 < 1 }) { throw SimEngineError("must be at least 1, found \(bad)", location: "gpus") }
        guard [models.count, hardware.count, tp.count, replicas.count, schedulers.count, maxNumSeqs.count, maxNumBatchedTokens.count, gpus?.count ?? 1]
            .reduce(1, { $0.multipliedReportingOverflow(by: $1).partialValue }) <= Self.maxConfigurations else {
            throw SimEngineError("more than the \(Self.maxConfigurations) configurations one search runs; shorten a list", location: "grid")
        }
        let lists: [(String, Int)] = [("model", models.count), ("hardware", hardware.count), ("tp", tp.count), ("replicas", replicas.count),
                                      ("scheduler", schedulers.count), ("max-num-seqs", maxNumSeqs.count), ("max-num-batched-tokens", maxNumBatchedTokens.count)]
        for (name, count) in lists where count == 0 { throw SimEngineError("needs at least one value", location: name) }
        for (name, values) in [("tp", tp), ("replicas", replicas), ("max-num-seqs", maxNumSeqs), ("max-num-batched-tokens", maxNumBatchedTokens)] {
            if let bad = values.first(where: { $0 < 1 }) { throw SimEngineError("must be at least 1, found \(bad)", location: name) }
        }
        guard configurationCount > 0 else {
            throw SimEngineError("no tp of \(tp) divides a total of \(gpus ?? []) GPUs", location: "gpus")
        }
    }

    /// The most configurations one search enumerates.
    public static let maxConfigurations = 100_000

    public var configurationCount: Int { configurations.count }

    /// The replica counts of degree `tp`: the list given, or the GPU totals it divides.
    func replicaCounts(tp degree: Int) -> [Int] {
        gpus.map { totals in totals.filter { $0 % degree == 0 }.map { $0 / degree } } ?? replicas
    }

    /// Every configuration, models outermost and max-num-batched-tokens innermost; index i is the same on every machine.
    public var configurations: [DeploymentConfig] {
        var all: [DeploymentConfig] = []
                for model in models { for gpu in hardware { for degree in tp { for count in replicaCounts(tp: degree) {
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
