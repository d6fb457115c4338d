import Foundation
import SimEngine
import Testing

@Suite struct DeterminismTests {
    func report(seed: UInt64) throws -> (csv: Data, json: Data) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sim-\(UUID().uuidString)")
        var engine = try TestEngines.engine(replicas: 2, router: .leastKV, tokenEvents: false)
        let writer = try RequestCSVWriter(url: folder.appendingPathComponent("requests.csv"), model: TestEngines.llama)
        let workload = try SyntheticWorkload(rate: 30, count: 800, arrivals: .gamma(cv: 2),
                                             inputLength: .lognormal(mean: 512, sigma: 0.8, cap: 8000),
                                             outputLength: .lognormal(mean: 256, sigma: 0.8, cap: 2000), seed: seed)
        let outcome = try SimulationRunner.run(engine: &engine, workload: workload, onRecord: { try writer.append($0) })
        try writer.commit()
        return (try Data(contentsOf: folder.appendingPathComponent("requests.csv")), outcome.summary.jsonData())
    }

    @Test func theSameInputsAndSeedGiveByteIdenticalReports() throws {
        let first = try report(seed: 42), second = try report(seed: 42)
        #expect(first.csv == second.csv)
        #expect(first.json == second.json)
        #expect(first.csv.count > 800 * 40)
    }

    @Test func anotherSeedGivesAnotherRun() throws {
        #expect(try report(seed: 1).csv != report(seed: 2).csv)
    }

    @Test func syntheticWorkloadsMatchTheirParameters() throws {
        let specs = Array(try SyntheticWorkload(rate: 10, count: 20_000, inputLength: .lognormal(mean: 512, sigma: 0.5, cap: 100_000),
                                                outputLength: .uniform(min: 10, max: 30), seed: 3))
        let duration = specs.last!.arrival.seconds
        #expect(abs(Double(specs.count) / duration - 10) < 0.3)
        let meanInput = Double(specs.map(\.inputTokens).reduce(0, +)) / Double(specs.count)
        #expect(abs(meanInput - 512) < 10)
        #expect(specs.allSatisfy { (10...30).contains($0.outputTokens) })
    }
}

@Suite struct LatencyHistogramTests {
    @Test func quantilesAreWithinAFractionOfAPercent() {
        var histogram = LatencyHistogram()
        for value in 1...100_000 { histogram.record(Int64(value) * 1000) }
        #expect(histogram.count == 100_000)
        #expect(abs(Double(histogram.quantile(0.5)) / 50_000_000 - 1) < 0.002)
        #expect(abs(Double(histogram.quantile(0.99)) / 99_000_000 - 1) < 0.002)
        #expect(histogram.max == 100_000_000 && histogram.mean == 50_000_500)
        #expect(LatencyHistogram().quantile(0.5) == 0)
    }
}
