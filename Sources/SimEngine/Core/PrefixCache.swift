/// vLLM v1's automatic prefix caching over one replica's KV blocks (`vllm/v1/core/block_pool.py`,
/// `kv_cache_manager.py`, `kv_cache_utils.py` `FreeKVCacheBlockQueue`): full blocks are indexed by their chained hash;
/// a freed block keeps its hash and joins the tail of the free queue, and a new block is taken from the head,
/// evicting whatever it held (LRU). A request's blocks are freed tail first, so its head, the part others share,
/// stays longest. Blocks are ids 0..<totalBlocks; the free queue is a doubly linked list through them.
struct PrefixCache: Sendable, Hashable {
    /// The hash each block holds, 0 for none.
    private var hashOf: [UInt64]
    /// Requests holding each block; 0 while it sits in the free queue, still hit-able.
    private var refCount: [Int32]
    private var previous: [Int32]
    private var next: [Int32]
    private var head: Int32 = -1
    private var tail: Int32 = -1
    private var index: BlockHashIndex

    init(totalBlocks: Int) {
        hashOf = [UInt64](repeating: 0, count: totalBlocks)
        refCount = [Int32](repeating: 0, count: totalBlocks)
        previous = (0..<Int32(totalBlocks)).map { $0 - 1 }
        next = (0..<Int32(totalBlocks)).map { $0 + 1 == Int32(totalBlocks) ? -1 : $0 + 1 }
        if totalBlocks > 0 { head = 0; tail = Int32(totalBlocks - 1) }
        index = BlockHashIndex(capacity: totalBlocks)
    }

    /// The longest run of `hashes` (at most `maxBlocks`) that is cached, and how many of those blocks are free
    /// (taking them uses free capacity, as vLLM counts in `get_num_blocks_to_allocate`).
    func lookup(_ hashes: [UInt64], maxBlocks: Int) -> (blocks: Int, free: Int) {
        var blocks = 0
        var free = 0
        let limit = min(maxBlocks, hashes.count)
        while blocks < limit, let block = index.find(hashes[blocks]) {
            if refCount[Int(block)] == 0 { free += 1 }
            blocks += 1
        }
        return (blocks, free)
    }

    /// Takes a reference on the cached blocks of the first `count` of `hashes`, appending their ids to `ids`;
    /// returns how many of them left the free queue.
    mutating func touch(_ hashes: [UInt64], count: Int, into ids: inout [Int32]) -> Int {
        var fromFree = 0
        for position in 0..<count {
            guard let block = index.find(hashes[position]) else { preconditionFailure("touched a block that is not cached") }
            if refCount[Int(block)] == 0 {
                unlink(block)
                fromFree += 1
            }
            refCount[Int(block)] += 1
            ids.append(block)
        }
        return fromFree
    }

    /// Takes `count` blocks from the head of the free queue, evicting the hashes they held; the caller has checked
    /// that enough are free.
    mutating func takeFree(_ count: Int, into ids: inout [Int32]) {
        for _ in 0..<count {
            let block = head
            precondition(block >= 0, "took more blocks than were free")
            unlink(block)
            if hashOf[Int(block)] != 0 {
                index.remove(hashOf[Int(block)])
                hashOf[Int(block)] = 0
            }
            refCount[Int(block)] = 1
            ids.append(block)
        }
    }

    /// Indexes `block`, which a request holds and has just filled, under `hash`. When another block already holds
    /// the hash (two requests computed it at once), the request shares that one and its own is freed: returns the
    /// block the request now holds and the change in blocks in use (0, or −1 when the shared one was in use).
    mutating func register(_ hash: UInt64, block: Int32) -> (block: Int32, usedChange: Int) {
        guard let existing = index.find(hash) else {
            index.insert(hash, block)
            hashOf[Int(block)] = hash
            return (block, 0)
        }
        let wasFree = refCount[Int(existing)] == 0
        if wasFree { unlink(existing) }
        refCount[Int(existing)] += 1
        refCount[Int(block)] = 0
        append(block)
        return (existing, wasFree ? 0 : -1)
    }

    /// Drops a reference on each of `ids`, last first; blocks no request holds join the free queue's tail with
    /// their hash. Returns how many did.
    mutating func release(_ ids: [Int32]) -> Int {
        var freed = 0
        for block in ids.reversed() {
            precondition(refCount[Int(block)] > 0, "freed a block twice")
            refCount[Int(block)] -= 1
            if refCount[Int(block)] == 0 {
                append(block)
                freed += 1
            }
        }
        return freed
    }

    /// Blocks in the free queue, by walking it (for tests of the accounting).
    var freeQueueLength: Int {
        var count = 0
        var block = head
        while block >= 0 { count += 1; block = next[Int(block)] }
        return count
    }

    private mutating func unlink(_ block: Int32) {
        let before = previous[Int(block)], after = next[Int(block)]
        if before >= 0 { next[Int(before)] = after } else { head = after }
        if after >= 0 { previous[Int(after)] = before } else { tail = before }
        previous[Int(block)] = -1
        next[Int(block)] = -1
    }

    private mutating func append(_ block: Int32) {
        previous[Int(block)] = tail
        next[Int(block)] = -1
        if tail >= 0 { next[Int(tail)] = block } else { head = block }
        tail = block
    }
}
