import HTTPTypes
import Foundation
import Hummingbird
import NIOCore
import SimEngine

/// One chat or text completion in flight: output lengths, submission to the engine, and the response.
struct Generation: Sendable {
    enum Kind: Sendable { case chat, text }

    let kind: Kind
    let driver: EngineDriver
    /// The model's name in responses (its first served name).
    let modelName: String
    let parameters: GenerationParameters
    /// Prompt tokens of each prompt (chat has one).
    let promptTokens: [Int]
    /// Token ids of each prompt, for prefix caching.
    let promptIDs: [[UInt32]]
    /// Prompt text to echo before each choice's output (text completions with `echo`).
    let echoTexts: [String?]
    let outputLengths: LengthDistribution
    let seed: UInt64
    /// The request's number on this server (1, 2, …): its response id, and what varies its drawn lengths.
    let number: UInt64
    /// This server run's random id, in response ids.
    let instance: String

    /// Probability that a choice with `tool_choice: auto` calls a tool.
    let toolCallProbability: Double

    /// The seed of this request's draws: its own `seed` fixes them; without one, each request draws anew from the
    /// server's seed.
    var requestSeed: UInt64 {
        parameters.seed.map { UInt64(bitPattern: Int64($0)) } ?? seed &+ number &* 0x9E37_79B9_7F4A_7C15
    }

    /// Each choice's plan: `max_tokens` exactly when given (finish `length`), else a draw from the configured
    /// distribution (finish `stop`), at least `min_tokens`, never past the context; a JSON document or tool call
    /// shapes the text; a `stop` sequence in the text ends it there.
    func plan() throws(OpenAIError) -> [ChoicePlan] {
        var generator = SeededGenerator(seed: requestSeed)
        var choices: [ChoicePlan] = []
        let context = driver.maxContext
        let param = kind == .chat ? "messages" : "prompt"
        let format = parameters.format
        for (promptIndex, prompt) in promptTokens.enumerated() {
            guard prompt >= 1 else {
                throw OpenAIError.invalid("The \(param) must contain at least one token.", param: param, code: "invalid_value")
            }
            let requested = parameters.maxTokens ?? max(1, parameters.minTokens)
            if prompt + requested > context {
                let completion = parameters.maxTokens.map { ", \($0) in the completion" } ?? ""
                throw OpenAIError.invalid(
                    "This model's maximum context length is \(context) tokens. However, you requested \(prompt + requested) tokens (\(prompt) in the \(param)\(completion)). Please reduce the length of the \(param) or completion.",
                    param: param, code: "context_length_exceeded")
            }
            let room = context - prompt
            for _ in 0..<parameters.n {
                var choice: ChoicePlan
                if let maxTokens = parameters.maxTokens {
                    choice = ChoicePlan(input: prompt, output: maxTokens, finish: "length")
                } else if parameters.ignoreEOS {
                    choice = ChoicePlan(input: prompt, output: room, finish: "length")
                } else {
                    let drawn = max(outputLengths.sample(using: &generator), parameters.minTokens)
                    choice = drawn >= room ? ChoicePlan(input: prompt, output: room, finish: "length") : ChoicePlan(input: prompt, output: drawn, finish: "stop")
                }
                let lengthIsFixed = parameters.maxTokens != nil || parameters.ignoreEOS
                if let tool = chooseTool(format, using: &generator) {
                    choice.toolCall = ChoicePlan.ToolCall(id: "chatcmpl-tool-" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased(), name: tool.name)
                    choice.shape(as: tool.arguments, room: room, lengthIsFixed: lengthIsFixed, done: "tool_calls")
                } else if let document = format.document {
                    choice.shape(as: document, room: room, lengthIsFixed: lengthIsFixed, done: "stop")
                }
                choice.prompt = promptIndex
                choice.applyStops(parameters.stop, minTokens: parameters.minTokens, includeStop: parameters.includeStop)
                choices.append(choice)
            }
        }
        return choices
    }

    /// The tool a choice calls, if any: always for `required` and a named function, with `toolCallProbability`
    /// for `auto`; which of several tools is drawn.
    private func chooseTool(_ format: OutputFormat, using generator: inout SeededGenerator) -> ToolSpec? {
        switch format.toolChoice {
        case .none: return nil
        case .named(let name): return format.tools.first { $0.name == name }
        case .required: return format.tools[Int.random(in: 0..<format.tools.count, using: &generator)]
        case .auto:
            guard Double.random(in: 0..<1, using: &generator) < toolCallProbability else { return nil }
            return format.tools[Int.random(in: 0..<format.tools.count, using: &generator)]
        }
    }

