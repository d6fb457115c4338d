import Foundation
import PerfKit
import SimEngine

/// Parses REPL lines into commands; pure, given the models and GPUs that exist.
public struct ReplParser: Sendable {
    /// Known model ids.
    public var models: [String]
    /// Known GPU names.
    public var gpus: [String]

    public init(models: [String], gpus: [String]) {
        self.models = models
        self.gpus = gpus
    }

    /// The command of `line`, or nil for a blank line or a `#` comment.
    public func parse(_ line: String) throws(ReplError) -> ReplLine? {
        var tokens = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" }).map(String.init)
        if tokens.first?.hasPrefix("#") ?? true { return nil }
        let json = tokens.last == "--json"
        if json { tokens.removeLast() }
        guard let name = tokens.first else { throw ReplError("--json needs a command before it") }
        var arguments = Arguments(tokens: Array(tokens.dropFirst()), usage: ReplHelp.usage(name.lowercased()))
        let command: ReplCommand
        switch name.lowercased() {
        case "use": command = .use(try parseSetting(&arguments))
        case "submit": command = try parseSubmit(&arguments)
        case "run":
            if arguments.isEmpty {
                command = .run(until: nil)
            } else {
                try arguments.expectKeyword("until")
                command = .run(until: try arguments.time("TIME"))
            }
        case "step": command = .step(count: arguments.isEmpty ? 1 : try arguments.positiveInt("N"))
        case "status": command = .status
        case "stats": command = .stats
        case "requests": command = .requests
        case "show": command = .show(try arguments.positiveInt("ID"))
        case "latency": command = try parseLatency(&arguments)
        case "load":
            try arguments.expectKeyword("trace")
            command = .loadTrace(path: try arguments.word("FILE"))
        case "reset": command = .reset
        case "save":
            try arguments.expectKeyword("report")
            command = .saveReport(folder: try arguments.word("FOLDER"))
        case "search": command = try parseSearch(&arguments)
        case "sweep": command = try parseSweep(&arguments)
        case "help", "?": command = .help(topic: arguments.isEmpty ? nil : try arguments.word("COMMAND").lowercased())
        case "quit", "exit": command = .quit
        default:
            throw ReplError("unknown command \(ReplError.quote(name)); commands: \(ReplHelp.entries.map(\.name).joined(separator: ", ")) (help COMMAND for usage)")
        }
        try arguments.expectEnd()
        return ReplLine(command: command, json: json)
    }

    private func parseSetting(_ arguments: inout Arguments) throws(ReplError) -> ReplSetting {
        let key = try arguments.word("hardware|model|tp|scheduler|replicas|router")
        switch key.lowercased() {
        case "hardware", "gpu": return .hardware(try gpu(arguments.word("GPU"), usage: arguments.usage))
        case "model": return .model(try model(arguments.word("ID"), usage: arguments.usage))
        case "tp": return .tp(try arguments.positiveInt("N", maximum: 64))
        case "replicas": return .replicas(try arguments.positiveInt("N", maximum: 1024))
        case "scheduler":
            let value = try arguments.word("SCHEDULER")
            guard let kind = SchedulerKind(rawValue: value.lowercased()) else {
                throw ReplError("unknown scheduler \(ReplError.quote(value)); accepted: vllm, orca, static", usage: arguments.usage)
            }
            return .scheduler(kind)
        case "router":
            let value = try arguments.word("ROUTER")
            guard let policy = RouterPolicy(rawValue: value.lowercased()) else {
                throw ReplError("unknown router \(ReplError.quote(value)); accepted: round_robin, least_outstanding, least_kv", usage: arguments.usage)
            }
            return .router(policy)
        default:
            throw ReplError("cannot use \(ReplError.quote(key)); accepted: hardware, model, tp, scheduler, replicas, router", usage: arguments.usage)
        }
    }

    private func parseSubmit(_ arguments: inout Arguments) throws(ReplError) -> ReplCommand {
        var modelID = ""
        // A model id is not a number: a token of digits is INPUT, however large (its own check says what is wrong).
        if let first = arguments.peek, Double(first) == nil, !first.hasPrefix("-") {
            modelID = try model(arguments.word("MODEL"), usage: arguments.usage)
        }
        let input = try arguments.positiveInt("INPUT")
        let output = try arguments.positiveInt("OUTPUT")
        var count = 1
        var at: ReplTime?
        var every = SimTime.zero
        while let token = arguments.peek {
            if token.lowercased().hasPrefix("x"), token.count > 1 {
                _ = try arguments.word("xN")
                guard let value = Int(token.dropFirst()), value >= 1, value <= 1_000_000 else {
                    throw ReplError("expected a repeat count like x8 (1...1000000), found \(ReplError.quote(token))", usage: arguments.usage)
                }
                count = value
            } else if token.lowercased() == "at" {
                _ = try arguments.word("at")
                at = try arguments.time("TIME")
            } else if token.lowercased() == "every" {
                _ = try arguments.word("every")
                let span = try arguments.time("SPAN")
                every = span.time
            } else {
                throw ReplError("unexpected \(ReplError.quote(token)); expected xN, at TIME or every SPAN", usage: arguments.usage)
            }
        }
        return .submit(model: modelID, input: input, output: output, count: count, at: at, every: every)
    }

