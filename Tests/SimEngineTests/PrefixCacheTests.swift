import Foundation
import PerfKit
import SimEngine
import Testing

@Suite struct PrefixCacheTests {
    func stepNs(_ cost: IterationCost, _ shapes: [(input: Int, kvCache: Int)]) -> Int64 {
        SchedulerConfig().engine.stepNs(gpuNs: Int64(cost.ns(sequences: shapes, emitting: 1).rounded(.up)), sequences: shapes.count)
    }

    func tokens(_ count: Int, from start: UInt32 = 0) -> PromptContent { .tokens((0..<UInt32(count)).map { start + $0 }) }

    @Test(arguments: [(1000, 992), (1024, 1008), (15, 0)])
    func aRepeatedPromptsSecondTTFTIsTheUncachedTailsCost(prompt: Int, cached: Int) throws {
        var engine = try TestEngines.engine()
        let cost = try TestEngines.cost()
        let records = TestEngines.records(&engine, [
            RequestSpec(id: 0, inputTokens: prompt, outputTokens: 2, arrival: .zero, content: tokens(prompt)),
            RequestSpec(id: 1, inputTokens: prompt, outputTokens: 2, arrival: .seconds(5), content: tokens(prompt)),
        ])
        // vLLM never counts the last prompt token as a hit, so a whole-block prompt recomputes its last block.
        #expect(records[0]?.cachedTokens == 0)
        #expect(records[1]?.cachedTokens == cached)
        #expect(records[1]?.ttft.nanoseconds == stepNs(cost, [(prompt - cached, cached)]))
        #expect(engine.metrics.prefixCacheQueries == 2 * prompt && engine.metrics.prefixCacheHits == cached)
    }

    @Test func onlyTheSharedPrefixHitsAndWithCachingOffNothingDoes() throws {
        let shared = (0..<UInt32(640)).map { $0 }
        let first = RequestSpec(id: 0, inputTokens: 1000, outputTokens: 4, arrival: .zero, content: .tokens(shared + (0..<360).map { 10_000 + $0 }))
        let second = RequestSpec(id: 1, inputTokens: 900, outputTokens: 4, arrival: .seconds(5), content: .tokens(shared + (0..<260).map { 20_000 + $0 }))
        var on = try TestEngines.engine()
        #expect(TestEngines.records(&on, [first, second])[1]?.cachedTokens == 640)
        var off = try TestEngines.engine(config: SchedulerConfig(enablePrefixCaching: false))
        #expect(TestEngines.records(&off, [first, second])[1]?.cachedTokens == 0)
        var prefixModel = try TestEngines.engine()
        let records = TestEngines.records(&prefixModel, [
            RequestSpec(id: 0, inputTokens: 1000, outputTokens: 4, arrival: .zero, content: .sharedPrefix(id: 7, tokens: 500)),
            RequestSpec(id: 1, inputTokens: 800, outputTokens: 4, arrival: .seconds(5), content: .sharedPrefix(id: 7, tokens: 500)),
            RequestSpec(id: 2, inputTokens: 800, outputTokens: 4, arrival: .seconds(6), content: .sharedPrefix(id: 8, tokens: 500)),
        ])
        #expect(records[1]?.cachedTokens == 496 && records[2]?.cachedTokens == 0)
    }

    @Test func underPressureTheOldestBlocksAreEvictedTailFirst() throws {
        // 100 blocks: A's 50 cached blocks survive a small request, but a large one evicts A's tail and keeps its head.
        func run(_ other: Int) throws -> Int {
            var engine = try TestEngines.engine(config: SchedulerConfig(numGpuBlocksOverride: 100))
            let records = TestEngines.records(&engine, [
                RequestSpec(id: 0, inputTokens: 800, outputTokens: 2, arrival: .zero, content: tokens(800)),
                RequestSpec(id: 1, inputTokens: other, outputTokens: 2, arrival: .seconds(5), content: tokens(other, from: 50_000)),
                RequestSpec(id: 2, inputTokens: 800, outputTokens: 2, arrival: .seconds(10), content: tokens(800)),
            ])
            #expect(engine.snapshot().kvBlocksUsed == 0)
            return try #require(records[2]).cachedTokens
        }
        #expect(try run(300) == 784)
        let squeezed = try run(1500)
        #expect(squeezed > 0 && squeezed < 784, "\(squeezed)")
    }

