import Foundation
import SimEngine
import Testing

@Suite struct ConservationTests {
    /// Runs with token events and checks: one finish per request, tokens = requested output, KV within capacity and empty at the end.
    func checkConservation(_ engine: inout ServingEngine, _ specs: [RequestSpec]) -> (finished: Set<RequestID>, rejected: Set<RequestID>) {
        var finished = Set<RequestID>(), rejected = Set<RequestID>()
        var tokens: [RequestID: Int] = [:]
        var iterator = specs.makeIterator()
        var next = iterator.next()
        while true {
            if let spec = next, engine.nextEventTime.map({ spec.arrival <= $0 }) ?? true {
                engine.submit(spec)
                next = iterator.next()
                continue
            }
            guard engine.step() else { break }
            let snapshot = engine.snapshot()
            for replica in snapshot.replicas { #expect(replica.kvBlocksUsed <= replica.kvBlocksTotal) }
            engine.drainEvents { event in
                switch event {
                case .token(let id, let index, _):
                    tokens[id, default: 0] += 1
                    #expect(tokens[id] == index)
                case .finished(let record):
                    #expect(finished.insert(record.id).inserted, "request \(record.id) finished twice")
                    #expect(tokens[record.id] == record.outputTokens)
                case .rejected(let id, _, _):
                    rejected.insert(id)
                default: break
                }
            }
        }
        engine.drainEvents { if case .rejected(let id, _, _) = $0 { rejected.insert(id) } }
        #expect(finished.union(rejected) == Set(specs.map(\.id)))
        #expect(finished.isDisjoint(with: rejected))
        #expect(engine.snapshot().kvBlocksUsed == 0)
        #expect(engine.snapshot().running == 0 && engine.snapshot().waiting == 0)
        return (finished, rejected)
    }

    @Test(arguments: SchedulerKind.allCases)
    func everyRequestFinishesOnceWithItsTokensUnderEachScheduler(kind: SchedulerKind) throws {
        var engine = try TestEngines.engine(config: SchedulerConfig(kind: kind))
        let specs = TestEngines.workload(rate: 30, count: 400, input: .uniform(min: 1, max: 3000), output: .uniform(min: 1, max: 300))
        let result = checkConservation(&engine, specs)
        #expect(result.finished.count == 400)
    }

    @Test(arguments: SchedulerKind.allCases)
    func preemptionHappensAndIsRecoveredFromWhenKVIsSmall(kind: SchedulerKind) throws {
        var engine = try TestEngines.engine(config: try TestEngines.tinyKV(tokens: 4096, kind: kind))
        let specs = TestEngines.workload(rate: 50, count: 60, input: .uniform(min: 200, max: 1500), output: .uniform(min: 100, max: 800))
        let result = checkConservation(&engine, specs)
        #expect(result.finished.count == 60)
        if kind != .static { #expect(engine.metrics.preemptions > 0) }
        #expect(engine.metrics.peakKVUtilization > 0.8)
    }

    @Test(arguments: RouterPolicy.allCases)
    func replicasBehindEachRouterShareTheLoad(policy: RouterPolicy) throws {
        var engine = try TestEngines.engine(replicas: 3, router: policy)
        let specs = TestEngines.workload(rate: 40, count: 300)
        var perReplica = [0, 0, 0]
        _ = SimulationRunner.run(engine: &engine, workload: specs, onRecord: { perReplica[$0.replica] += 1 })
        #expect(perReplica.reduce(0, +) == 300)
        #expect(perReplica.allSatisfy { $0 > 60 }, "\(perReplica)")
        if policy == .roundRobin { #expect(perReplica == [100, 100, 100]) }
    }

    @Test func requestsTooLongForTheContextOrTheCacheAreRejectedWithAReason() throws {
        var engine = try TestEngines.engine(config: try TestEngines.tinyKV(tokens: 2048))
        engine.submit(RequestSpec(id: 1, inputTokens: 131_000, outputTokens: 500, arrival: .zero))
        engine.submit(RequestSpec(id: 2, inputTokens: 3000, outputTokens: 10, arrival: .zero))
        engine.submit(RequestSpec(id: 3, inputTokens: 100, outputTokens: 10, arrival: .zero))
        engine.submit(RequestSpec(id: 4, inputTokens: 0, outputTokens: 10, arrival: .zero))
        var reasons: [RequestID: String] = [:]
        engine.drainEvents { if case .rejected(let id, let reason, _) = $0 { reasons[id] = reason } }
        #expect(reasons[1]?.contains("maximum context length of 131072") == true)
        #expect(reasons[2]?.contains("KV blocks") == true)
        #expect(reasons[3] == nil)
        #expect(reasons[4] != nil)
        engine.runToCompletion()
        #expect(engine.metrics.completed == 1 && engine.metrics.rejected == 3)
    }

    @Test func cancellingARunningRequestFreesItsBlocksAndStopsItsTokens() throws {
        var engine = try TestEngines.engine()
        engine.submit(RequestSpec(id: 7, inputTokens: 2000, outputTokens: 1000, arrival: .zero))
        engine.submit(RequestSpec(id: 8, inputTokens: 100, outputTokens: 50, arrival: .zero))
        engine.advance(to: .seconds(0.5))
        #expect(engine.phase(of: 7) == .decoding)
        #expect(engine.snapshot().kvBlocksUsed > 0)
        let cancelled = engine.cancel(7), cancelledAgain = engine.cancel(7)
        #expect(cancelled && !cancelledAgain)
        engine.drainEvents { _ in }
        engine.runToCompletion()
        var tokensAfterCancel = 0
        engine.drainEvents { if case .token(7, _, _) = $0 { tokensAfterCancel += 1 } }
        #expect(tokensAfterCancel == 0)
        #expect(engine.snapshot().kvBlocksUsed == 0)
        #expect(engine.metrics.cancelled == 1 && engine.metrics.completed == 1)
    }

    @Test func staticBatchingAdmitsNoRequestIntoARunningBatch() throws {
        var engine = try TestEngines.engine(config: SchedulerConfig(kind: .static))
        let records = TestEngines.records(&engine, [
            RequestSpec(id: 0, inputTokens: 100, outputTokens: 200, arrival: .zero),
            RequestSpec(id: 1, inputTokens: 100, outputTokens: 5, arrival: .milliseconds(50)),
        ])
        #expect(records[1]!.firstScheduled >= records[0]!.end)
    }
}
