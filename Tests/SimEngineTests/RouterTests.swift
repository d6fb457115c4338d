import Foundation
import SimEngine
import Testing

@Suite struct RouterTests {
    func p99TTFTMs(_ policy: RouterPolicy) throws -> Double {
        let trace = try TraceReader.load(TestEngines.root.appendingPathComponent("fixtures/traces/gamma_bursty_20rps.csv"))
        var engine = try TestEngines.engine(replicas: 4, router: policy, tokenEvents: false)
        return SimulationRunner.run(engine: &engine, workload: trace).summary.ttftMs.p99
    }

    @Test func leastKVCountsRoutedRequestsSoABurstDoesNotHerdOntoOneReplica() throws {
        let roundRobin = try p99TTFTMs(.roundRobin)
        let leastKV = try p99TTFTMs(.leastKV)
        // Counting only blocks held, least_kv sent a burst to one replica: its p99 TTFT was 10.3 s against 3.2 s; ranking
        // by KV committed it was still 2,586 against 2,489 ms. Ranked by tokens still to compute it came within 2 % of
        // round robin either way as the tables changed (this trace's tail is one burst that fills all four replicas);
        // ranked by the time those tokens take at each replica's recent pace it was 2,594 against 2,603 ms, and 2,749
        // against 2,724 once prefill attention became tiles in waves: a tie, which is what this trace allows (herding
        // was 3×). The bursty seeds below are where least_kv must win.
        #expect(leastKV <= 1.05 * roundRobin, "least_kv \(leastKV) ms, round_robin \(roundRobin) ms")
        // Herding onto one replica tripled p99 TTFT; least_outstanding, blind to prompt lengths, stays within half.
        #expect(try p99TTFTMs(.leastOutstanding) < 1.5 * roundRobin)
    }

    @Test(arguments: [UInt64(1), 2, 3])
    func onBurstyTrafficLeastKVCutsTheTTFTTailRoundRobinLeaves(seed: UInt64) throws {
        // Gamma arrivals (cv 2) of long, varied prompts: round robin sends a burst's prompts wherever their turn falls.
        func p99(_ policy: RouterPolicy) throws -> Double {
            let workload = try SyntheticWorkload(rate: 20, count: 400, arrivals: .gamma(cv: 2), inputLength: .lognormal(mean: 2000, sigma: 0.6, cap: 16_000),
                                                 outputLength: .lognormal(mean: 300, sigma: 0.6, cap: 4_000), seed: seed)
            var engine = try TestEngines.engine(replicas: 4, router: policy, tokenEvents: false)
            return SimulationRunner.run(engine: &engine, workload: workload).summary.ttftMs.p99
        }
        let roundRobin = try p99(.roundRobin), leastKV = try p99(.leastKV)
        #expect(leastKV < 0.9 * roundRobin, "seed \(seed): least_kv \(leastKV) ms, round_robin \(roundRobin) ms")
    }

    @Test func thePrefixRouterSendsAPromptToTheReplicaThatHoldsIt() throws {
        let system = (0..<UInt32(1600)).map { $0 }
        var engine = try TestEngines.engine(replicas: 4, router: .prefix)
        var specs = [RequestSpec(id: 0, inputTokens: 1700, outputTokens: 8, arrival: .zero, content: .tokens(system + (0..<100).map { 5000 + $0 }))]
        for id in 1..<8 {
            // Unrelated requests first, so round-robin or least-loaded routing would move on to other replicas.
            specs.append(RequestSpec(id: 100 + id, inputTokens: 300, outputTokens: 8, arrival: .seconds(Double(id)), content: .unknown))
            specs.append(RequestSpec(id: id, inputTokens: 1700, outputTokens: 8, arrival: .seconds(Double(id) + 0.5),
                                     content: .tokens(system + (0..<100).map { UInt32(10_000 + id * 1000) + $0 })))
        }
        let records = TestEngines.records(&engine, specs)
        let home = try #require(records[0]).replica
        for id in 1..<8 {
            #expect(records[id]?.replica == home && records[id]?.cachedTokens == 1600, "request \(id)")
        }
        #expect(Set((1..<8).compactMap { records[100 + $0]?.replica }).count > 1)
    }
}
