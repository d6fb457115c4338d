import Foundation
import PerfKit
import SimEngine

extension ReplSession {
    /// Every engine's queues and KV use.
    func status(json: Bool) -> String {
        struct EngineStatus: Encodable {
            var engine: String
            var snapshot: EngineSnapshot
        }
        let keys = engines.keys.sorted()
        if json {
            return Formatting.json(keys.map { EngineStatus(engine: $0.description, snapshot: engines[$0]!.snapshot()) })
        }
        var lines = ["clock \(Formatting.seconds(clock)); hardware \(hardware), model \(defaultModel ?? "none"), tp \(tp), scheduler \(scheduler.kind.rawValue), replicas \(replicas), router \(router.rawValue)"]
        guard !keys.isEmpty else { return (lines + ["no engines yet: submit a request to create one"]).joined(separator: "\n") }
        var rows: [[String]] = []
        // Requests not arrived yet belong to no replica: the router picks one when they arrive.
        var notArrived: [String] = []
        for key in keys {
            let snapshot = engines[key]!.snapshot()
            if snapshot.pending > 0 { notArrived.append("\(key.description): \(snapshot.pending) not arrived yet (a replica is chosen on arrival)") }
            for replica in snapshot.replicas {
                rows.append([
                    key.description, "\(replica.index)", "\(replica.waiting)", "\(replica.running)",
                    "\(replica.kvBlocksUsed)/\(replica.kvBlocksTotal)", String(format: "%.1f %%", replica.kvUtilization * 100),
                    replica.busyUntil.map(Formatting.seconds) ?? "idle", "\(replica.iterations)",
                ])
            }
        }
        lines.append(Formatting.table(["engine", "replica", "waiting", "running", "KV blocks", "KV use", "busy until", "iterations"], rows))
        return (lines + notArrived).joined(separator: "\n")
    }

    /// Latency distributions and throughput of every engine so far.
    func stats(json: Bool) -> String {
        let keys = engines.keys.sorted()
        let summaries = keys.map { RunSummary(engine: engines[$0]!, slo: ServiceLevelObjective(), metSLO: sloMet[$0] ?? 0) }
        if json { return Formatting.json(summaries) }
        guard !summaries.isEmpty else { return "no requests yet" }
        return summaries.map { $0.textReport() }.joined(separator: "\n\n")
    }

    /// The current view of a request, live for one still in an engine.
    func view(_ id: RequestID) -> ReplRequest? {
        guard var request = requests[id] else { return nil }
        let key = ReplEngineKey(model: request.model, hardware: request.hardware, tp: request.tp)
        if request.record == nil, request.rejection == nil, let engine = engines[key] {
            if let active = engine.activeRequests().first(where: { $0.id == id }) {
                request.phase = active.phase
                request.generatedTokens = active.generatedTokens
                request.firstToken = active.firstToken
            } else if let phase = engine.phase(of: id) {
                request.phase = phase
            }
        }
        request.arrived = request.record != nil || request.rejection != nil || request.arrival <= clock
        return request
    }

    func requestList(json: Bool) -> String {
        let all = requests.keys.sorted().compactMap(view)
        if json { return Formatting.json(all) }
        guard !all.isEmpty else { return "no requests yet" }
        let rows = all.map { request -> [String] in
            [
                "\(request.id)", request.model, request.hardware, request.phaseLabel, "\(request.inputTokens)",
                "\(request.generatedTokens)/\(request.outputTokens)", Formatting.seconds(request.arrival),
                request.firstToken.map { Formatting.milliseconds($0 - request.arrival) } ?? "-",
                request.record.map { Formatting.milliseconds($0.tpot) } ?? "-",
                request.record.map { Formatting.milliseconds($0.latency) } ?? "-",
            ]
        }
        return Formatting.table(["id", "model", "GPU", "phase", "input", "output", "arrival", "TTFT", "TPOT", "E2E"], rows)
    }