    /// The log-probabilities of this request, nil when not asked for.
    var logprobs: SimulatedLogprobs? { parameters.logprobs.map { SimulatedLogprobs(seed: requestSeed, top: $0) } }

    var usagePromptTokens: Int { promptTokens.reduce(0, +) }

    /// Whether choice `index` is the first of its prompt (the one whose cached prompt tokens usage reports).
    static func isFirstChoice(_ index: Int, _ plan: [ChoicePlan]) -> Bool { index == 0 || plan[index - 1].prompt != plan[index].prompt }

    /// Requests that take at least this much wall time watch for their client going away. Watching closes the
    /// connection after the response (Hummingbird reads past the request to notice; the response says
    /// `Connection: close`), so quick requests skip it and keep their connection alive; what they could waste is
    /// bounded by this.
    static let disconnectWatchSeconds = 0.25

    /// The whole response once every choice has finished; a client that goes away first cancels its requests.
    func respond(request: Request) async throws -> Response {
        let plan = try plan()
        let submission = try await driver.submit(plan.map { ($0.input, $0.output) }, contents: plan.map { .tokens(promptIDs[$0.prompt]) },
                                                 promptParam: kind == .chat ? "messages" : "prompt")
        let (ids, events) = (submission.ids, submission.events)
        let driver = self.driver
        @Sendable func collect() async -> [Int: RequestRecord] {
            var records: [Int: RequestRecord] = [:]
            for await event in events {
                if case .finished(let choice, let record) = event { records[choice] = record }
            }
            return records
        }
        let records: [Int: RequestRecord]
        let watchesDisconnect = submission.minimumWallSeconds >= Self.disconnectWatchSeconds
        if watchesDisconnect {
            records = try await request.body.consumeWithInboundCloseHandler { _ in await collect() } onInboundClosed: {
                Task { await driver.cancel(ids) }
            }
        } else {
            records = await collect()
        }
        // Only a shutdown cancels requests whose client is still connected.
        guard records.count == plan.count else { throw OpenAIError.shuttingDown }
        let logprobs = self.logprobs
        let choices = plan.indices.map { index in
            let echoText = echo(index) ?? ""
            let logprobsJSON = logprobs.map { logprobs in
                kind == .chat
                    ? logprobs.chatJSON(choice: index, start: 1, pieces: plan[index].visiblePieces)
                    : logprobs.completionJSON(choice: index, start: 1, pieces: plan[index].visiblePieces, offset: echoText.count,
                                              promptPieces: PromptTokenizer.pieces(echoText))
            }
            return FinishedChoice(index: index, text: echoText + plan[index].text, finishReason: plan[index].finish, record: records[index]!,
                                  toolCall: plan[index].toolCall, logprobs: logprobsJSON)
        }
        let cached = plan.indices.filter { Self.isFirstChoice($0, plan) }.reduce(0) { $0 + records[$1]!.cachedTokens }
        let usage = Usage(promptTokens: usagePromptTokens, completionTokens: plan.reduce(0) { $0 + $1.output }, cachedTokens: cached)
        let id = (kind == .chat ? "chatcmpl-" : "cmpl-") + "\(instance)-\(number)"
        let created = Int(Date().timeIntervalSince1970)
        let body = kind == .chat
            ? ChatBodies(id: id, created: created, model: modelName, includeUsageField: false).completion(choices, usage: usage, hardware: driver.hardware)
            : TextBodies(id: id, created: created, model: modelName, includeUsageField: false).completion(choices, usage: usage, hardware: driver.hardware)
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        let first = records[0]!
        headers[HTTPField.Name("x-sim-hardware")!] = driver.hardware
        headers[HTTPField.Name("x-sim-ttft-ms")!] = JSONText.number(first.ttft.milliseconds)
        headers[HTTPField.Name("x-sim-tpot-ms")!] = JSONText.number(first.tpot.milliseconds)
        headers[HTTPField.Name("x-sim-e2e-ms")!] = JSONText.number(first.latency.milliseconds)
        // Watching for a disconnect reads past the request, so the connection cannot be reused: say so.
        if watchesDisconnect { headers[.connection] = "close" }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: body)))
    }

    /// An SSE response whose events are written as simulated time reaches them; a client that goes away cancels.
    func stream(request: Request) async throws -> Response {
        let plan = try plan()
        let submission = try await driver.submit(plan.map { ($0.input, $0.output) }, contents: plan.map { .tokens(promptIDs[$0.prompt]) },
                                                 promptParam: kind == .chat ? "messages" : "prompt")
        let (ids, events) = (submission.ids, submission.events)
        let id = (kind == .chat ? "chatcmpl-" : "cmpl-") + "\(instance)-\(number)"
        let created = Int(Date().timeIntervalSince1970)
        let chat = ChatBodies(id: id, created: created, model: modelName, includeUsageField: parameters.includeUsage)
        let text = TextBodies(id: id, created: created, model: modelName, includeUsageField: parameters.includeUsage)
        let usage = Usage(promptTokens: usagePromptTokens, completionTokens: plan.reduce(0) { $0 + $1.output })
        let driver = self.driver
        let hardware = driver.hardware
        let kind = self.kind
        let includeUsage = parameters.includeUsage
        let echoes = plan.indices.map { echo($0) }
        let logprobs = self.logprobs
        var headers = HTTPFields()
        headers[.contentType] = "text/event-stream"
        headers[.cacheControl] = "no-cache"
        headers[.connection] = "close"
        headers[HTTPField.Name("x-sim-hardware")!] = hardware
        return Response(status: .ok, headers: headers, body: ResponseBody { writer in
            func send(_ json: String) async throws {
                try await writer.write(ByteBuffer(string: "data: \(json)\n\n"))
            }
            do {
                try await request.body.consumeWithInboundCloseHandler { _ in
                    for index in plan.indices {
                        if kind == .chat {
                            try await send(chat.roleChunk(index: index))
                        } else if let echo = echoes[index] {
                            let echoLogprobs = logprobs?.completionJSON(choice: index, start: 1, pieces: [], offset: 0, promptPieces: PromptTokenizer.pieces(echo))
                            try await send(text.textChunk(index: index, text: echo, finishReason: nil, logprobs: echoLogprobs))
                        }
                    }
                    var finished = 0
                    var usage = usage
                    // Characters sent of each choice that a stop sequence cuts: nothing from the stop on is sent.
                    var sent = [Int](repeating: 0, count: plan.count)
                    for await event in events {
                        switch event {
                        case .token(let choice, let index, _):
                            var piece = plan[choice].piece(index)
                            if let kept = plan[choice].keptCharacters {
                                let room = kept - sent[choice]
                                if room <= 0 { continue }
                                if piece.count > room { piece = String(piece.prefix(room)) }
                            }
                            let offset = sent[choice] + (echoes[choice]?.count ?? 0)
                            sent[choice] += piece.count
                            if kind == .chat {
                                let chunkLogprobs = logprobs?.chatJSON(choice: choice, start: index, pieces: [piece])
                                if let call = plan[choice].toolCall {
                                    try await send(chat.toolCallChunk(index: choice, call: index == 1 ? call : nil, arguments: piece, logprobs: chunkLogprobs))
                                } else {
                                    try await send(chat.contentChunk(index: choice, text: piece, logprobs: chunkLogprobs))
                                }
                            } else {
                                let chunkLogprobs = logprobs?.completionJSON(choice: choice, start: index, pieces: [piece], offset: offset)
                                try await send(text.textChunk(index: choice, text: piece, finishReason: nil, logprobs: chunkLogprobs))
                            }
                        case .finished(let choice, let record):
                            finished += 1
                            if Self.isFirstChoice(choice, plan) { usage.cachedTokens += record.cachedTokens }
                            let reason = plan[choice].finish
                            try await send(kind == .chat
                                ? chat.finishChunk(index: choice, reason: reason, record: record, hardware: hardware)
                                : text.textChunk(index: choice, text: "", finishReason: reason, simulation: SimulationField.json(record, hardware: hardware)))
                        }
                    }
                    guard finished == plan.count else {
                        // Cancelled by a shutdown: say so, and do not claim a normal end with [DONE].
                        try await send(#"{"error":{"message":"The server is shutting down.","type":"server_error","param":null,"code":"service_unavailable"}}"#)
                        return
                    }
                    if includeUsage { try await send(kind == .chat ? chat.usageChunk(usage) : text.usageChunk(usage)) }
                    try await writer.write(ByteBuffer(string: "data: [DONE]\n\n"))
                } onInboundClosed: {
                    Task { await driver.cancel(ids) }
                }
            } catch {
                await driver.cancel(ids)
                throw error
            }
            try await writer.finish(nil)
        })
    }

    private func echo(_ choice: Int) -> String? {
        echoTexts[choice / parameters.n]
    }
}
