import HeapModule
public import PerfKit

/// A discrete-event simulator of an LLM serving engine: replicas of one model on one GPU kind behind a router.
/// A plain value stepped by one owner; the same inputs give the same results, event for event.
public struct ServingEngine: Sendable {
    public let model: ModelConfig
    public let gpu: GPUSpec
    public let tp: Int
    /// Where iteration times come from (our table, a bundle, a Vidur profile).
    public let latencySource: any LatencySource
    public let config: SchedulerConfig
    public let routerPolicy: RouterPolicy
    /// KV blocks per replica.
    public let kvCapacity: KVCapacity
    /// Longest prompt + output accepted.
    public let maxModelLen: Int
    /// Whether per-token events are recorded (front ends need them; batch runs do not).
    public var recordsTokenEvents: Bool
    public private(set) var now: SimTime = .zero
    public private(set) var metrics = EngineMetrics()
    /// Events since the last `drainEvents(_:)`.
    public private(set) var events: [EngineEvent] = []

    var replicas: [Replica]
    private var router: Router
    private var states: [SequenceState] = []
    private var freeSlots: [Int] = []
    private var slotOf: [RequestID: Int] = [:]
    private var pending = Heap<PendingArrival>()
    /// Ids of `pending`, for O(1) duplicate and phase checks.
    private var pendingIDs = Set<RequestID>()
    private var arrivalSequence = 0
    /// Requests enqueued so far; seeds the hashes of blocks only that request can hold.
    private var enqueuedCount: UInt64 = 0
    private var preemptedScratch: [Int] = []
    private var lastKVSampleNs: Int64 = 0

    /// An engine of `replicas` replicas of `table`'s model on `gpu`, each on `table.tp` GPUs.
    public init(
        table: ModelLatencyTable, gpu: GPUSpec, config: SchedulerConfig = SchedulerConfig(), replicas: Int = 1,
        router: RouterPolicy = .roundRobin, recordsTokenEvents: Bool = false
    ) throws(SimEngineError) {
        try self.init(
            source: IterationCost(table: table, gpu: gpu), gpu: gpu, config: config,
            replicas: replicas, router: router, recordsTokenEvents: recordsTokenEvents)
    }

    /// An engine of `replicas` replicas of `source`'s model on `gpu`, each on `source.tp` GPUs, timed by `source`.
    public init(
        source: any LatencySource, gpu: GPUSpec, config: SchedulerConfig = SchedulerConfig(), replicas: Int = 1,
        router: RouterPolicy = .roundRobin, recordsTokenEvents: Bool = false
    ) throws(SimEngineError) {
        try config.validate()
        guard replicas >= 1 else { throw SimEngineError("must be at least 1, found \(replicas)", location: "replicas") }
        model = source.model
        self.gpu = gpu
        tp = source.tp
        latencySource = source
        self.config = config
        routerPolicy = router
        self.recordsTokenEvents = recordsTokenEvents
        kvCapacity = try KVCapacity(model: source.model, memoryGB: gpu.memoryGB, tp: source.tp, config: config)
        if let length = config.maxModelLen, length > source.model.maxPositionEmbeddings {
            throw SimEngineError("\(length) is past \(source.model.id)'s context of \(source.model.maxPositionEmbeddings) tokens", location: "max_model_len")
        }
        maxModelLen = config.maxModelLen ?? source.model.maxPositionEmbeddings
        let blocks = kvCapacity.totalBlocks
        self.replicas = (0..<replicas).map { Replica(index: $0, config: config, cost: source, kvBlocks: blocks) }
        self.router = Router(policy: router)
    }

    // MARK: Driving

    /// Submits a request arriving at `spec.arrival` (a past time means now). Returns `.rejected` when it can
    /// never run (too long for the context or the KV cache), with a `.rejected` event saying why; else `.waiting`.
    @discardableResult
    public mutating func submit(_ spec: RequestSpec) -> RequestPhase {
        metrics.submitted += 1
        let arrival = max(spec.arrival, now)
        if let reason = rejectionReason(spec) {
            metrics.rejected += 1
            events.append(.rejected(spec.id, reason: reason, at: arrival))
            return .rejected
        }
        var accepted = spec
        accepted.arrival = arrival
        pending.insert(PendingArrival(arrivalNs: arrival.nanoseconds, sequence: arrivalSequence, spec: accepted))
        pendingIDs.insert(spec.id)
        arrivalSequence += 1
        return .waiting
    }

