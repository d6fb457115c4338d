/// Feeds a workload into an engine in arrival order and runs it to the end, streaming each finished request.
public enum SimulationRunner {
    /// A request the engine refused, and why.
    public struct Rejection: Sendable, Hashable {
        public var id: RequestID
        public var reason: String
    }

    /// What a run produced besides the engine's metrics.
    public struct Outcome: Sendable {
        public var summary: RunSummary
        public var rejections: [Rejection]
    }

    /// Runs `workload` (sorted by arrival) through `engine` to the end.
    public static func run<W: Sequence>(
        engine: inout ServingEngine, workload: W, slo: ServiceLevelObjective = ServiceLevelObjective()
    ) -> Outcome where W.Element == RequestSpec {
        run(engine: &engine, workload: workload, slo: slo, onRecord: { _ in })
    }

    /// Runs `workload` (sorted by arrival) through `engine`; `onRecord` sees each finished request as it
    /// finishes, `onProgress` the number finished or rejected so far (every 1,000).
    public static func run<W: Sequence>(
        engine: inout ServingEngine, workload: W, slo: ServiceLevelObjective = ServiceLevelObjective(),
        onRecord: (RequestRecord) throws -> Void, onProgress: (Int) -> Void = { _ in }
    ) rethrows -> Outcome where W.Element == RequestSpec {
        var iterator = workload.makeIterator()
        var next = iterator.next()
        var rejections: [Rejection] = []
        var metSLO = 0
        var done = 0
        while true {
            if let arrival = next, engine.nextEventTime.map({ arrival.arrival <= $0 }) ?? true {
                engine.submit(arrival)
                next = iterator.next()
                continue
            }
            guard engine.step() else { break }
            try engine.drainEvents { event in
                switch event {
                case .finished(let record):
                    if slo.isMet(by: record) { metSLO += 1 }
                    try onRecord(record)
                    done += 1
                    if done % 1000 == 0 { onProgress(done) }
                case .rejected(let id, let reason, _):
                    rejections.append(Rejection(id: id, reason: reason))
                    done += 1
                default: break
                }
            }
        }
        engine.drainEvents { event in
            if case .rejected(let id, let reason, _) = event { rejections.append(Rejection(id: id, reason: reason)) }
        }
        onProgress(done)
        return Outcome(summary: RunSummary(engine: engine, slo: slo, metSLO: metSLO), rejections: rejections)
    }
}
