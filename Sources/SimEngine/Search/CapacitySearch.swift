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
        let jobs = configs.flatMap { index, config in workload.seeds.indices.map { (index, config, $0) } }
        var outcomes: [Int: [SeedOutcome]] = [:]
        await withTaskGroup(of: (Int, Int, SeedOutcome).self) { group in
            var next = 0
            func addJob() {
                let (index, config, seedIndex) = jobs[next]
                next += 1
                group.addTask { (index, seedIndex, search(config, seed: workload.seeds[seedIndex], table: tables.table(for: config))) }
            }
            while next < min(jobs.count, max(1, concurrency)) { addJob() }
            for await (index, seedIndex, outcome) in group {
                outcomes[index, default: Array(repeating: .skipped(""), count: workload.seeds.count)][seedIndex] = outcome
                if next < jobs.count { addJob() }
            }
        }
        return configs.map { index, config in combine(index: index, config: config, outcomes[index]!) }
    }

    /// The same search on the calling thread, one configuration after another; stops early (returning what is done)
    /// when `interrupted` says so between probes.
    public func runSequentially(loader: EngineLoader, indices: [Int]? = nil, interrupted: () -> Bool = { false }) -> [ConfigurationResult] {
        let (configs, tables) = prepare(loader: loader, indices: indices)
        var results: [ConfigurationResult] = []
        for (index, config) in configs {
            if interrupted() { break }
            let outcomes = workload.seeds.map { search(config, seed: $0, table: tables.table(for: config)) }
            results.append(combine(index: index, config: config, outcomes))
        }
        return results
    }

    private func prepare(loader: EngineLoader, indices: [Int]?) -> ([(Int, DeploymentConfig)], SearchTables) {
        let all = grid.configurations
        let chosen = (indices ?? Array(all.indices)).filter { all.indices.contains($0) }.map { ($0, all[$0]) }
        return (chosen, SearchTables(loader: loader, configs: chosen.map(\.1)))
    }

    enum SeedOutcome: Sendable {
        case searched(capacityIndex: Int?, curve: [ProbePoint])
        case skipped(String)
    }

    /// Fractions of the capacity at which each configuration's latency curve is run in full.
    public static let curveFractions = [0.25, 0.5, 0.75, 0.9, 1.0, 1.1, 1.25]

    /// One configuration, one seed: bisection over the rate grid, then the latency curve around the capacity.
    func search(_ config: DeploymentConfig, seed: UInt64, table: Result<(ModelLatencyTable, GPUSpec), SimEngineError>) -> SeedOutcome {
        let engine: ServingEngine
        do {
            let (compiled, gpu) = try table.get()
            var settings = scheduler
            settings.kind = config.scheduler
            settings.maxNumSeqs = config.maxNumSeqs
            settings.maxNumBatchedTokens = config.maxNumBatchedTokens
            engine = try ServingEngine(table: compiled, gpu: gpu, config: settings, replicas: config.replicas, router: router)
        } catch {
            return .skipped(error.description)
        }
        do {
            var passed: [Int: ProbePoint] = [:]
            let capacity = try rates.highestPassing { (k: Int) throws(SimEngineError) -> Bool in
                guard let point = try probe(engine, rate: rates.rate(k), seed: seed, stopOnFailure: true) else { return false }
                passed[k] = point
                return point.latency.passed
            }
            guard let capacity else { return .searched(capacityIndex: nil, curve: []) }
            let capacityRate = rates.rate(capacity)
            let curve = try Self.curveFractions.map { fraction throws(SimEngineError) in
                fraction == 1 ? passed[capacity]! : try probe(engine, rate: capacityRate * fraction, seed: seed, stopOnFailure: false)!
            }
            return .searched(capacityIndex: capacity, curve: curve)
        } catch {
            return .skipped(error.description)
        }
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

    /// The median seed's capacity and curve, and every seed's capacity.
    func combine(index: Int, config: DeploymentConfig, _ outcomes: [SeedOutcome]) -> ConfigurationResult {
        var searched: [(capacity: Int?, curve: [ProbePoint])] = []
        for outcome in outcomes {
            switch outcome {
            case .skipped(let reason): return .skipped(index: index, config: config, reason: reason)
            case .searched(let capacity, let curve): searched.append((capacity, curve))
            }
        }
        let byCapacity = searched.indices.sorted { (searched[$0].capacity ?? Int.min, $0) < (searched[$1].capacity ?? Int.min, $1) }
        let median = searched[byCapacity[(byCapacity.count - 1) / 2]]
        let capacityRate = median.capacity.map(rates.rate) ?? 0
        return ConfigurationResult(
            index: index, config: config, skipped: nil, capacityRPS: capacityRate,
            capacityBySeed: searched.map { $0.capacity.map(rates.rate) ?? 0 }, reachedMaxRate: median.capacity == rates.maxIndex,
            atCapacity: median.curve.first { $0.rate == capacityRate }, curve: median.curve)
    }
}