    private func parseLatency(_ arguments: inout Arguments) throws(ReplError) -> ReplCommand {
        let hardware = try gpu(arguments.word("GPU"), usage: arguments.usage)
        let modelID = try model(arguments.word("MODEL"), usage: arguments.usage)
        let phaseText = try arguments.word("prefill|decode")
        guard let phase = LatencyPhase(rawValue: phaseText.lowercased()) else {
            throw ReplError("expected prefill or decode, found \(ReplError.quote(phaseText))", usage: arguments.usage)
        }
        var values = ["input": phase == .decode ? 1 : 512, "kv": 0, "batch": 1, "tp": 1]
        while let token = arguments.peek {
            _ = try arguments.word("KEY=N")
            let parts = token.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, values[parts[0].lowercased()] != nil else {
                throw ReplError("expected input=N, kv=N, batch=N or tp=N, found \(ReplError.quote(token))", usage: arguments.usage)
            }
            let key = parts[0].lowercased()
            let limit = ["batch": IterationCost.maxQueryBatch, "tp": 64][key] ?? 10_000_000
            guard let value = Int(parts[1]), value >= (key == "kv" ? 0 : 1), value <= limit else {
                throw ReplError("\(key) must be a \(key == "kv" ? "non-negative" : "positive") integer up to \(limit), found \(ReplError.quote(parts[1]))", usage: arguments.usage)
            }
            values[key] = value
        }
        if phase == .decode { values["input"] = 1 }
        return .latency(hardware: hardware, model: modelID, phase: phase, input: values["input"]!, kv: values["kv"]!, batch: values["batch"]!, tp: values["tp"]!)
    }

    /// The canonical name of a known GPU (case-insensitive), or an error listing the known ones.
    public func gpu(_ name: String, usage: String? = nil) throws(ReplError) -> String {
        guard let match = gpus.first(where: { $0.caseInsensitiveCompare(name) == .orderedSame }) else {
            throw ReplError("unknown GPU \(ReplError.quote(name)); known: \(gpus.joined(separator: ", "))", usage: usage)
        }
        return match
    }

    /// A known model id, given whole or by its last part (`Qwen3-8B`), or an error listing the known ones.
    public func model(_ id: String, usage: String? = nil) throws(ReplError) -> String {
        if let match = models.first(where: { $0 == id }) { return match }
        let bySuffix = models.filter { $0.split(separator: "/").last.map(String.init)?.caseInsensitiveCompare(id) == .orderedSame }
        if bySuffix.count == 1 { return bySuffix[0] }
        throw ReplError("unknown model \(ReplError.quote(id)); known: \(models.joined(separator: ", "))", usage: usage)
    }
}

/// The remaining tokens of a line, consumed left to right with typed errors.
struct Arguments {
    var tokens: [String]
    let usage: String?
    private var position = 0

    init(tokens: [String], usage: String?) {
        self.tokens = tokens
        self.usage = usage
    }

    var isEmpty: Bool { position >= tokens.count }
    var peek: String? { isEmpty ? nil : tokens[position] }

    mutating func word(_ name: String) throws(ReplError) -> String {
        guard let token = peek else { throw ReplError("missing \(name)", usage: usage) }
        position += 1
        return token
    }

    mutating func expectKeyword(_ keyword: String) throws(ReplError) {
        let token = try word(keyword)
        guard token.lowercased() == keyword else {
            throw ReplError("expected \(ReplError.quote(keyword)), found \(ReplError.quote(token))", usage: usage)
        }
    }

    /// A positive integer no larger than `maximum` (token counts, ids and counts stay far from overflow).
    mutating func positiveInt(_ name: String, maximum: Int = 1_000_000_000) throws(ReplError) -> Int {
        let token = try word(name)
        guard let value = Int(token) else {
            throw ReplError("\(name) must be a positive integer, found \(ReplError.quote(token))", usage: usage)
        }
        guard value >= 1 else { throw ReplError("\(name) must be at least 1, found \(value)", usage: usage) }
        guard value <= maximum else { throw ReplError("\(name) must be at most \(maximum), found \(value)", usage: usage) }
        return value
    }

    /// `30s`, `500ms`, `250us`, `100ns`, `2` (seconds); a leading `+` makes it relative to now.
    mutating func time(_ name: String) throws(ReplError) -> ReplTime {
        let token = try word(name)
        var text = Substring(token.lowercased())
        let relative = text.hasPrefix("+")
        if relative { text = text.dropFirst() }
        let units: [(String, Double)] = [("ms", 1e-3), ("us", 1e-6), ("µs", 1e-6), ("ns", 1e-9), ("s", 1), ("m", 60)]
        var scale = 1.0
        for (suffix, factor) in units where text.hasSuffix(suffix) {
            text = text.dropLast(suffix.count)
            scale = factor
            break
        }
        guard let value = Double(text), value.isFinite, value >= 0, value * scale < 1e6 else {
            throw ReplError("\(name) must be a non-negative time like 2s, +0.5s or 300ms, found \(ReplError.quote(token))", usage: usage)
        }
        return ReplTime(time: .seconds(value * scale), isRelative: relative)
    }

    func expectEnd() throws(ReplError) {
        if let extra = peek { throw ReplError("unexpected \(ReplError.quote(extra))", usage: usage) }
    }
}
