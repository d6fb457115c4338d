import Foundation
import PerfKit
public import SimEngine

/// The REPL's state: one engine per (model, GPU, tp), a shared clock, and every request submitted.
/// Commands are applied in order; an error leaves the state as it was.
public struct ReplSession: Sendable {
    public let loader: EngineLoader
    public private(set) var hardware: String
    public private(set) var defaultModel: String?
    public private(set) var tp = 1
    public private(set) var replicas = 1
    public private(set) var router: RouterPolicy = .roundRobin
    public private(set) var scheduler = SchedulerConfig()
    /// `--profile` of new engines and latency queries (a bundle or Vidur folder, one of our CSVs, `measured`); nil: our tables.
    public private(set) var profile: String?
    /// The session clock: every engine has been simulated up to here.
    public internal(set) var clock: SimTime = .zero
    var engines: [ReplEngineKey: ServingEngine] = [:]
    var requests: [RequestID: ReplRequest] = [:]
    var sloMet: [ReplEngineKey: Int] = [:]
    private var nextID = 1

    public init(
        loader: EngineLoader, hardware: String? = nil, model: String? = nil, tp: Int = 1, profile: String? = nil,
        scheduler: SchedulerConfig = SchedulerConfig()
    ) throws(ReplError) {
        self.loader = loader
        self.profile = profile
        do throws(SimEngineError) { try scheduler.validate() } catch { throw ReplError(error.description) }
        self.scheduler = scheduler
        let parser = ReplParser(models: loader.models.models.map(\.id), gpus: loader.gpus.gpus.map(\.name))
        self.hardware = try parser.gpu(hardware ?? "A100")
        defaultModel = try model.map { id throws(ReplError) in try parser.model(id) }
        guard tp >= 1 else { throw ReplError("tp must be at least 1, found \(tp)") }
        self.tp = tp
        if let defaultModel { try checkTensorParallel(tp, model: defaultModel) }
    }

    /// Throws unless `model` can be split `tp` ways, so that a bad pair is refused when it is set, not at a submit.
    private func checkTensorParallel(_ tp: Int, model: String) throws(ReplError) {
        do throws(PerfKitError) {
            try loader.models.model(model).requireTensorParallel(tp)
        } catch {
            throw ReplError(error.message, usage: ReplHelp.usage("use"))
        }
    }

    /// A parser that knows this session's models and GPUs.
    public var parser: ReplParser {
        ReplParser(models: loader.models.models.map(\.id), gpus: loader.gpus.gpus.map(\.name))
    }

    /// Applies one command and returns what to print; `interrupted` is polled while simulating.
    public mutating func execute(_ line: ReplLine, interrupted: () -> Bool = { false }) throws(ReplError) -> String {
        switch line.command {
        case .use(let setting): return try use(setting)
        case .submit(let model, let input, let output, let count, let at, let every):
            return try submit(model: model, input: input, output: output, count: count, at: at, every: every, json: line.json)
        case .run(let until): return run(until: until.map { $0.resolved(now: clock) }, maxSteps: nil, json: line.json, interrupted: interrupted)
        case .step(let count): return run(until: nil, maxSteps: count, json: line.json, interrupted: interrupted)
        case .status: return status(json: line.json)
        case .stats: return stats(json: line.json)
        case .requests: return requestList(json: line.json)
        case .show(let id): return try show(id, json: line.json)
        case .latency(let hardware, let model, let phase, let input, let kv, let batch, let tp):
            return try latency(hardware: hardware, model: model, phase: phase, input: input, kv: kv, batch: batch, tp: tp, json: line.json)
        case .loadTrace(let path): return try loadTrace(path)
        case .reset:
            engines = [:]
            requests = [:]
            sloMet = [:]
            clock = .zero
            nextID = 1
            return "reset: no engines, no requests, clock 0.000 s"
        case .saveReport(let folder): return try saveReport(folder)
        case .search(let options): return try search(options, json: line.json, interrupted: interrupted)
        case .sweep(let from, let through, let step, let options):
            return try sweep(from: from, through: through, step: step, options: options, json: line.json, interrupted: interrupted)
        case .help(let topic): return try ReplHelp.text(topic: topic)
        case .quit: return ""
        }
    }