    /// Why `spec` can never be served, or nil.
    public func rejectionReason(_ spec: RequestSpec) -> String? {
        if spec.inputTokens < 1 || spec.outputTokens < 1 {
            return "input and output must be at least 1 token (found \(spec.inputTokens) and \(spec.outputTokens))"
        }
        // Compared without adding the two, which could overflow for absurd lengths.
        if spec.inputTokens > maxModelLen - spec.outputTokens {
            return "prompt (\(spec.inputTokens)) + output (\(spec.outputTokens)) tokens exceed the maximum context length of \(maxModelLen)"
        }
        if slotOf[spec.id] != nil || pendingIDs.contains(spec.id) {
            return "request id \(spec.id) is already in the engine"
        }
        let length = spec.inputTokens + spec.outputTokens
        let blocks = (length + config.blockSize - 1) / config.blockSize
        if blocks > kvCapacity.totalBlocks {
            return "needs \(blocks) KV blocks but a replica has \(kvCapacity.totalBlocks) (\(kvCapacity.totalBlocks * config.blockSize) tokens)"
        }
        return nil
    }

    /// The least time a request of these lengths can take, ns: its prefill and decode iterations on an idle replica.
    public func loneRequestNs(input: Int, output: Int) -> Int64 {
        let cost = replicas[0].cost
        func step(_ gpuNs: Double) -> Int64 {
            config.engine.stepNs(gpuNs: Int64(gpuNs.rounded(.up)), sequences: 1)
        }
        let prefill = step(cost.iteration(sequences: [(input: input, kvCache: 0)], emitting: 1).ns)
        let decode = step(cost.iteration(sequences: [(input: 1, kvCache: input)], emitting: 1).ns)
        return prefill + Int64(max(0, output - 1)) * decode
    }

    /// Cancels a request wherever it is; its KV blocks are freed at once. False when unknown or already done.
    @discardableResult
    public mutating func cancel(_ id: RequestID) -> Bool {
        if let slot = slotOf[id] {
            let replica = states[slot].replica
            replicas[replica].remove(slot, states: &states)
            states[slot].phase = .cancelled
            slotOf[id] = nil
            if !replicas[replica].batch.contains(where: { $0.slot == slot }) { freeSlots.append(slot) }
            metrics.cancelled += 1
            events.append(.cancelled(id, at: now))
            return true
        }
        guard pendingIDs.remove(id) != nil else { return false }
        pending = Heap(pending.unordered.filter { $0.spec.id != id })
        metrics.cancelled += 1
        events.append(.cancelled(id, at: now))
        return true
    }

    /// Time of the next event, or nil when nothing is left to do.
    public var nextEventTime: SimTime? {
        var next = pending.min?.arrivalNs ?? .max
        for replica in replicas {
            if replica.busyUntilNs < next { next = replica.busyUntilNs }
            if replica.isIdle && replica.hasWork { next = min(next, now.nanoseconds) }
        }
        return next == .max ? nil : SimTime(nanoseconds: next)
    }

    /// Processes every event at the next event time. False when there was none.
    @discardableResult
    public mutating func step() -> Bool {
        guard let next = nextEventTime else { return false }
        process(until: next.nanoseconds)
        return true
    }

    /// Processes every event up to and including `time`, then sets the clock to `time`.
    public mutating func advance(to time: SimTime) {
        while let next = nextEventTime, next <= time { process(until: next.nanoseconds) }
        if time > now { moveClock(to: time.nanoseconds) }
    }

    /// Runs until every submitted request has finished.
    public mutating func runToCompletion() {
        while step() {}
    }

    /// Hands each recorded event to `body` in order, then clears them (no copy of the buffer).
    public mutating func drainEvents(_ body: (EngineEvent) throws -> Void) rethrows {
        defer { events.removeAll(keepingCapacity: true) }
        for event in events { try body(event) }
    }

    // MARK: Observing

    public func snapshot() -> EngineSnapshot {
        EngineSnapshot(
            clock: now,
            replicas: replicas.map {
                .init(index: $0.index, waiting: $0.waiting.count, running: $0.running.count, kvBlocksUsed: $0.kv.usedBlocks,
                      kvBlocksTotal: $0.kv.totalBlocks, kvUtilization: $0.kv.utilization, iterations: $0.iterations,
                      uncomputedTokens: $0.uncomputedTokens,
                      busyUntil: $0.isIdle ? nil : SimTime(nanoseconds: $0.busyUntilNs))
            },
            pending: pending.count)
    }

