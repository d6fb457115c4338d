/// A replayed request beside its measured twin.
public struct ReplayPair: Sendable, Hashable, Codable {
    public var vllm: MeasuredRequest
    public var simulator: MeasuredRequest
    /// Prompt tokens the simulator found in its prefix cache, and how often it preempted the request.
    public var cachedTokens: Int
    public var preemptions: Int
}

/// What a replay produced: the report, the pairs, and the simulator's queues over time.
public struct ReplayResult: Sendable {
    public var report: ReplayReport
    public var pairs: [ReplayPair]
    /// Running and waiting requests at every tick of the run's timeseries.
    public var timeseries: [QueueSample]
}

/// Replays a plan's trace through its engine, sampling the queues at the run's tick.
public enum ReplayRunner {
    public static func run(_ plan: ReplayPlan, runName: String) -> ReplayResult {
        var engine = plan.engine
        for spec in plan.trace { engine.submit(spec) }
        var records: [RequestID: RequestRecord] = [:]
        var rejected = 0
        var samples: [QueueSample] = []
        let tickNs = Int64((plan.tickSeconds > 0 ? plan.tickSeconds : 1) * 1e9)
        var tick = tickNs
        func drain() {
            engine.drainEvents { event in
                switch event {
                case .finished(let record): records[record.id] = record
                case .rejected: rejected += 1
                default: break
                }
            }
        }
        drain()
        while engine.nextEventTime != nil {
            engine.advance(to: SimTime(nanoseconds: tick))
            let snapshot = engine.snapshot()
            samples.append(QueueSample(seconds: Double(tick) / 1e9, running: snapshot.running, waiting: snapshot.waiting))
            drain()
            tick += tickNs
        }
        func seconds(_ time: SimTime) -> Double { Double(time.nanoseconds) / 1e9 }
        var pairs: [ReplayPair] = []
        for measured in plan.measured {
            guard let record = records[measured.index] else { continue }
            let simulated = MeasuredRequest(
                index: record.id, inputTokens: record.inputTokens, outputTokens: record.outputTokens, arrivalSeconds: seconds(record.arrival),
                firstTokenSeconds: seconds(record.firstToken), lastTokenSeconds: seconds(record.end))
            pairs.append(ReplayPair(vllm: measured, simulator: simulated, cachedTokens: record.cachedTokens, preemptions: record.preemptions))
        }
        let report = ReplayReport(
            run: runName, vllmVersion: plan.vllmVersion, measuredSource: plan.measuredSource, settings: plan.settings,
            vllm: RunFigures(plan.measured), simulator: RunFigures(pairs.map(\.simulator)), unmatched: plan.measured.count - pairs.count,
            rejected: rejected, metrics: engine.metrics)
        return ReplayResult(report: report, pairs: pairs, timeseries: samples)
    }
}