    private mutating func use(_ setting: ReplSetting) throws(ReplError) -> String {
        let note = engines.isEmpty ? "" : " (applies to engines created from now on)"
        switch setting {
        case .hardware(let name):
            hardware = name
            return "hardware \(name)"
        case .model(let id):
            try checkTensorParallel(tp, model: id)
            defaultModel = id
            return "model \(id)"
        case .tp(let degree):
            if let defaultModel { try checkTensorParallel(degree, model: defaultModel) }
            tp = degree
            return "tp \(degree)\(note)"
        case .scheduler(let kind):
            scheduler.kind = kind
            return "scheduler \(kind.rawValue)\(note)"
        case .replicas(let count):
            replicas = count
            return "replicas \(count)\(note)"
        case .router(let policy):
            router = policy
            return "router \(policy.rawValue)\(note)"
        }
    }

    /// The engine for `model` on the current GPU and tp, created on first use.
    mutating func engine(for model: String) throws(ReplError) -> ReplEngineKey {
        let key = ReplEngineKey(model: model, hardware: hardware, tp: tp)
        if engines[key] == nil {
            do {
                var engine = try loader.engine(model: model, hardware: hardware, tp: tp, replicas: replicas, config: scheduler, router: router, profile: profile)
                engine.advance(to: clock)
                engines[key] = engine
            } catch {
                throw ReplError(error.description)
            }
        }
        return key
    }

    func resolveModel(_ model: String) throws(ReplError) -> String {
        if !model.isEmpty { return model }
        guard let defaultModel else {
            throw ReplError("no model given and none in use; write submit MODEL INPUT OUTPUT or use model ID", usage: ReplHelp.usage("submit"))
        }
        return defaultModel
    }

    private mutating func submit(model: String, input: Int, output: Int, count: Int, at: ReplTime?, every: SimTime, json: Bool) throws(ReplError) -> String {
        let key = try engine(for: try resolveModel(model))
        let start = at?.resolved(now: clock) ?? clock
        guard start >= clock else {
            throw ReplError("time \(Formatting.seconds(start)) is in the past (clock \(Formatting.seconds(clock))); use +TIME for a time after now")
        }
        guard Double(every.nanoseconds) * Double(count) + Double(start.nanoseconds) < 1e18 else {
            throw ReplError("\(count) requests every \(Formatting.seconds(every)) reach past the simulator's time range", usage: ReplHelp.usage("submit"))
        }
        var lines: [String] = []
        var ids: [RequestID] = []
        for index in 0..<count {
            let arrival = start + SimTime(nanoseconds: every.nanoseconds * Int64(index))
            let result = enqueue(RequestSpec(id: nextID, inputTokens: input, outputTokens: output, arrival: arrival), key: key)
            ids.append(result.id)
            if let reason = result.rejection {
                lines.append("request \(result.id) rejected: \(reason)")
            } else if count <= 10 {
                lines.append("request \(result.id) queued at t=\(Formatting.seconds(arrival)) (\(input) prompt tokens, \(output) output tokens) on \(key)")
            }
        }
        if count > 10 {
            let accepted = ids.filter { requests[$0]?.rejection == nil }
            lines.append("requests \(ids.first!)...\(ids.last!) queued (\(accepted.count) accepted) from t=\(Formatting.seconds(start)) on \(key)")
        }
        if json { return Formatting.json(ids.compactMap { requests[$0] }) }
        return lines.joined(separator: "\n")
    }

    /// Submits one request to an engine and records it; returns its id and a rejection reason, if any.
    mutating func enqueue(_ spec: RequestSpec, key: ReplEngineKey) -> (id: RequestID, rejection: String?) {
        nextID = spec.id + 1
        var request = ReplRequest(
            id: spec.id, model: key.model, hardware: key.hardware, tp: key.tp, inputTokens: spec.inputTokens,
            outputTokens: spec.outputTokens, arrival: spec.arrival, phase: .waiting, generatedTokens: 0)
        if engines[key]!.submit(spec) == .rejected {
            engines[key]!.drainEvents { event in
                if case .rejected(_, let reason, _) = event { request.rejection = reason }
            }
            request.phase = .rejected
        }
        requests[spec.id] = request
        return (spec.id, request.rejection)
    }

    var nextRequestID: RequestID { nextID }
}
