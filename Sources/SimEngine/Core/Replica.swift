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
    /// Tokens of the waiting requests: the KV they will need, which the router counts before they hold it.
    var waitingTokens = 0
    /// Tokens routed here and not yet computed: queued and partial prefills, plus one per decoding request.
    var uncomputedTokens = 0
    /// Slots admitted, in admission order (the last is the first to be preempted).
    var running: [Int] = []
    /// End of the iteration in flight, ns; `Int64.max` when idle.
    var busyUntilNs: Int64 = .max
    /// The iteration in flight: slot and tokens computed for it.
    var batch: [(slot: Int, tokens: Int)] = []
    /// Tokens of the iteration in flight.
    var batchTokens = 0
    /// Step time and tokens, each averaged over the recent steps (weight 0.2 on the newest): the replica's pace.
    var recentStepNs = 0.0, recentStepTokens = 0.0
    var iterations = 0
    /// Prompt tokens looked up in the prefix cache at first admissions, and those found, since the last take.
    var prefixQueriedTokens = 0
    var prefixHitTokens = 0
    /// The same for requests resumed after a preemption (vLLM's `preempted_queries`, `preempted_hits`).
    var resumedQueriedTokens = 0
    var resumedHitTokens = 0
    private var shapes: [(input: Int, kvCache: Int)] = []

    init(index: Int, config: SchedulerConfig, cost: any LatencySource, kvBlocks: Int) {
        self.index = index
        self.config = config
        self.cost = cost
        kv = KVCache(totalBlocks: kvBlocks, blockSize: config.blockSize, prefixCaching: config.enablePrefixCaching && config.kind != .static)
    }

    var isIdle: Bool { busyUntilNs == .max }
    /// KV in use plus what the waiting requests will need, as a fraction of the cache (can pass 1).
    var committedKV: Double {
        kv.totalBlocks > 0 ? Double(kv.usedBlocks + kv.blocks(forTokens: waitingTokens)) / Double(kv.totalBlocks) : 0
    }
    var outstanding: Int { waiting.count + running.count }

    /// Recent time per token computed, ns; nil before the first step.
    var nsPerToken: Double? { recentStepTokens > 0 ? recentStepNs / recentStepTokens : nil }

    /// How long a prompt routed here at `now` would wait before its own prefill starts, ns: the rest of the step in
    /// flight, then the tokens queued behind it at `nsPerToken` (the replica's own pace, else `fallbackNsPerToken`).
    func waitNs(now: Int64, fallbackNsPerToken: Double) -> Double {
        // A request cancelled mid-step has left `uncomputedTokens` but not `batchTokens`: never below nothing queued.
        let queued = Double(max(0, uncomputedTokens - (isIdle ? 0 : batchTokens))) * (nsPerToken ?? fallbackNsPerToken)
        return isIdle ? queued : Double(max(0, busyUntilNs - now)) + queued
    }

    /// Folds a step of `tokens` taking `ns` into the recent pace.
    private mutating func recordStep(ns: Int64, tokens: Int) {
        recentStepNs = 0.8 * recentStepNs + 0.2 * Double(ns)
        recentStepTokens = 0.8 * recentStepTokens + 0.2 * Double(tokens)
    }
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
        batchTokens = 0
        for entry in batch {
            batchTokens += entry.tokens
            // Fields one by one: copying the whole state would retain its arrays.
            let computed = states[entry.slot].computedTokens
            shapes.append((entry.tokens, computed))
            if computed + entry.tokens == states[entry.slot].numTokens { emitting += 1 }
        }
        let timing = cost.iteration(sequences: shapes, emitting: emitting)
        let stepNs = config.engine.stepNs(gpuNs: Int64(timing.ns.rounded(.up)), sequences: batch.count)
        recordStep(ns: max(1, stepNs), tokens: batchTokens)
        return (stepNs, timing.extrapolated)
    }

    /// vLLM v1 (chunked) and Orca (whole prefills), as `Scheduler.schedule` in `vllm/v1/core/sched/scheduler.py`:
    /// running requests first, then admissions while budget, sequence slots and KV blocks allow; when a running
    /// request needs a block and none is free, the newest running request is preempted (recompute), and a step
    /// that preempted admits nobody. Rules and sources: docs/SCHEDULER.md.
    private mutating func scheduleContinuous(states: inout [SequenceState], now: Int64, preempted: inout [Int], chunked: Bool) {
        var budget = chunked ? config.maxNumBatchedTokens : Int.max
        let threshold = config.longPrefillTokenThreshold
        var preemptedNow = false
        var position = 0
        while position < running.count, budget > 0 {
            let slot = running[position]
            var tokens = states[slot].pendingTokens
            if threshold > 0, tokens > threshold { tokens = threshold }
            tokens = min(tokens, budget)
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
            _ = kv.allocate(needed, into: &states[slot].blockIDs)
            states[slot].blocks += needed
            cacheFullBlocks(slot, states: &states, tokens: states[slot].computedTokens + tokens)
            batch.append((slot, tokens))
            budget -= tokens
            position += 1
        }
        guard !preemptedNow else { return }
        while budget > 0, running.count < config.maxNumSeqs, let slot = waiting.first {
            let numTokens = states[slot].numTokens
            // vLLM never counts the last token as a hit: it must be computed to sample from (`get_computed_blocks`).
            let hit = kv.lookup(states[slot].blockHashes, maxBlocks: (numTokens - 1) / kv.blockSize)
            let hitTokens = hit.blocks * kv.blockSize
            var tokens = numTokens - hitTokens
            if threshold > 0, tokens > threshold { tokens = threshold }
            if !chunked && tokens > budget { break }
            tokens = min(tokens, budget)
            if chunked, config.reserveFullSequence,
               kv.blocks(forTokens: numTokens) - hit.blocks + hit.free > kv.freeBlocks { break }
            let needed = kv.blocks(forTokens: hitTokens + tokens) - hit.blocks
            guard needed + hit.free <= kv.freeBlocks else { break }
            waiting.removeFirst()
            waitingTokens -= numTokens
            kv.acquire(states[slot].blockHashes, count: hit.blocks, into: &states[slot].blockIDs)
            _ = kv.allocate(needed, into: &states[slot].blockIDs)
            states[slot].blocks = hit.blocks + needed
            states[slot].cachedBlocks = hit.blocks
            states[slot].computedTokens = hitTokens
            uncomputedTokens -= hitTokens
            if states[slot].cachedTokens < 0 {
                states[slot].cachedTokens = hitTokens
                if kv.prefixCaching {
                    prefixQueriedTokens += numTokens
                    prefixHitTokens += hitTokens
                }
            } else if kv.prefixCaching {
                resumedQueriedTokens += numTokens
                resumedHitTokens += hitTokens
            }
            cacheFullBlocks(slot, states: &states, tokens: hitTokens + tokens)
            admit(slot, states: &states, now: now)
            batch.append((slot, tokens))
            budget -= tokens
        }
    }

    /// Indexes the shareable blocks that `tokens` tokens fill, at scheduling time as vLLM's `allocate_slots` does,
    /// so a request admitted later in the same step already hits them. Blocks only this request can hit wait
    /// until it is preempted (`preempt`): indexing them earlier would change nothing but the cost.
    private mutating func cacheFullBlocks(_ slot: Int, states: inout [SequenceState], tokens: Int) {
        guard kv.prefixCaching else { return }
        let full = min(tokens / kv.blockSize, states[slot].sharedBlocks)
        while states[slot].cachedBlocks < full {
            let position = states[slot].cachedBlocks
            kv.register(states[slot].blockHashes[position], at: position, of: &states[slot].blockIDs)
            states[slot].cachedBlocks += 1
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
                waitingTokens -= states[slot].numTokens
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
        if kv.prefixCaching {
            // Its own computed blocks stay hit-able for its return, as every full block is in vLLM.
            let spec = states[slot].spec
            let full = min(states[slot].computedTokens, spec.inputTokens + spec.outputTokens - 1) / kv.blockSize
            BlockHashes.extend(&states[slot].blockHashes, to: full, uniqueID: states[slot].uniqueID)
            while states[slot].cachedBlocks < min(full, states[slot].blocks) {
                let position = states[slot].cachedBlocks
                kv.register(states[slot].blockHashes[position], at: position, of: &states[slot].blockIDs)
                states[slot].cachedBlocks += 1
            }
        }
        releaseBlocks(slot, states: &states)
        uncomputedTokens += states[slot].computedTokens
        states[slot].computedTokens = 0
        states[slot].phase = .preempted
        states[slot].preemptions += 1
        waiting.prepend(slot)
        waitingTokens += states[slot].numTokens
    }

    /// Removes a finished or cancelled slot from the queues and returns its blocks.
    mutating func remove(_ slot: Int, states: inout [SequenceState]) {
        releaseBlocks(slot, states: &states)
        uncomputedTokens -= states[slot].pendingTokens
        if let position = running.lastIndex(of: slot) {
            running.remove(at: position)
        } else if let position = waiting.firstIndex(of: slot) {
            waiting.remove(at: position)
            waitingTokens -= states[slot].numTokens
        }
    }

    /// Frees a slot's blocks, tail first; cached ones stay hit-able until evicted.
    private mutating func releaseBlocks(_ slot: Int, states: inout [SequenceState]) {
        kv.release(ids: states[slot].blockIDs, blocks: states[slot].blocks)
        states[slot].blockIDs.removeAll(keepingCapacity: true)
        states[slot].blocks = 0
        states[slot].cachedBlocks = 0
    }
}
