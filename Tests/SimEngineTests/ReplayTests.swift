import Foundation
import PerfKit
import SimEngine
import TestSupport
import Testing

@Suite struct ReplayTests {
    static let runs = TestEngines.root.appendingPathComponent("runs/LLMServingSim")
    static let folders = ["RTX4090/Llama-3.1-8B", "RTXPRO6000/Llama-3.1-8B", "RTXPRO6000/Qwen3-32B"]

    /// The vLLM column of LLMServingSim's `validation/summary.txt`, by row label (`TTFT Mean`).
    func theirVLLMColumn(_ folder: String) throws -> [String: Double] {
        let text = try String(contentsOf: Self.runs.appendingPathComponent("\(folder)/validation/summary.txt"), encoding: .utf8)
        var values: [String: Double] = [:]
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count == 5, let value = Double(fields[2]) else { continue }
            values["\(fields[0]) \(fields[1])"] = value
        }
        return values
    }

    @Test(arguments: folders)
    func theVLLMSideEqualsLLMServingSimsOwnSummary(folder: String) throws {
        let measured = try MeasuredRunFiles.loadRequestsJSONL(Self.runs.appendingPathComponent("\(folder)/vllm/requests.jsonl"))
        let figures = RunFigures(measured)
        let theirs = try theirVLLMColumn(folder)
        #expect(theirs.count == 15)
        for (name, ours) in [("TTFT", figures.ttftMs), ("TPOT", figures.tpotMs), ("Latency", figures.e2eMs)] {
            for (label, value) in ours.labeled {
                let expected = try #require(theirs["\(name) \(label)"])
                #expect(abs(value - expected) <= 0.05 + 1e-9, "\(folder) \(name) \(label): \(value) vs \(expected)")
            }
        }
    }

    @Test func theRTX4090RunReplaysWithItsEngineArguments() throws {
        let plan = try ReplayPlan(inputs: ReplayInputs(runFolder: Self.runs.appendingPathComponent(Self.folders[0])), loader: TestEngines.loader)
        let setting = Dictionary(uniqueKeysWithValues: plan.settings.map { ($0.name, $0) })
        #expect(setting["num_gpu_blocks"]?.value == "2588" && setting["num_gpu_blocks"]?.source == "meta.json kv_cache.num_gpu_blocks")
        #expect(setting["max_num_batched_tokens"]?.value == "2048" && setting["hardware"]?.value == "RTX4090")
        #expect(setting["engine"]?.value == "vllm-0.19" && setting["enable_prefix_caching"]?.value == "true")
        #expect(plan.engine.kvCapacity.totalBlocks == 2588 && plan.engine.config.maxNumBatchedTokens == 2048)
        let result = ReplayRunner.run(plan, runName: "RTX4090")
        #expect(result.pairs.count == 300 && result.report.unmatched == 0)
        // LLMServingSim's simulator finds the same 4,848 prompt tokens cached on this trace (its outputs/sim.log).
        #expect(result.report.prefixCacheHits == 4848 && result.report.prefixCacheQueries == 257_239)
        #expect(result.report.preemptions > 0)
        for key in ["ttft.mean", "tpot.mean", "e2e.mean", "ttft.p90", "tpot.p90", "e2e.p90"] {
            let diff = try #require(result.report.diffPercent[key])
            #expect(diff.isFinite && abs(diff) < 50, "\(key) \(diff)")
        }
        #expect(result.timeseries.count >= Int(result.report.simulator.durationSeconds))
    }

    @Test func theRTXPRO6000RunsNeedThatGPUInTheCatalog() throws {
        let inputs = ReplayInputs(runFolder: Self.runs.appendingPathComponent(Self.folders[1]))
        if TestEngines.loader.gpus.gpus.contains(where: { $0.name == "RTXPRO6000" }) {
            let result = ReplayRunner.run(try ReplayPlan(inputs: inputs, loader: TestEngines.loader), runName: "RTXPRO6000")
            #expect(result.pairs.count == 300)
        } else {
            #expect { _ = try ReplayPlan(inputs: inputs, loader: TestEngines.loader) } throws: { error in
                "\(error)".contains("RTXPRO6000") && "\(error)".contains("hardware/gpus.json")
            }
        }
    }

    @Test func aBenchServeResultReadsItsPerRequestTimings() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("bench-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: file) }
        let json = #"{"ttfts": [0.1, 0.2], "itls": [[0.01, 0.03], []], "input_lens": [10, 20], "output_lens": [3, 1], "errors": ["", ""]}"#
        try Data(json.utf8).write(to: file)
        let requests = try MeasuredRunFiles.loadBenchServeResult(file)
        #expect(requests.count == 2)
        #expect(abs(requests[0].ttftMs - 100) < 1e-9 && abs(requests[0].tpotMs! - 20) < 1e-9 && abs(requests[0].e2eMs - 140) < 1e-9)
        #expect(requests[1].tpotMs == nil)
    }

    @Test func theCommandWritesPairsAndChartsAndNeverOverwritesThem() async throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("replay-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: out) }
        let run = Self.runs.appendingPathComponent(Self.folders[0]).path
        let first = try await Tool.run("simulate", ["replay", run, "--out", out.path])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("TTFT Mean (ms)") && first.stdout.contains("65456.6") && first.stdout.contains("meta.json kv_cache.num_gpu_blocks"))
        let pairs = try String(contentsOf: out.appendingPathComponent("pairs.csv"), encoding: .utf8)
        #expect(pairs.split(separator: "\n").count == 301)
        for chart in ["latency_cdf.svg", "queues.svg"] {
            #expect(try String(contentsOf: out.appendingPathComponent(chart), encoding: .utf8).hasPrefix("<svg"))
        }
        let again = try await Tool.run("simulate", ["replay", run, "--out", out.path])
        #expect(again.status != 0 && again.stderr.contains("already holds"))
        let json = try await Tool.run("simulate", ["replay", run, "--json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(object["diffPercent"] != nil && object["settings"] != nil)
    }
}