    /// The phase of a request still known to the engine (pending, queued or running); nil otherwise.
    public func phase(of id: RequestID) -> RequestPhase? {
        if let slot = slotOf[id] { return states[slot].phase }
        return pendingIDs.contains(id) ? .waiting : nil
    }

    /// Requests in the engine (queued or running), with their progress.
    public func activeRequests() -> [ActiveRequest] {
        slotOf.values.sorted().map { slot in
            let state = states[slot]
            return ActiveRequest(
                id: state.spec.id, replica: state.replica, phase: state.phase, inputTokens: state.spec.inputTokens,
                outputTokens: state.spec.outputTokens, generatedTokens: state.generatedTokens,
                computedTokens: state.computedTokens, kvBlocks: state.blocks, arrival: state.spec.arrival,
                firstToken: state.firstTokenNs >= 0 ? SimTime(nanoseconds: state.firstTokenNs) : nil,
                preemptions: state.preemptions)
        }.sorted { $0.id < $1.id }
    }

    // MARK: Event processing

    private mutating func process(until time: Int64) {
        moveClock(to: time)
        for index in replicas.indices where replicas[index].busyUntilNs == time {
            completeIteration(on: index)
        }
        while let first = pending.min, first.arrivalNs <= time {
            let spec = pending.removeMin().spec
            pendingIDs.remove(spec.id)
            enqueue(spec)
        }
        for index in replicas.indices where replicas[index].isIdle && replicas[index].hasWork {
            startIteration(on: index)
        }
    }

    private mutating func moveClock(to time: Int64) {
        let elapsed = Double(time - lastKVSampleNs)
        if elapsed > 0 {
            for replica in replicas {
                metrics.kvUtilizationIntegral += replica.kv.utilization * elapsed
                metrics.kvObservedNs += elapsed
            }
            lastKVSampleNs = time
        }
        now = SimTime(nanoseconds: time)
    }

    private mutating func enqueue(_ spec: RequestSpec) {
        var state = SequenceState(spec: spec)
        if config.enablePrefixCaching && config.kind != .static {
            // Full blocks the sequence can fill: its last token is sampled, never computed.
            let blocks = (spec.inputTokens + spec.outputTokens - 1) / config.blockSize
            state.blockHashes = BlockHashes.shared(content: spec.content, count: blocks, blockSize: config.blockSize)
            state.sharedBlocks = state.blockHashes.count
            state.uniqueID = enqueuedCount
        }
        enqueuedCount += 1
        let replica = router.choose(replicas, hashes: state.blockHashes, tokens: spec.inputTokens, now: spec.arrival.nanoseconds)
        state.replica = replica
        let slot: Int
        if let free = freeSlots.popLast() {
            slot = free
            states[slot] = state
        } else {
            slot = states.count
            states.append(state)
        }
        slotOf[spec.id] = slot
        replicas[replica].waiting.append(slot)
        replicas[replica].waitingTokens += spec.inputTokens
        replicas[replica].uncomputedTokens += spec.inputTokens
        if spec.arrival < metrics.firstArrival { metrics.firstArrival = spec.arrival }
        events.append(.queued(spec.id, replica: replica, at: spec.arrival))
    }

    private mutating func startIteration(on index: Int) {
        preemptedScratch.removeAll(keepingCapacity: true)
        let scheduled = replicas[index].scheduleIteration(states: &states, now: now.nanoseconds, preempted: &preemptedScratch)
        metrics.prefixCacheQueries += replicas[index].prefixQueriedTokens
        metrics.prefixCacheHits += replicas[index].prefixHitTokens
        metrics.resumedPrefixCacheQueries += replicas[index].resumedQueriedTokens
        metrics.resumedPrefixCacheHits += replicas[index].resumedHitTokens
        replicas[index].prefixQueriedTokens = 0
        replicas[index].prefixHitTokens = 0
        replicas[index].resumedQueriedTokens = 0
        replicas[index].resumedHitTokens = 0
        for slot in preemptedScratch {
            metrics.preemptions += 1
            events.append(.preempted(states[slot].spec.id, at: now))
        }
        guard let scheduled else { return }
        // Saturates rather than traps: rows are at most 100 s, but a long run on an absurd table could still add up.
        let (end, overflow) = now.nanoseconds.addingReportingOverflow(max(1, scheduled.durationNs))
        replicas[index].busyUntilNs = overflow ? .max - 1 : end
        replicas[index].iterations += 1
        metrics.iterations += 1
        if scheduled.extrapolated { metrics.extrapolatedIterations += 1 }
        let utilization = replicas[index].kv.utilization
        if utilization > metrics.peakKVUtilization { metrics.peakKVUtilization = utilization }
    }

