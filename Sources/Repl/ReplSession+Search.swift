import Foundation
import SimEngine

extension ReplSession {
    /// Runs a capacity search on the model in use, on this thread (Ctrl-C stops it between configurations).
    func search(_ options: ReplSearchOptions, json: Bool, interrupted: () -> Bool) throws(ReplError) -> String {
        let usage = ReplHelp.usage("search")
        let model = try resolveModel("")
        var settings = try searchOptions(options.values, model: model, usage: usage)
        settings.hardware = options.values["hardware"] ?? hardware
        settings.tp = options.values["tp"] ?? "\(tp)"
        settings.replicas = options.values["replicas"] ?? "\(replicas)"
        settings.gpus = options.values["gpus"]
        if settings.gpus != nil, options.values["replicas"] != nil {
            throw ReplError("give --replicas or --gpus (replicas = GPUs ÷ tp), not both", usage: usage)
        }
        settings.schedulers = options.values["scheduler"] ?? scheduler.kind.rawValue
        settings.maxNumSeqs = options.values["max-num-seqs"] ?? "\(scheduler.maxNumSeqs)"
        settings.maxNumBatchedTokens = options.values["max-num-batched-tokens"] ?? "\(scheduler.maxNumBatchedTokens)"
        settings.seeds = try number(options.values["seeds"], name: "seeds", usage: usage).map(Int.init) ?? settings.seeds
        settings.sloTTFTMs = try number(options.values["slo-ttft-ms"], name: "slo-ttft-ms", usage: usage)
        settings.sloTPOTMs = try number(options.values["slo-tpot-ms"], name: "slo-tpot-ms", usage: usage)
        settings.sloE2EMs = try number(options.values["slo-e2e-ms"], name: "slo-e2e-ms", usage: usage)
        settings.percentile = options.values["percentile"] ?? settings.percentile
        let targetRate = try number(options.values["target-rate"], name: "target-rate", usage: usage)
        let ranking = try options.values["rank-by"].map { text throws(ReplError) in
            guard let value = SearchRanking(rawValue: text.lowercased()) else {
                throw ReplError("unknown ranking \(ReplError.quote(text)); accepted: rate, throughput-per-gpu, cost", usage: usage)
            }
            return value
        } ?? .rate
        do {
            let capacity = try settings.search(loader: loader)
            let results = capacity.runSequentially(loader: loader, interrupted: interrupted)
            let prices = try SearchOutput.prices(explicit: nil, data: loader.data)
            let report = SearchReport(spec: capacity.spec, results: results, prices: prices, ranking: ranking, targetRate: targetRate)
            let note = results.count < capacity.grid.configurationCount ? "\ninterrupted: \(results.count) of \(capacity.grid.configurationCount) configurations searched" : ""
            return (json ? String(decoding: report.jsonData(), as: UTF8.self) : report.textReport()) + note
        } catch {
            throw ReplError(error.description, usage: usage)
        }
    }

    /// Latency percentiles against rate for the model in use on the session's GPU, tp, replicas and scheduler.
    func sweep(from: Double, through: Double, step: Double, options: ReplSearchOptions, json: Bool, interrupted: () -> Bool) throws(ReplError) -> String {
        let usage = ReplHelp.usage("sweep")
        let model = try resolveModel("")
        var settings = try searchOptions(options.values, model: model, usage: usage)
        settings.seeds = 1
        settings.sloTTFTMs = 1
        do {
            let workload = try settings.search(loader: loader).workload
            let engine = try loader.engine(model: model, hardware: hardware, tp: tp, replicas: replicas, config: scheduler, router: router)
            let points = RateSweep.run(engine: engine, workload: workload, rates: try RateSweep.rates(from: from, through: through, step: step), interrupted: interrupted)
            if json { return Formatting.json(points) }
            return "\(model) on \(hardware) tp=\(tp) × \(replicas), \(scheduler.kind.rawValue); \(workload.description); latencies in ms\n" + RateSweep.table(points)
        } catch {
            throw ReplError(error.description, usage: usage)
        }
    }

    /// The workload options shared by `search` and `sweep`, on top of the defaults of `simulate search`.
    private func searchOptions(_ values: [String: String], model: String, usage: String?) throws(ReplError) -> SearchOptions {
        var settings = SearchOptions()
        settings.models = model
        settings.router = router
        settings.gpuMemoryUtilization = scheduler.gpuMemoryUtilization
        settings.engine = scheduler.engine.name
        settings.cpuOverheadMs = Double(scheduler.engine.stepHostNs) / 1e6
        settings.requests = try number(values["requests"], name: "requests", usage: usage).map(Int.init) ?? settings.requests
        settings.inputLength = values["input-len"] ?? settings.inputLength
        settings.outputLength = values["output-len"] ?? settings.outputLength
        settings.burstiness = try number(values["burstiness"], name: "burstiness", usage: usage) ?? settings.burstiness
        settings.seed = try number(values["seed"], name: "seed", usage: usage).map(UInt64.init) ?? settings.seed
        settings.minSpanSeconds = try number(values["min-span-s"], name: "min-span-s", usage: usage) ?? settings.minSpanSeconds
        return settings
    }

    private func number(_ text: String?, name: String, usage: String?) throws(ReplError) -> Double? {
        guard let text else { return nil }
        guard let value = Double(text), value >= 0, value.isFinite, value < 1e12 else {
            throw ReplError("--\(name) must be a non-negative number, found \(ReplError.quote(text))", usage: usage)
        }
        return value
    }
}
