import Foundation
import SimEngine

extension ReplSession {
    /// Simulates every engine in time order until all are done, `limit` is reached, `maxSteps` event times
    /// have been processed, or the user interrupts; reports what finished.
    mutating func run(until limit: SimTime?, maxSteps: Int?, json: Bool, interrupted: () -> Bool) -> String {
        if let limit, limit < clock {
            return "error: time \(Formatting.seconds(limit)) is in the past (clock \(Formatting.seconds(clock)))"
        }
        var finished: [RequestRecord] = []
        var notes: [String] = []
        var steps = 0
        var wasInterrupted = false
        while maxSteps.map({ steps < $0 }) ?? true {
            if interrupted() {
                wasInterrupted = true
                break
            }
            guard let (key, time) = engines.compactMap({ key, engine in engine.nextEventTime.map { (key, $0) } })
                .min(by: { ($0.1, $0.0) < ($1.1, $1.0) }),
                limit.map({ time <= $0 }) ?? true
            else { break }
            engines[key]!.step()
            steps += 1
            clock = max(clock, time)
            collectEvents(of: key, finished: &finished, notes: &notes)
        }
        if let limit, !wasInterrupted, maxSteps == nil {
            for key in engines.keys.sorted() {
                engines[key]!.advance(to: limit)
                collectEvents(of: key, finished: &finished, notes: &notes)
            }
            clock = limit
        }
        for key in engines.keys.sorted() { engines[key]!.advance(to: clock) }
        if json { return Formatting.json(finished.compactMap { requests[$0.id] }) }
        var lines = notes
        if finished.count <= 10 {
            for record in finished {
                lines.append("request \(record.id): first token at \(Formatting.seconds(record.firstToken)), finished at \(Formatting.seconds(record.end)); TTFT \(Formatting.milliseconds(record.ttft)), TPOT \(Formatting.milliseconds(record.tpot)), E2E \(Formatting.milliseconds(record.latency))\(record.preemptions > 0 ? ", preempted \(record.preemptions)×" : "")")
            }
        } else {
            let meanTTFT = finished.reduce(0.0) { $0 + $1.ttft.milliseconds } / Double(finished.count)
            let meanE2E = finished.reduce(0.0) { $0 + $1.latency.milliseconds } / Double(finished.count)
            lines.append("\(finished.count) requests finished; mean TTFT \(Formatting.milliseconds(meanTTFT)), mean E2E \(Formatting.milliseconds(meanE2E)) (stats for percentiles)")
        }
        let active = engines.values.reduce(0) { total, engine in
            let snapshot = engine.snapshot()
            return total + snapshot.waiting + snapshot.running + snapshot.pending
        }
        if wasInterrupted { lines.append("interrupted") }
        lines.append("clock \(Formatting.seconds(clock)); \(active) request(s) still in flight")
        return lines.joined(separator: "\n")
    }

    private mutating func collectEvents(of key: ReplEngineKey, finished: inout [RequestRecord], notes: inout [String]) {
        var updates: [(RequestID, RequestRecord?, RequestPhase)] = []
        engines[key]!.drainEvents { event in
            switch event {
            case .finished(let record): updates.append((record.id, record, .finished))
            case .preempted(let id, let time):
                notes.append("request \(id) preempted at \(Formatting.seconds(time)) (KV cache full; it will be recomputed)")
            default: break
            }
        }
        let slo = ServiceLevelObjective()
        for (id, record, phase) in updates {
            requests[id]?.phase = phase
            requests[id]?.record = record
            requests[id]?.generatedTokens = record?.outputTokens ?? 0
            requests[id]?.firstToken = record?.firstToken
            if let record {
                finished.append(record)
                if slo.isMet(by: record) { sloMet[key, default: 0] += 1 }
            }
        }
    }
}