    private mutating func completeIteration(on index: Int) {
        let time = now.nanoseconds
        replicas[index].busyUntilNs = .max
        // Taken out and handed back empty, so its storage is reused rather than copied each step.
        var batch: [(slot: Int, tokens: Int)] = []
        swap(&batch, &replicas[index].batch)
        defer {
            batch.removeAll(keepingCapacity: true)
            replicas[index].batch = batch
        }
        for (slot, tokens) in batch {
            guard states[slot].phase != .cancelled else {
                freeSlots.append(slot)
                continue
            }
            states[slot].computedTokens += tokens
            replicas[index].uncomputedTokens -= tokens
            guard states[slot].computedTokens == states[slot].numTokens else { continue }
            emitToken(slot: slot, at: time)
            if states[slot].generatedTokens == states[slot].spec.outputTokens {
                finish(slot: slot, replica: index, at: time)
            }
        }
    }

    private mutating func emitToken(slot: Int, at time: Int64) {
        states[slot].generatedTokens += 1
        states[slot].numTokens += 1
        replicas[states[slot].replica].uncomputedTokens += 1
        states[slot].phase = .decoding
        metrics.generatedTokens += 1
        if states[slot].firstTokenNs < 0 {
            states[slot].firstTokenNs = time
        } else {
            let gap = time - states[slot].lastTokenNs
            metrics.itl.record(gap)
            if gap > states[slot].maxInterTokenNs { states[slot].maxInterTokenNs = gap }
        }
        states[slot].lastTokenNs = time
        if recordsTokenEvents {
            events.append(.token(states[slot].spec.id, index: states[slot].generatedTokens, at: SimTime(nanoseconds: time)))
        }
    }

    private mutating func finish(slot: Int, replica: Int, at time: Int64) {
        let state = states[slot]
        replicas[replica].remove(slot, states: &states)
        states[slot].phase = .finished
        slotOf[state.spec.id] = nil
        freeSlots.append(slot)
        let record = RequestRecord(
            id: state.spec.id, replica: replica, inputTokens: state.spec.inputTokens, outputTokens: state.spec.outputTokens,
            arrival: state.spec.arrival, firstScheduled: SimTime(nanoseconds: state.firstScheduledNs),
            firstToken: SimTime(nanoseconds: state.firstTokenNs), end: SimTime(nanoseconds: time),
            preemptions: state.preemptions, cachedTokens: max(0, state.cachedTokens),
            maxInterTokenLatency: SimTime(nanoseconds: state.maxInterTokenNs))
        metrics.record(record)
        events.append(.finished(record))
    }
}

/// A submitted request not yet arrived, ordered by arrival then submission order.
struct PendingArrival: Comparable, Sendable {
    let arrivalNs: Int64
    let sequence: Int
    let spec: RequestSpec

    static func < (lhs: PendingArrival, rhs: PendingArrival) -> Bool {
        (lhs.arrivalNs, lhs.sequence) < (rhs.arrivalNs, rhs.sequence)
    }
    static func == (lhs: PendingArrival, rhs: PendingArrival) -> Bool {
        lhs.arrivalNs == rhs.arrivalNs && lhs.sequence == rhs.sequence
    }
}

/// A queued or running request, as the engine sees it.
public struct ActiveRequest: Sendable, Hashable, Codable {
    public var id: RequestID
    public var replica: Int
    public var phase: RequestPhase
    public var inputTokens: Int
    public var outputTokens: Int
    public var generatedTokens: Int
    public var computedTokens: Int
    public var kvBlocks: Int
    public var arrival: SimTime
    /// When its first token was emitted; nil before.
    public var firstToken: SimTime?
    public var preemptions: Int
}
