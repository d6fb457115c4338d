import Foundation
import PerfKit
import SimEngine
import Testing

@Suite struct PhysicsTests {
    func iterationNs(_ cost: IterationCost, _ shapes: [(input: Int, kvCache: Int)], emitting: Int) -> Int64 {
        SchedulerConfig().engine.stepNs(
            gpuNs: Int64(cost.ns(sequences: shapes, emitting: emitting).rounded(.up)), sequences: shapes.count)
    }

    @Test(arguments: [(128, 64), (1024, 32), (3000, 2)])
    func aLoneRequestsTTFTIsItsPrefillIterationAndTPOTItsDecodeIterations(input: Int, output: Int) throws {
        var engine = try TestEngines.engine()
        let cost = try TestEngines.cost()
        let record = try #require(TestEngines.records(&engine, [RequestSpec(id: 0, inputTokens: input, outputTokens: output, arrival: .zero)])[0])
        #expect(record.ttft.nanoseconds == iterationNs(cost, [(input, 0)], emitting: 1))
        let decode = (0..<(output - 1)).reduce(Int64(0)) { $0 + iterationNs(cost, [(1, input + $1)], emitting: 1) }
        #expect(record.tpot.nanoseconds == decode / Int64(output - 1))
        #expect(record.latency.nanoseconds == record.ttft.nanoseconds + decode)
    }

    @Test func aLongPromptIsPrefilledInChunksOfTheTokenBudget() throws {
        var engine = try TestEngines.engine(config: SchedulerConfig(maxNumBatchedTokens: 2048))
        let cost = try TestEngines.cost()
        let record = try #require(TestEngines.records(&engine, [RequestSpec(id: 0, inputTokens: 5000, outputTokens: 2, arrival: .zero)])[0])
        let expected = iterationNs(cost, [(2048, 0)], emitting: 0) + iterationNs(cost, [(2048, 2048)], emitting: 0) + iterationNs(cost, [(904, 4096)], emitting: 1)
        #expect(record.ttft.nanoseconds == expected)
    }

    @Test func higherLoadNeverMakesARequestFaster() throws {
        let base = TestEngines.workload(rate: 2, count: 60, input: .uniform(min: 64, max: 2048), output: .uniform(min: 16, max: 256))
        let extra = TestEngines.workload(rate: 20, count: 400, input: .uniform(min: 64, max: 2048), output: .uniform(min: 16, max: 256), seed: 9)
            .map { RequestSpec(id: $0.id + 1000, inputTokens: $0.inputTokens, outputTokens: $0.outputTokens, arrival: $0.arrival) }
        var light = try TestEngines.engine(tokenEvents: false)
        let alone = TestEngines.records(&light, base)
        var heavy = try TestEngines.engine(tokenEvents: false)
        let loaded = TestEngines.records(&heavy, (base + extra).sorted { ($0.arrival, $0.id) < ($1.arrival, $1.id) })
        for spec in base {
            let before = try #require(alone[spec.id]), after = try #require(loaded[spec.id])
            #expect(after.ttft >= before.ttft)
            #expect(after.latency >= before.latency)
        }
    }

    @Test func aFasterTableNeverMakesTheRunSlower() throws {
        let specs = TestEngines.workload(rate: 6, count: 300, input: .lognormal(mean: 700, sigma: 0.7, cap: 8000), output: .lognormal(mean: 200, sigma: 0.7, cap: 2000))
        let (table, gpu) = try TestEngines.loader.table(model: TestEngines.llama, hardware: "A100", tp: 1)
        let rawTable = try LatencyTable.load(from: TestEngines.loader.data.tableURL(hardware: "A100"))
        let faster = try ModelLatencyTable(table: try TableExtender.extend(rawTable, to: "A100", factor: 1.5), model: table.model)
        var slowEngine = try ServingEngine(table: table, gpu: gpu)
        var fastEngine = try ServingEngine(table: faster, gpu: gpu)
        let slow = TestEngines.records(&slowEngine, specs)
        let fast = TestEngines.records(&fastEngine, specs)
        for spec in specs {
            #expect(try #require(fast[spec.id]).latency <= (try #require(slow[spec.id])).latency)
        }
        var h100 = try TestEngines.engine(hardware: "H100", tokenEvents: false)
        let onH100 = SimulationRunner.run(engine: &h100, workload: specs).summary
        #expect(onH100.e2eMs.mean < slowEngine.metrics.e2e.mean / 1e6)
    }

    @Test func throughputSaturatesAsTheRateRises() throws {
        func throughput(_ rate: Double) throws -> Double {
            var engine = try TestEngines.engine(tokenEvents: false)
            return SimulationRunner.run(engine: &engine, workload: TestEngines.workload(rate: rate, count: 1500)).summary.outputTokensPerSecond
        }
        let low = try throughput(2), high = try throughput(200), higher = try throughput(800)
        #expect(high > 5 * low)
        #expect(abs(higher - high) / high < 0.1, "\(high) vs \(higher)")
    }

    @Test func tensorParallelismServesASeventyBillionModel() throws {
        #expect(throws: SimEngineError.self) { try TestEngines.engine(model: "meta-llama/Llama-3.1-70B-Instruct", hardware: "H100", tp: 1) }
        var two = try TestEngines.engine(model: "meta-llama/Llama-3.1-70B-Instruct", hardware: "H100", tp: 2, tokenEvents: false)
        var four = try TestEngines.engine(model: "meta-llama/Llama-3.1-70B-Instruct", hardware: "H100", tp: 4, tokenEvents: false)
        let specs = TestEngines.workload(rate: 1, count: 20)
        let onTwo = SimulationRunner.run(engine: &two, workload: specs).summary
        let onFour = SimulationRunner.run(engine: &four, workload: specs).summary
        #expect(onTwo.completed == 20 && onFour.completed == 20)
        #expect(onFour.tpotMs.mean < onTwo.tpotMs.mean)
    }
}
