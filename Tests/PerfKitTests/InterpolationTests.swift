import Foundation
import PerfKit
import Testing

@Suite struct InterpolationTests {
    let curve = LatencyCurve(points: [(1, 100), (4, 100), (8, 180), (16, 340)])

    @Test func exactAtPointsAndLinearBetween() {
        #expect(curve.latency(at: 4) == 100)
        #expect(curve.latency(at: 6) == 140)
        #expect(curve.latency(at: 12) == 260)
    }

    @Test func extrapolatesAlongTheLastSegmentAndClampsBelow() {
        #expect(curve.latency(at: 32) == 660)
        #expect(curve.latency(at: 0) == 100)
        #expect(!curve.covers(32) && curve.covers(16))
    }

    @Test func surfaceInterpolatesInBothAxesAndStaysMonotone() {
        let surface = AttentionSurface(points: [(1, 0, 10), (1, 100, 20), (5, 0, 30), (5, 100, 60)])
        #expect(surface.latency(input: 1, kvCache: 50) == 15)
        #expect(surface.latency(input: 3, kvCache: 50) == 30)
        var previous = 0.0
        for kv in stride(from: 0.0, through: 300, by: 7) {
            let value = surface.latency(input: 3, kvCache: kv)
            #expect(value >= previous)
            previous = value
        }
    }

    @Test func largerInputsAreNeverFasterEvenWhenTheirKVGridsDiffer() {
        let surface = AttentionSurface(points: [(1, 0, 10), (1, 100, 200), (5, 0, 30), (5, 10, 35)])
        for kv in stride(from: 0.0, through: 400, by: 5) {
            #expect(surface.latency(input: 5, kvCache: kv) >= surface.latency(input: 1, kvCache: kv))
            #expect(surface.latency(input: 3, kvCache: kv) >= surface.latency(input: 1, kvCache: kv))
        }
    }

    @Test func lookupsOnAShippedTableAreMonotoneEverywhere() throws {
        let model = try RepositoryData.model("qwen/Qwen3-8B")
        let table = try ModelLatencyTable(
            table: try LatencyTable.load(from: RepositoryData.directory.tableURL(hardware: "A100")), model: model)
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            let tokens = Int.random(in: 1...40000, using: &generator)
            let kv = Int.random(in: 0...40000, using: &generator)
            #expect(table.latencyNs(.gateProj, tokens: tokens + 1) >= table.latencyNs(.gateProj, tokens: tokens))
            #expect(table.attentionNs(.attn, input: 64, kvCache: kv + 1) >= table.attentionNs(.attn, input: 64, kvCache: kv))
            #expect(table.attentionNs(.attn, input: tokens % 4000 + 2, kvCache: kv) >= table.attentionNs(.attn, input: tokens % 4000 + 1, kvCache: kv))
        }
    }

    @Test func interpolationStaysCloseToTheKernelModel() throws {
        let model = try RepositoryData.model("meta-llama/Llama-3.1-8B-Instruct")
        let gpu = try RepositoryData.gpu("H100")
        let table = try ModelLatencyTable(table: LatencyTable(rows: TableGenerator.rows(model: model, gpu: gpu, tp: 1)), model: model)
        for tokens in [3, 100, 700, 5000, 20000] {
            let exact = gpu.modelledNs(layer: .upProj, model: model, tp: 1, input: tokens, kvCache: 0)
            #expect(abs(table.latencyNs(.upProj, tokens: tokens) - exact) / exact < 0.15)
        }
    }

    @Test func extrapolationIsFlaggedNotFatal() throws {
        let model = try RepositoryData.model("facebook/opt-6.7b")
        let table = try ModelLatencyTable(
            table: try LatencyTable.load(from: RepositoryData.directory.tableURL(hardware: "T4")), model: model)
        #expect(table.isExtrapolated(.fc1, input: 100_000, kvCache: 0))
        #expect(!table.isExtrapolated(.fc1, input: 1000, kvCache: 0))
        #expect(table.latencyNs(.fc1, tokens: 100_000) > table.latencyNs(.fc1, tokens: 32768))
    }

    @Test func batchedAttentionPaysTheLaunchOnce() throws {
        let model = try RepositoryData.model("meta-llama/Llama-3.1-8B-Instruct")
        let table = try ModelLatencyTable(table: LatencyTable(rows: TableGenerator.rows(model: model, gpu: try RepositoryData.gpu("A100"), tp: 1)), model: model)
        let one = table.batchAttentionNs(.attn, [(input: 1, kvCache: 1000)])
        let sixtyFour = table.batchAttentionNs(.attn, Array(repeating: (input: 1, kvCache: 1000), count: 64))
        #expect(sixtyFour < 64 * one)
        #expect(sixtyFour > one)
    }
}
