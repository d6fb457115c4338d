import Foundation
import SimEngine
import Testing

/// The pieces of the search: the rate grid's bisection, the Pareto set, price files, workload rescaling, shards.
@Suite struct SearchPartsTests {
    @Test(arguments: [-200, -17, -1, 0, 1, 15, 16, 17, 100, 105, 121, 122, 333, 580])
    func bisectionFindsTheExactThreshold(threshold: Int) throws {
        let grid = try RateGrid(resolution: 0.02)
        var probes = 0
        let found = grid.highestPassing { (k: Int) -> Bool in probes += 1; return k <= threshold }
        #expect(found == max(grid.minIndex, min(threshold, grid.maxIndex)) || (threshold < grid.minIndex && found == nil))
        #expect(probes < 30)
    }

    @Test func aLargerPassingSetNeverGivesALowerAnswer() throws {
        let grid = try RateGrid(resolution: 0.05)
        var generator = SeededGenerator(seed: 9)
        for _ in 0..<200 {
            // A ragged (not monotone) pass set and a superset of it.
            let tight = Set((grid.minIndex...grid.maxIndex).filter { _ in generator.next() % 3 != 0 })
            let loose = tight.union((grid.minIndex...grid.maxIndex).filter { _ in generator.next() % 4 == 0 })
            let a = grid.highestPassing { tight.contains($0) } ?? Int.min
            let b = grid.highestPassing { loose.contains($0) } ?? Int.min
            #expect(a <= b)
        }
    }

    @Test func theParetoFrontKeepsOnlyUndominatedPoints() {
        let points: [(x: Double, y: Double)] = [(1, 5), (2, 4), (2, 2), (3, 1), (0.5, 5), (3, 1)]
        #expect(ParetoFront.indices(of: points) == [0, 1, 3, 5])
    }

    @Test func theShippedPriceListLoadsAndABadOneNamesFileAndEntry() throws {
        let shipped = try PriceList.load(TestEngines.root.appendingPathComponent("hardware/prices.json"))
        #expect(shipped.price(of: "h100")?.usdPerGPUHour ?? 0 > 0)
        #expect(shipped.entries.allSatisfy { $0.source.hasPrefix("https://") })
        #expect(shipped.price(of: "T4") == nil)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("prices-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: file) }
        try Data(#"{"prices": [{"gpu": "A100", "usd_per_gpu_hour": 1.5, "offer": "x", "source": "y", "date": "2026-01-01"}, {"gpu": "H100", "usd_per_gpu_hour": -2, "offer": "x", "source": "y", "date": "2026-01-01"}]}"#.utf8).write(to: file)
        #expect { try PriceList.load(file) } throws: { error in
            "\(error)".contains(file.path) && "\(error)".contains("prices[1]") && "\(error)".contains("usd_per_gpu_hour")
        }
    }

    @Test func aTraceIsRescaledToTheProbedRateKeepingItsRequests() throws {
        let trace = try TraceReader.load(TestEngines.root.appendingPathComponent("fixtures/traces/lognormal_4rps.jsonl"))
        let workload = try SearchWorkload(source: .trace(name: "lognormal_4rps.jsonl", requests: trace), seeds: [0, 1])
        #expect(workload.seeds == [0])
        let scaled = workload.requests(rate: 20, seed: 0)
        let spanSeconds = Double(scaled.last!.arrival.nanoseconds - scaled.first!.arrival.nanoseconds) / 1e9
        #expect(abs(Double(scaled.count - 1) / spanSeconds - 20) < 0.01)
        // 200 requests at 20/s span 10 s: repeated three times to span the 30 s minimum.
        #expect(scaled.count == 3 * trace.count && Set(scaled.map(\.id)).count == scaled.count)
        #expect(scaled.prefix(trace.count).map(\.inputTokens) == trace.map(\.inputTokens))
    }

    @Test func shardsSplitTheGridIntoDisjointSlicesAndComeFromArrayJobVariables() throws {
        let slices = try (0..<3).map { try SearchShard(index: $0, count: 3).indices(configurationCount: 10) }
        #expect(slices.flatMap { $0 }.sorted() == Array(0..<10))
        #expect(try SearchShard(parsing: "2/5") == SearchShard(index: 2, count: 5))
        #expect(throws: SimEngineError.self) { try SearchShard(parsing: "5/5") }
        #expect(try SearchShard.fromEnvironment(["JOB_COMPLETION_INDEX": "3", "JOB_COMPLETION_COUNT": "8"]) == SearchShard(index: 3, count: 8))
        #expect(try SearchShard.fromEnvironment(["SLURM_ARRAY_TASK_ID": "5", "SLURM_ARRAY_TASK_MIN": "1", "SLURM_ARRAY_TASK_COUNT": "8"]) == SearchShard(index: 4, count: 8))
        #expect(try SearchShard.fromEnvironment([:]) == nil)
        #expect(throws: SimEngineError.self) { try SearchShard.fromEnvironment(["JOB_COMPLETION_INDEX": "1"]) }
    }

    @Test func gridListsParseCommasAndRanges() throws {
        #expect(try SearchGrid.integers("1..4,8", name: "tp") == [1, 2, 3, 4, 8])
        #expect(throws: SimEngineError.self) { try SearchGrid.integers("4..1", name: "tp") }
        #expect(throws: SimEngineError.self) { try SearchGrid.integers("two", name: "tp") }
        #expect(try SearchGrid(models: ["m"], hardware: ["A", "B"], tp: [1, 2, 4]).configurations.map(\.tp) == [1, 2, 4, 1, 2, 4])
        let eight = try SearchGrid(models: ["m"], hardware: ["A"], tp: [1, 2, 3, 4, 8], gpus: [8]).configurations
        #expect(eight.map(\.tp) == [1, 2, 4, 8] && eight.allSatisfy { $0.gpus == 8 })
        #expect(throws: SimEngineError.self) { try SearchGrid(models: ["m"], hardware: ["A"], tp: [3], gpus: [8]) }
    }
}
