import Foundation
import PerfKit

/// Finds each configuration's highest rate whose SLO holds, by bisection on the rate grid, for every seed.
/// Each (configuration, seed) is a pure function of its inputs, so results do not depend on how many run at once.
public struct CapacitySearch: Sendable {
    public var grid: SearchGrid
    public var workload: SearchWorkload
    public var slo: PercentileSLO
    public var rates: RateGrid
    public var scheduler: SchedulerConfig
    public var router: RouterPolicy

    public init(grid: SearchGrid, workload: SearchWorkload, slo: PercentileSLO, rates: RateGrid,
                scheduler: SchedulerConfig = SchedulerConfig(), router: RouterPolicy = .roundRobin) {
        self.grid = grid
        self.workload = workload
        self.slo = slo
        self.rates = rates
        self.scheduler = scheduler
        self.router = router
    }

    public var spec: SearchSpec {
        SearchSpec(grid: grid, workload: workload.description, slo: slo, rates: rates, scheduler: scheduler, router: router)
    }

    /// Searches the configurations at `indices` (default all) with up to `concurrency` running at once; results by index.
    public func run(loader: EngineLoader, indices: [Int]? = nil, concurrency: Int = ProcessInfo.processInfo.activeProcessorCount) async -> [ConfigurationResult] {
        let (configs, tables) = prepare(loader: loader, indices: indices)
        var results: [Int: ConfigurationResult] = [:]
        await withTaskGroup(of: ConfigurationResult.self) { group in
            var next = 0
            func addJob() {
                let (index, config) = configs[next]
                next += 1
                group.addTask { evaluate(index: index, config: config, table: tables.table(for: config)) }
            }
            while next < min(configs.count, max(1, concurrency)) { addJob() }
            for await result in group {
                results[result.index] = result
                if next < configs.count { addJob() }
            }
        }
        return configs.map { results[$0.0]! }
    }

    /// The same search on the calling thread, one configuration after another; stops early (returning what is done)
    /// when `interrupted` says so between configurations.
    public func runSequentially(loader: EngineLoader, indices: [Int]? = nil, interrupted: () -> Bool = { false }) -> [ConfigurationResult] {
        let (configs, tables) = prepare(loader: loader, indices: indices)
        var results: [ConfigurationResult] = []
        for (index, config) in configs {
            if interrupted() { break }
            results.append(evaluate(index: index, config: config, table: tables.table(for: config)))
        }
        return results
    }

    private func prepare(loader: EngineLoader, indices: [Int]?) -> ([(Int, DeploymentConfig)], SearchTables) {
        let all = grid.configurations
        let chosen = (indices ?? Array(all.indices)).filter { all.indices.contains($0) }.map { ($0, all[$0]) }
        return (chosen, SearchTables(loader: loader, configs: chosen.map(\.1)))
    }

    /// Fractions of the capacity at which the latency curve of a configuration is run in full (median seed).
    public static let curveFractions = [0.25, 0.5, 0.75, 0.9, 1.0, 1.1]

    /// One configuration: bisection over the rate grid for every seed, the median, then its latency curve.
    func evaluate(index: Int, config: DeploymentConfig, table: Result<(ModelLatencyTable, GPUSpec), SimEngineError>) -> ConfigurationResult {
        do {
            let engine = try makeEngine(config, table: table)
            var capacities: [Int?] = []
            var atCapacity: [ProbePoint?] = []
            for seed in workload.seeds {
                var passed: [Int: ProbePoint] = [:]
                let capacity = try rates.highestPassing { (k: Int) throws(SimEngineError) -> Bool in
                    guard let point = try probe(engine, rate: rates.rate(k), seed: seed, stopOnFailure: true) else { return false }
                    passed[k] = point
                    return point.latency.passed
                }
                capacities.append(capacity)
                atCapacity.append(capacity.flatMap { passed[$0] })
            }
            let order = capacities.indices.sorted { (capacities[$0] ?? Int.min, $0) < (capacities[$1] ?? Int.min, $1) }
            let median = order[(order.count - 1) / 2]
            let capacityRate = capacities[median].map(rates.rate) ?? 0
            let curve = try capacities[median] == nil ? [] : Self.curveFractions.map { fraction throws(SimEngineError) in
                fraction == 1 ? atCapacity[median]! : try probe(engine, rate: capacityRate * fraction, seed: workload.seeds[median], stopOnFailure: false)!
            }
            return ConfigurationResult(
                index: index, config: config, skipped: nil, capacityRPS: capacityRate, capacityBySeed: capacities.map { $0.map(rates.rate) ?? 0 },
                reachedMaxRate: capacities[median] == rates.maxIndex, atCapacity: atCapacity[median], curve: curve)
        } catch {
            return .skipped(index: index, config: config, reason: error.description)
        }
    }

    private func makeEngine(_ config: DeploymentConfig, table: Result<(ModelLatencyTable, GPUSpec), SimEngineError>) throws(SimEngineError) -> ServingEngine {
        let (compiled, gpu) = try table.get()
        var settings = scheduler
        settings.kind = config.scheduler
        settings.maxNumSeqs = config.maxNumSeqs
        settings.maxNumBatchedTokens = config.maxNumBatchedTokens
        return try ServingEngine(table: compiled, gpu: gpu, config: settings, replicas: config.replicas, router: router)
    }

    /// One run of the workload at `rate`; nil when `stopOnFailure` and the run was stopped as soon as more requests had
    /// missed a target than the percentile allows (the SLO cannot hold any more). A workload the engine refuses any
    /// request of cannot be served at all.
    func probe(_ engine: ServingEngine, rate: Double, seed: UInt64, stopOnFailure: Bool) throws(SimEngineError) -> ProbePoint? {
        var engine = engine
        let requests = workload.requests(rate: rate, seed: seed)
        let allowed = requests.count - Int((slo.percentile / 100 * Double(requests.count)).rounded(.up))
        let limits = (ttft: slo.ttftMs.map { $0 * 1e6 } ?? .infinity, tpot: slo.tpotMs.map { $0 * 1e6 } ?? .infinity, e2e: slo.e2eMs.map { $0 * 1e6 } ?? .infinity)
        var missed = (ttft: 0, tpot: 0, e2e: 0)
        var rejection: String?
        var next = 0
        while true {
            if next < requests.count, engine.nextEventTime.map({ requests[next].arrival <= $0 }) ?? true {
                engine.submit(requests[next])
                next += 1
                continue
            }
            guard engine.step() else { break }
            engine.drainEvents { event in
                switch event {
                case .finished(let record):
                    if Double(record.ttft.nanoseconds) > limits.ttft { missed.ttft += 1 }
                    if record.outputTokens > 1, Double(record.tpot.nanoseconds) > limits.tpot { missed.tpot += 1 }
                    if Double(record.latency.nanoseconds) > limits.e2e { missed.e2e += 1 }
                case .rejected(_, let reason, _): rejection = rejection ?? reason
                default: break
                }
            }
            if rejection != nil { break }
            if stopOnFailure, max(missed.ttft, missed.tpot, missed.e2e) > allowed { return nil }
        }
        engine.drainEvents { event in
            if case .rejected(_, let reason, _) = event { rejection = rejection ?? reason }
        }
        if let rejection {
            throw SimEngineError("cannot serve the workload: a request is refused (\(rejection))")
        }
        let summary = RunSummary(engine: engine, slo: ServiceLevelObjective(), metSLO: 0)
        return ProbePoint(rate: rate, latency: slo.check(engine.metrics), requestsPerSecond: summary.requestsPerSecond,
                          outputTokensPerSecond: summary.outputTokensPerSecond)
    }
}