    func show(_ id: RequestID, json: Bool) throws(ReplError) -> String {
        guard let request = view(id) else {
            let known = nextRequestID > 1 ? "requests are 1...\(nextRequestID - 1)" : "no requests yet"
            throw ReplError("no request \(id); \(known)", usage: ReplHelp.usage("show"))
        }
        if json { return Formatting.json(request) }
        var lines = [
            "request \(id): \(request.model) on \(request.hardware) tp=\(request.tp), \(request.phaseLabel)",
            "  tokens: \(request.inputTokens) prompt, \(request.generatedTokens)/\(request.outputTokens) output",
            "  arrival: \(Formatting.seconds(request.arrival))",
        ]
        if let reason = request.rejection { lines.append("  rejected: \(reason)") }
        if let first = request.firstToken { lines.append("  first token: \(Formatting.seconds(first)) (TTFT \(Formatting.milliseconds(first - request.arrival)))") }
        if let record = request.record {
            lines.append("  first scheduled: \(Formatting.seconds(record.firstScheduled)) (queued \(Formatting.milliseconds(record.queuingDelay)))")
            lines.append("  finished: \(Formatting.seconds(record.end)) (E2E \(Formatting.milliseconds(record.latency)), TPOT \(Formatting.milliseconds(record.tpot)), max ITL \(Formatting.milliseconds(record.maxInterTokenLatency)))")
            lines.append("  replica \(record.replica), preempted \(record.preemptions)×")
        }
        return lines.joined(separator: "\n")
    }

    func latency(hardware: String, model: String, phase: LatencyPhase, input: Int, kv: Int, batch: Int, tp: Int, json: Bool) throws(ReplError) -> String {
        let cost: any LatencySource
        do {
            (cost, _) = try loader.source(model: model, hardware: hardware, tp: tp, profile: profile)
        } catch {
            throw ReplError(error.description, usage: ReplHelp.usage("latency"))
        }
        guard input + kv <= cost.model.maxPositionEmbeddings else {
            throw ReplError("\(input + kv) tokens exceed \(model)'s context of \(cost.model.maxPositionEmbeddings)", usage: ReplHelp.usage("latency"))
        }
        let breakdown = cost.breakdown(sequences: Array(repeating: (input: input, kvCache: kv), count: batch), emitting: batch)
        // The engine profile adds the host time per step not hidden behind the GPU (the sampler is in the kernels).
        let timing = cost.iteration(sequences: Array(repeating: (input: input, kvCache: kv), count: batch), emitting: batch)
        let gpuNs = Int64(timing.ns.rounded(.up))
        let stepNs = scheduler.engine.stepNs(gpuNs: gpuNs, sequences: batch)
        let gpuMs = Double(gpuNs) / 1e6
        let milliseconds = Double(stepNs) / 1e6
        let hostMs = milliseconds - gpuMs
        // Tokens the iteration processes: the prompts' new tokens for prefill, one output token per sequence for decode.
        let tokensPerSecond = Double(batch * input) / (milliseconds / 1e3)
        let tokenKind = phase == .prefill ? "prompt" : "output"
        let extrapolated = (cost as? IterationCost)?.table.extrapolatedLayers(newTokens: input, kvCache: kv, batch: batch).map(\.rawValue)
            ?? (timing.extrapolated ? ["attention or dense lookups of the measured profile"] : [])
        if json {
            struct Answer: Encodable {
                var hardware: String, model: String, phase: String, input: Int, kv: Int, batch: Int, tp: Int
                var iterationMs: Double, gpuMs: Double, hostOverheadMs: Double, tokensPerSecond: Double, layersMs: [String: Double]
                var extrapolatedLayers: [String]
            }
            var layers: [String: Double] = [:]
            for item in breakdown.items { layers[item.name] = item.totalNs / 1e6 }
            return Formatting.json(Answer(hardware: hardware, model: model, phase: phase.rawValue, input: input, kv: kv, batch: batch, tp: tp,
                                          iterationMs: milliseconds, gpuMs: gpuMs, hostOverheadMs: hostMs, tokensPerSecond: tokensPerSecond,
                                          layersMs: layers, extrapolatedLayers: extrapolated))
        }
        let top = breakdown.items.sorted { $0.totalNs > $1.totalNs }.prefix(3)
            .map { "\($0.name) \(String(format: "%.0f", $0.totalNs / breakdown.totalNs * 100)) %" }.joined(separator: ", ")
        let warning = extrapolated.isEmpty ? "" : "; extrapolated past the table's points: \(extrapolated.joined(separator: ", "))"
        return "\(model) on \(hardware) tp=\(tp), \(phase.rawValue) batch \(batch) × (\(input) new, \(kv) cached): "
            + "\(Formatting.milliseconds(milliseconds)) per iteration (GPU \(Formatting.milliseconds(gpuMs)) + host of \(scheduler.engine.name) not overlapped \(Formatting.milliseconds(hostMs))), "
            + "\(String(format: "%.0f", tokensPerSecond)) \(tokenKind) tokens/s (largest: \(top))\(warning)"
    }
}
