import PerfKit
import Foundation
public import NIOCore
import NIOPosix
public import SimEngine

/// What a client sees of one of its requests: tokens as simulated time reaches them, then the end.
public enum ChoiceEvent: Sendable, Equatable {
    /// Output token `index` (1-based) of choice `choice`, emitted at simulated time `at`.
    case token(choice: Int, index: Int, at: SimTime)
    case finished(choice: Int, RequestRecord)
}

/// Owns one simulated engine and paces it by the wall clock: simulated time = elapsed wall time × `speed`.
/// Requests enter at the current simulated time; their events are released when simulated time reaches them.
public actor EngineDriver {
    public nonisolated let model: String
    public nonisolated let hardware: String
    public nonisolated let maxContext: Int
    public nonisolated let metrics: ServeMetrics
    public let speed: Double
    private nonisolated let eventLoop: any EventLoop
    private var engine: ServingEngine
    private let maxQueue: Int
    private let start = ContinuousClock.now
    private var nextID = 1
    private var groups: [Int: Group] = [:]
    private var membership: [RequestID: (group: Int, choice: Int, promptTokens: Int)] = [:]
    private var lastToken: [RequestID: SimTime] = [:]
    private var accepting = true
    /// The engine's prefix-cache totals (queried, hit tokens) last passed to the metrics.
    private var prefixCacheSeen = (0, 0)
    /// A step's events that wait for its first tokens to go out (kept to reuse its storage).
    private var laterEvents: [EngineEvent] = []

    private struct Group {
        let continuation: AsyncStream<ChoiceEvent>.Continuation
        var remaining: Int
    }

    /// A request's choices as the engine took them.
    public struct Submission: Sendable {
        public let ids: [RequestID]
        /// Every choice's events, on one stream that finishes after the last choice.
        public let events: AsyncStream<ChoiceEvent>
        /// The least wall time, s, the longest choice takes at this driver's speed (alone on the GPU).
        public let minimumWallSeconds: Double
    }

    /// The driver runs on one of NIO's event loops, not on Swift's cooperative pool, where it would queue behind
    /// request handlers and stream writers: its clock wakes on time and a step's tokens go out at once.
    public nonisolated var unownedExecutor: UnownedSerialExecutor { eventLoop.executor.asUnownedSerialExecutor() }

    /// Drives `engine` at `speed` × wall time on `eventLoop`; more than `maxQueue` waiting requests get 429.
    public init(engine: ServingEngine, speed: Double, maxQueue: Int, metrics: ServeMetrics,
                eventLoop: any EventLoop = MultiThreadedEventLoopGroup.singleton.next()) {
        self.eventLoop = eventLoop
        var engine = engine
        engine.recordsTokenEvents = true
        self.engine = engine
        self.speed = speed
        self.maxQueue = maxQueue
        model = engine.model.id
        hardware = engine.gpu.name
        maxContext = engine.maxModelLen
        self.metrics = metrics
    }

    /// Simulated time now.
    public var now: SimTime {
        let elapsed = ContinuousClock.now - start
        let nanoseconds = Double(elapsed.components.seconds) * 1e9 + Double(elapsed.components.attoseconds) / 1e9
        return SimTime(nanoseconds: Int64(nanoseconds * speed))
    }

    /// Submits one request per choice (prompt and output tokens) arriving now. Throws 429 when the queue is full,
    /// 503 when shutting down, 400 when the engine can never run it.
    public func submit(
        _ choices: [(input: Int, output: Int)], contents: [PromptContent] = [], promptParam: String = "messages"
    ) throws(OpenAIError) -> Submission {
        guard accepting else { throw OpenAIError.shuttingDown }
        // More choices than the queue holds could never be admitted: that is the request's fault (400), not load's
        // (429). A queue of 0 admits nothing, so that clients' handling of 429 can be tested.
        guard maxQueue == 0 || choices.count <= maxQueue else {
            throw OpenAIError.invalid(
                "This request asks for \(choices.count) completions (prompts × n), more than the server's queue holds (\(maxQueue), its --max-queue).",
                param: "n", code: "invalid_value")
        }
        advanceToNow()
        let snapshot = engine.snapshot()
        guard snapshot.waiting + snapshot.pending + choices.count <= maxQueue else {
            throw OpenAIError.queueFull(maxQueue)
        }
        let arrival = now
        let specs = choices.enumerated().map { index, choice in
            RequestSpec(id: nextID + index, inputTokens: choice.input, outputTokens: choice.output, arrival: arrival,
                        content: index < contents.count ? contents[index] : .unknown)
        }
        for spec in specs {
            if let reason = engine.rejectionReason(spec) {
                throw OpenAIError.invalid(reason, param: promptParam, code: "context_length_exceeded")
            }
        }
        nextID += specs.count
        let (stream, continuation) = AsyncStream<ChoiceEvent>.makeStream()
        let ids = specs.map(\.id)
        continuation.onTermination = { [weak self] termination in
            if case .cancelled = termination, let self { Task { await self.cancel(ids) } }
        }
        let groupID = ids[0]
        groups[groupID] = Group(continuation: continuation, remaining: specs.count)
        for (choice, spec) in specs.enumerated() {
            membership[spec.id] = (groupID, choice, spec.inputTokens)
            engine.submit(spec)
        }
        advanceToNow()
        let longest = choices.map { engine.loneRequestNs(input: $0.input, output: $0.output) }.max() ?? 0
        return Submission(ids: ids, events: stream, minimumWallSeconds: Double(longest) / 1e9 / speed)
    }

    /// Cancels requests (a client went away): their KV blocks are freed and their stream ends.
    public func cancel(_ ids: [RequestID]) {
        for id in ids where membership[id] != nil {
            engine.cancel(id)
            finishMember(id)
        }
        dispatch()
    }

    /// The engine's state now.
    public func snapshot() -> EngineSnapshot {
        advanceToNow()
        return engine.snapshot()
    }

    /// Sets this engine's gauges from its state now (before a scrape).
    public func updateGauges() {
        metrics.observe(snapshot())
    }

    /// Requests in flight.
    public var inFlight: Int { membership.count }

    /// Stops accepting requests (new ones get 503).
    public func stopAccepting() { accepting = false }

    /// Whether new requests are taken (false once shutdown began).
    public var isAccepting: Bool { accepting }

    /// Cancels every request in flight and ends their streams.
    public func cancelAll() { cancel(Array(membership.keys)) }

    /// Advances the engine with the wall clock until cancelled.
    public func run() async {
        while !Task.isCancelled {
            advanceToNow()
            var sleepNs: Int64 = 2_000_000
            if let next = engine.nextEventTime {
                let wait = Int64(Double((next - now).nanoseconds) / speed)
                sleepNs = max(0, min(sleepNs, wait))
            }
            if sleepNs > 0 {
                try? await Task.sleep(for: .nanoseconds(sleepNs), tolerance: .microseconds(20))
            } else {
                await Task.yield()
            }
        }
    }

    private func advanceToNow() {
        engine.advance(to: now)
        let totals = (engine.metrics.prefixCacheQueries, engine.metrics.prefixCacheHits)
        metrics.recordPrefixCache(queries: totals.0 - prefixCacheSeen.0, hits: totals.1 - prefixCacheSeen.1)
        prefixCacheSeen = totals
        dispatch()
    }

    /// Hands the engine's new events to their streams. A step's events are all due at the same instant; first
    /// tokens go out before the rest, because the client waiting for one sees any delay as TTFT, while a later
    /// token's delay only moves time between two gaps of its stream.
    private func dispatch() {
        engine.drainEvents { event in
            if case .token(_, 1, _) = event { deliver(event) } else { laterEvents.append(event) }
        }
        for event in laterEvents { deliver(event) }
        laterEvents.removeAll(keepingCapacity: true)
    }

    private func deliver(_ event: EngineEvent) {
        switch event {
        case .token(let id, let index, let time):
            let gap = lastToken[id].map { (time - $0).nanoseconds }
            lastToken[id] = time
            metrics.recordToken(gapNs: gap)
            if let member = membership[id] {
                if index == 1 { metrics.recordPrefilled(promptTokens: member.promptTokens) }
                groups[member.group]?.continuation.yield(.token(choice: member.choice, index: index, at: time))
            }
        case .finished(let record):
            metrics.recordFinished(record)
            if let member = membership[record.id] {
                groups[member.group]?.continuation.yield(.finished(choice: member.choice, record))
            }
            finishMember(record.id)
        case .preempted:
            metrics.recordPreemption()
        case .queued, .cancelled, .rejected:
            break
        }
    }

    private func finishMember(_ id: RequestID) {
        guard let member = membership.removeValue(forKey: id) else { return }
        lastToken[id] = nil
        groups[member.group]?.remaining -= 1
        if let group = groups[member.group], group.remaining <= 0 {
            group.continuation.finish()
            groups[member.group] = nil
        }
    }
}
