import DequeModule
import PerfKit

/// One engine instance on tp GPUs: its queues, KV cache, and the iteration in flight.
struct Replica {
    let index: Int
    let config: SchedulerConfig
    let cost: any LatencySource
    var kv: KVCache
    /// Slots waiting to be scheduled; preempted requests go back to the front.
    var waiting = Deque<Int>()
    /// Slots admitted, in admission order (the last is the first to be preempted).
    var running: [Int] = []
    /// End of the iteration in flight, ns; `Int64.max` when idle.
    var busyUntilNs: Int64 = .max
    /// The iteration in flight: slot and tokens computed for it.
    var batch: [(slot: Int, tokens: Int)] = []
    var iterations = 0
    private var shapes: [(input: Int, kvCache: Int)] = []

    init(index: Int, config: SchedulerConfig, cost: any LatencySource, kvBlocks: Int) {
        self.index = index
        self.config = config
        self.cost = cost
        kv = KVCache(totalBlocks: kvBlocks, blockSize: config.blockSize)
    }

    var isIdle: Bool { busyUntilNs == .max }
    var outstanding: Int { waiting.count + running.count }
    var hasWork: Bool { !waiting.isEmpty || !running.isEmpty }

    /// Forms the next batch and returns its duration in ns, or nil when nothing can run.
    /// Slots preempted to make room are appended to `preempted`.
    mutating func scheduleIteration(states: inout [SequenceState], now: Int64, preempted: inout [Int]) -> (durationNs: Int64, extrapolated: Bool)? {
        batch.removeAll(keepingCapacity: true)
        switch config.kind {
        case .vllm: scheduleContinuous(states: &states, now: now, preempted: &preempted, chunked: true)
        case .orca: scheduleContinuous(states: &states, now: now, preempted: &preempted, chunked: false)
        case .static: scheduleStatic(states: &states, now: now)
        }
        guard !batch.isEmpty else { return nil }
        shapes.removeAll(keepingCapacity: true)
        var emitting = 0
        for entry in batch {
            let state = states[entry.slot]
            shapes.append((entry.tokens, state.computedTokens))
            if state.computedTokens + entry.tokens == state.numTokens { emitting += 1 }
        }
        let timing = cost.iteration(sequences: shapes, emitting: emitting)
        return (Int64(timing.ns.rounded(.up)) + config.cpuOverheadNs, timing.extrapolated)
    }

    /// vLLM v1 (chunked) and Orca (whole prefills): running requests first, then admissions while budget,
    /// sequence slots and KV blocks allow; when a running request needs a block and none is free,
    /// the newest running request is preempted (recompute).
    private mutating func scheduleContinuous(states: inout [SequenceState], now: Int64, preempted: inout [Int], chunked: Bool) {
        var budget = chunked ? config.maxNumBatchedTokens : Int.max
        var preemptedNow = false
        var position = 0
        while position < running.count, budget > 0 {
            let slot = running[position]
            let tokens = min(states[slot].pendingTokens, budget)
            let needed = kv.blocks(forTokens: states[slot].computedTokens + tokens) - states[slot].blocks
            var scheduledSelf = true
            while needed > kv.freeBlocks {
                let victim = running.removeLast()
                preempt(victim, states: &states)
                preempted.append(victim)
                preemptedNow = true
                if victim == slot { scheduledSelf = false; break }
            }
            guard scheduledSelf else { break }
            _ = kv.allocate(needed)
            states[slot].blocks += needed
            batch.append((slot, tokens))
            budget -= tokens
            position += 1
        }
        guard !preemptedNow else { return }
        while budget > 0, running.count < config.maxNumSeqs, let slot = waiting.first {
            let pending = states[slot].pendingTokens
            if !chunked && pending > budget { break }
            let tokens = min(pending, budget)
            let needed = kv.blocks(forTokens: states[slot].computedTokens + tokens) - states[slot].blocks
            guard kv.allocate(needed) else { break }
            waiting.removeFirst()
            states[slot].blocks += needed
            admit(slot, states: &states, now: now)
            batch.append((slot, tokens))
            budget -= tokens
        }
    }

    /// Static batching: when nothing runs, admit a batch whose whole sequences (prompt + output) fit in the
    /// KV cache; then run it, prefill first, until every request in it has finished.
    private mutating func scheduleStatic(states: inout [SequenceState], now: Int64) {
        if running.isEmpty {
            while running.count < config.maxNumSeqs, let slot = waiting.first {
                let needed = kv.blocks(forTokens: states[slot].spec.inputTokens + states[slot].spec.outputTokens)
                guard kv.allocate(needed) else { break }
                waiting.removeFirst()
                states[slot].blocks = needed
                admit(slot, states: &states, now: now)
            }
        }
        for slot in running { batch.append((slot, states[slot].pendingTokens)) }
    }

    private mutating func admit(_ slot: Int, states: inout [SequenceState], now: Int64) {
        running.append(slot)
        states[slot].phase = .prefilling
        if states[slot].firstScheduledNs < 0 { states[slot].firstScheduledNs = now }
    }

    private mutating func preempt(_ slot: Int, states: inout [SequenceState]) {
        kv.release(states[slot].blocks)
        states[slot].blocks = 0
        states[slot].computedTokens = 0
        states[slot].phase = .preempted
        states[slot].preemptions += 1
        waiting.prepend(slot)
    }

    /// Removes a finished or cancelled slot from the queues and returns its blocks.
    mutating func remove(_ slot: Int, states: inout [SequenceState]) {
        kv.release(states[slot].blocks)
        states[slot].blocks = 0
        if let position = running.lastIndex(of: slot) {
            running.remove(at: position)
        } else if let position = waiting.firstIndex(of: slot) {
            waiting.remove(at: position)
        }
    }
}
