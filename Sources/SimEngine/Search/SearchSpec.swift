import Foundation

/// Everything that decides a search's answer, recorded in shard files so that `merge` can refuse shards of
/// different searches.
public struct SearchSpec: Sendable, Hashable, Codable {
    public var grid: SearchGrid
    /// The workload's description (lengths, arrivals, requests per probe, seeds; a trace's name and checksum).
    public var workload: String
    public var slo: PercentileSLO
    public var rates: RateGrid
    /// Scheduler and memory settings shared by every configuration (kind, seqs and token budget come from the grid).
    public var scheduler: SchedulerConfig
    public var router: RouterPolicy

    public init(grid: SearchGrid, workload: String, slo: PercentileSLO, rates: RateGrid, scheduler: SchedulerConfig, router: RouterPolicy) {
        self.grid = grid
        self.workload = workload
        self.slo = slo
        self.rates = rates
        self.scheduler = scheduler
        self.router = router
    }
}
