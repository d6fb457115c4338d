import Foundation
import SimEngine
import Testing

/// Properties of the capacity search: monotone in resources and targets, deterministic, and the same when sharded.
@Suite struct CapacitySearchTests {
    /// A small, quick search: 60 requests (at least 5 s of arrivals) per probe, a 10 % rate grid.
    static func search(hardware: [String] = ["A100"], tp: [Int] = [1], replicas: [Int] = [1], ttftMs: Double = 500, tpotMs: Double = 50,
                       seeds: [UInt64] = [1], model: String = TestEngines.llama) throws -> CapacitySearch {
        let grid = try SearchGrid(models: [model], hardware: hardware, tp: tp, replicas: replicas)
        let workload = try SearchWorkload(
            source: .synthetic(inputLength: .lognormal(mean: 512, sigma: 0.5, cap: 4096), outputLength: .lognormal(mean: 128, sigma: 0.5, cap: 1024), arrivals: .poisson, requests: 60),
            seeds: seeds, minSpanSeconds: 5)
        return CapacitySearch(grid: grid, workload: workload, slo: try PercentileSLO(ttftMs: ttftMs, tpotMs: tpotMs), rates: try RateGrid(resolution: 0.1))
    }

    @Test func moreReplicasNeverLowerCapacity() async throws {
        let results = try await Self.search(replicas: [1, 2, 3, 4]).run(loader: TestEngines.loader)
        let capacities = results.map(\.capacityRPS)
        #expect(capacities.allSatisfy { $0 > 0 }, "\(capacities)")
        #expect(zip(capacities, capacities.dropFirst()).allSatisfy { $0 <= $1 }, "\(capacities)")
        #expect(capacities.last! > capacities.first! * 2, "four replicas should carry well over twice one's load: \(capacities)")
    }

    @Test(arguments: [[(100.0, 20.0), (300, 40), (1000, 60), (5000, 200)]])
    func aLooserSLONeverLowersCapacity(targets: [(Double, Double)]) async throws {
        var capacities: [Double] = []
        for (ttft, tpot) in targets {
            capacities += try await Self.search(hardware: ["H100"], ttftMs: ttft, tpotMs: tpot).run(loader: TestEngines.loader).map(\.capacityRPS)
        }
        #expect(zip(capacities, capacities.dropFirst()).allSatisfy { $0 <= $1 }, "\(capacities)")
        #expect(capacities.first! < capacities.last!, "\(capacities)")
    }

    @Test func theSameSeedGivesTheSameReportWhateverTheConcurrency() async throws {
        let search = try Self.search(hardware: ["A100", "H100"], tp: [1, 2], seeds: [4, 5])
        let prices = PriceList(entries: [])
        let one = SearchReport(spec: search.spec, results: await search.run(loader: TestEngines.loader, concurrency: 1), prices: prices).jsonData()
        let four = SearchReport(spec: search.spec, results: await search.run(loader: TestEngines.loader, concurrency: 4), prices: prices).jsonData()
        let sequential = SearchReport(spec: search.spec, results: search.runSequentially(loader: TestEngines.loader), prices: prices).jsonData()
        #expect(one == four)
        #expect(one == sequential)
        let other = try Self.search(hardware: ["A100", "H100"], tp: [1, 2], seeds: [6, 7])
        #expect(SearchReport(spec: other.spec, results: await other.run(loader: TestEngines.loader), prices: prices).jsonData() != one)
    }

    @Test func shardedEqualsUnsharded() async throws {
        let search = try Self.search(hardware: ["A100", "H100", "L40"], tp: [1, 2, 3])
        let whole = SearchReport(spec: search.spec, results: await search.run(loader: TestEngines.loader), prices: PriceList(entries: []))
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("shards-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        for index in 0..<4 {
            let shard = try SearchShard(index: index, count: 4)
            let results = await search.run(loader: TestEngines.loader, indices: shard.indices(configurationCount: search.grid.configurationCount))
            try SearchOutput.write(SearchShardFile(spec: search.spec, shard: shard, results: results), to: folder.appendingPathComponent("part\(index % 2)"))
        }
        let (spec, results) = try SearchShardFile.merge([folder.appendingPathComponent("part0"), folder.appendingPathComponent("part1")])
        #expect(SearchReport(spec: spec, results: results, prices: PriceList(entries: [])).jsonData() == whole.jsonData())
        try FileManager.default.removeItem(at: folder.appendingPathComponent("part1/shard-0001-of-0004.json"))
        #expect(throws: SimEngineError.self) { try SearchShardFile.merge([folder.appendingPathComponent("part0"), folder.appendingPathComponent("part1")]) }
    }

    @Test func configurationsThatCannotRunAreSkippedWithTheReason() async throws {
        let results = try await Self.search(hardware: ["L40"], tp: [1, 3], model: "meta-llama/Llama-3.1-70B-Instruct").run(loader: TestEngines.loader)
        #expect(results.count == 2)
        #expect(results[0].skipped?.contains("does not fit") == true, "\(results[0].skipped ?? "searched")")
        #expect(results[1].skipped?.contains("must divide") == true, "\(results[1].skipped ?? "searched")")
        let report = SearchReport(spec: try Self.search().spec, results: results, prices: PriceList(entries: []))
        #expect(report.rows.isEmpty && report.skipped.count == 2)
        #expect(report.textReport().contains("skipped Llama-3.1-70B-Instruct L40 tp3×1"))
    }

    @Test func theTargetRateGetsTheCheapestConfigurationSustainingIt() async throws {
        let search = try Self.search(hardware: ["A100", "H100"], replicas: [1, 2, 4])
        let results = await search.run(loader: TestEngines.loader)
        let prices = PriceList(entries: [
            .init(gpu: "A100", usdPerGPUHour: 1, offer: "test", source: "test", date: "2026-01-01"),
            .init(gpu: "H100", usdPerGPUHour: 3, offer: "test", source: "test", date: "2026-01-01"),
        ])
        let target = results.map(\.capacityRPS).sorted()[2]
        let report = SearchReport(spec: search.spec, results: results, prices: prices, targetRate: target)
        let chosen = try #require(report.rows.first { $0.rank == report.target?.cheapestRank })
        #expect(chosen.capacityRPS >= target)
        #expect(report.rows.filter { $0.capacityRPS >= target }.allSatisfy { $0.usdPerHour! >= chosen.usdPerHour! })
        let impossible = SearchReport(spec: search.spec, results: results, prices: prices, targetRate: 1e6)
        #expect(impossible.target?.cheapestRank == nil)
        #expect(impossible.textReport().contains("no configuration sustains"))
    }
}
