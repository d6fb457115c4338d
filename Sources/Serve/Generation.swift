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

    /// One choice as planned: its prompt and output tokens, why it ends, and, when a stop sequence ends it, the
    /// characters of output text before the stop (the client never sees the stop itself).
    struct ChoicePlan: Sendable {
        /// Which prompt it answers.
        var prompt = 0
        var input: Int
        var output: Int
        var finish: String
        var keptCharacters: Int?

        /// The output text the client gets.
        var text: String {
            let full = FillerText.text(tokens: output)
            return keptCharacters.map { String(full.prefix($0)) } ?? full
        }
    }

    /// Each choice's plan: `max_tokens` exactly when given (finish `length`), else a draw from the configured
    /// distribution (finish `stop`), never past the context; a `stop` sequence in the text ends it there.
    func plan() throws(OpenAIError) -> [ChoicePlan] {
        // A request's own `seed` fixes its draw; without one, each request draws anew from the server's seed.
        var generator = SeededGenerator(seed: parameters.seed.map { UInt64(bitPattern: Int64($0)) } ?? seed &+ number &* 0x9E37_79B9_7F4A_7C15)
        var choices: [ChoicePlan] = []
        let stop = FillerText.firstStop(of: parameters.stop)
        let context = driver.maxContext
        let param = kind == .chat ? "messages" : "prompt"
        for (promptIndex, prompt) in promptTokens.enumerated() {
            guard prompt >= 1 else {
                throw OpenAIError.invalid("The \(param) must contain at least one token.", param: param, code: "invalid_value")
            }
            let requested = parameters.maxTokens ?? 1
            if prompt + requested > context {
                let completion = parameters.maxTokens.map { ", \($0) in the completion" } ?? ""
                throw OpenAIError.invalid(
                    "This model's maximum context length is \(context) tokens. However, you requested \(prompt + requested) tokens (\(prompt) in the \(param)\(completion)). Please reduce the length of the \(param) or completion.",
                    param: param, code: "context_length_exceeded")
            }
            for _ in 0..<parameters.n {
                var choice: ChoicePlan
                if let maxTokens = parameters.maxTokens {
                    choice = ChoicePlan(input: prompt, output: maxTokens, finish: "length")
                } else {
                    let drawn = outputLengths.sample(using: &generator)
                    let room = context - prompt
                    choice = drawn >= room ? ChoicePlan(input: prompt, output: room, finish: "length") : ChoicePlan(input: prompt, output: drawn, finish: "stop")
                }
                if let stop, stop.tokens <= choice.output {
                    choice = ChoicePlan(input: prompt, output: stop.tokens, finish: "stop", keptCharacters: stop.characters)
                }
                choice.prompt = promptIndex
                choices.append(choice)
            }
        }
        return choices
    }

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
        let choices = plan.indices.map { index in
            FinishedChoice(index: index, text: (echo(index) ?? "") + plan[index].text, finishReason: plan[index].finish, record: records[index]!)
        }
        let cached = plan.indices.filter { Self.isFirstChoice($0, plan) }.reduce(0) { $0 + records[$1]!.cachedTokens }
        let usage = Usage(promptTokens: usagePromptTokens, completionTokens: plan.reduce(0) { $0 + $1.output }, cachedTokens: cached)
        let id = (kind == .chat ? "chatcmpl-" : "cmpl-") + "\(number)"
        let created = Int(Date().timeIntervalSince1970)
        let body = kind == .chat
            ? ChatBodies(id: id, created: created, model: driver.model, includeUsageField: false).completion(choices, usage: usage, hardware: driver.hardware)
            : TextBodies(id: id, created: created, model: driver.model, includeUsageField: false).completion(choices, usage: usage, hardware: driver.hardware)
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
        let id = (kind == .chat ? "chatcmpl-" : "cmpl-") + "\(number)"
        let created = Int(Date().timeIntervalSince1970)
        let chat = ChatBodies(id: id, created: created, model: driver.model, includeUsageField: parameters.includeUsage)
        let text = TextBodies(id: id, created: created, model: driver.model, includeUsageField: parameters.includeUsage)
        let usage = Usage(promptTokens: usagePromptTokens, completionTokens: plan.reduce(0) { $0 + $1.output })
        let driver = self.driver
        let hardware = driver.hardware
        let kind = self.kind
        let includeUsage = parameters.includeUsage
        let echoes = plan.indices.map { echo($0) }
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
                            try await send(text.textChunk(index: index, text: echo, finishReason: nil))
                        }
                    }
                    var finished = 0
                    var usage = usage
                    // Characters sent of each choice that a stop sequence cuts: nothing from the stop on is sent.
                    var sent = [Int](repeating: 0, count: plan.count)
                    for await event in events {
                        switch event {
                        case .token(let choice, let index, _):
                            var piece = FillerText.token(index)
                            if let kept = plan[choice].keptCharacters {
                                let room = kept - sent[choice]
                                if room <= 0 { continue }
                                if piece.count > room { piece = String(piece.prefix(room)) }
                                sent[choice] += piece.count
                            }
                            try await send(kind == .chat ? chat.contentChunk(index: choice, text: piece) : text.textChunk(index: choice, text: piece, finishReason: nil))
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