    @Test func preemptedRequestsFindTheirOwnBlocksAgain() throws {
        let specs = TestEngines.workload(rate: 50, count: 60, input: .uniform(min: 200, max: 1500), output: .uniform(min: 100, max: 800))
        var on = try TestEngines.engine(config: try TestEngines.tinyKV(tokens: 4096))
        _ = TestEngines.records(&on, specs)
        #expect(on.metrics.preemptions > 0)
        #expect(on.metrics.resumedPrefixCacheHits > 0 && on.metrics.resumedPrefixCacheHits < on.metrics.resumedPrefixCacheQueries)
        var off = try TestEngines.engine(config: SchedulerConfig(activationReserveBytes: try TestEngines.tinyKV(tokens: 4096).activationReserveBytes, enablePrefixCaching: false))
        _ = TestEngines.records(&off, specs)
        #expect(off.metrics.resumedPrefixCacheHits == 0)
    }

    @Test func noBlockLeaksOrIsFreedTwiceOverALongRandomizedRun() throws {
        var generator = SeededGenerator(seed: 42)
        var engine = try TestEngines.engine(replicas: 2, config: SchedulerConfig(numGpuBlocksOverride: 600), tokenEvents: false)
        var arrival = 0.0
        var submitted = 0
        for id in 0..<3000 {
            arrival += Double.random(in: 0...0.02, using: &generator)
            let input = Int.random(in: 1...2500, using: &generator)
            let content: PromptContent
            switch Int.random(in: 0..<3, using: &generator) {
            case 0: content = .unknown
            case 1: content = .sharedPrefix(id: Int.random(in: 0..<5, using: &generator), tokens: min(input, Int.random(in: 0...2000, using: &generator)))
            default: content = tokens(input, from: UInt32(Int.random(in: 0..<4, using: &generator) * 100))
            }
            engine.submit(RequestSpec(id: id, inputTokens: input, outputTokens: Int.random(in: 1...400, using: &generator), arrival: .seconds(arrival), content: content))
            submitted += 1
            if id % 7 == 0 {
                engine.advance(to: .seconds(arrival))
                for replica in engine.snapshot().replicas {
                    #expect(replica.kvBlocksUsed <= replica.kvBlocksTotal)
                    #expect(replica.uncomputedTokens >= replica.waiting + replica.running)
                }
                _ = engine.cancel(id - Int.random(in: 0...5, using: &generator))
            }
        }
        engine.runToCompletion()
        #expect(engine.metrics.completed + engine.metrics.cancelled + engine.metrics.rejected == submitted)
        #expect(engine.metrics.preemptions > 0 && engine.metrics.prefixCacheHits > 0)
        #expect(engine.snapshot().kvBlocksUsed == 0)
        #expect(engine.snapshot().replicas.allSatisfy { $0.uncomputedTokens == 0 })
    }

    @Test func theNumGpuBlocksOverrideSetsTheCapacity() throws {
        let engine = try TestEngines.engine(config: SchedulerConfig(numGpuBlocksOverride: 2588))
        #expect(engine.kvCapacity.totalBlocks == 2588 && engine.snapshot().kvBlocksTotal == 2588)
        #expect(throws: SimEngineError.self) { try TestEngines.engine(config: SchedulerConfig(numGpuBlocksOverride: 0)) }
    }

    @Test func aJSONLTraceCarriesTokenIDsOrASharedPrefixAndABadOneNamesItsLine() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("ids-\(UUID().uuidString).jsonl")
        defer { try? FileManager.default.removeItem(at: file) }
        let good = """
            {"input_toks": 3, "output_toks": 2, "arrival_time_ns": 0, "input_tok_ids": [5, 6, 7], "output_tok_ids": [8, 9]}
            {"input_tokens": 40, "output_tokens": 2, "arrival_s": 1, "prefix_id": "system-prompt", "prefix_len": 32}
            """
        try Data(good.utf8).write(to: file)
        let specs = try TraceReader.load(file)
        #expect(specs[0].content == .tokens([5, 6, 7, 8, 9]))
        guard case .sharedPrefix(_, 32) = specs[1].content else { Issue.record("\(specs[1].content)"); return }
        let bad = good + "\n" + #"{"input_toks": 3, "output_toks": 1, "arrival_time_ns": 5, "input_tok_ids": [1, 2]}"#
        try Data(bad.utf8).write(to: file)
        #expect { _ = try TraceReader.load(file) } throws: { "\($0)".contains("\(file.path):3") && "\($0)".contains("input_tok_ids") }
    }
}
