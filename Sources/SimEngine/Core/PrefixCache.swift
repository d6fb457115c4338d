import DequeModule

/// vLLM v1's automatic prefix caching over one replica's KV blocks (`vllm/v1/core/block_pool.py`,
/// `kv_cache_manager.py`): full blocks are indexed by their chained hash; a freed block keeps its hash and joins
/// the tail of the free queue, and a new block is taken from the head, evicting whatever it held (LRU).
/// A request's blocks are freed tail first, so its head, the part others share, stays longest.
struct PrefixCache: Sendable, Hashable {
    struct Entry: Sendable, Hashable {
        /// Requests holding the block; 0 while it sits in the free queue, still hit-able.
        var refCount: Int32
        /// The stamp of its free-queue entry while free.
        var freeStamp: UInt64
    }

    /// A free-queue slot: a cached block (hash ≠ 0, valid while its entry is free with this stamp) or an empty one.
    struct FreeSlot: Sendable, Hashable {
        var hash: UInt64
        var stamp: UInt64
    }

    private var entries: [UInt64: Entry] = [:]
    private var queue = Deque<FreeSlot>()
    /// Never-used blocks, at the head of the free queue.
    private var pristine: Int
    private var stamp: UInt64 = 0
    private let totalBlocks: Int

    init(totalBlocks: Int) {
        self.totalBlocks = totalBlocks
        pristine = totalBlocks
    }

    /// Blocks holding a hash (in use or free), for tests and reports.
    var cachedBlocks: Int { entries.count }

    /// The longest run of `hashes` (at most `maxBlocks`) that is cached, and how many of those blocks are free
    /// (taking them uses free capacity, as vLLM counts in `get_num_blocks_to_allocate`).
    func lookup(_ hashes: [UInt64], maxBlocks: Int) -> (blocks: Int, free: Int) {
        var blocks = 0
        var free = 0
        while blocks < min(maxBlocks, hashes.count), let entry = entries[hashes[blocks]] {
            if entry.refCount == 0 { free += 1 }
            blocks += 1
        }
        return (blocks, free)
    }

    /// Takes a reference on each of the first `count` blocks of `hashes` (all cached); returns how many of them
    /// left the free queue.
    mutating func touch(_ hashes: [UInt64], count: Int) -> Int {
        var fromFree = 0
        for index in 0..<count {
            let hash = hashes[index]
            guard var entry = entries[hash] else { preconditionFailure("touched a block that is not cached") }
            if entry.refCount == 0 { fromFree += 1 }
            entry.refCount += 1
            entries[hash] = entry
        }
        return fromFree
    }

    /// Indexes a block a request has just filled. When another request already holds a block with this hash
    /// (both computed it at once), the request shares that one and its own copy is freed: returns the change
    /// in blocks in use (0, or −1 when the copy was freed while the shared block was already in use).
    mutating func register(_ hash: UInt64) -> Int {
        guard var entry = entries[hash] else {
            entries[hash] = Entry(refCount: 1, freeStamp: 0)
            return 0
        }
        let wasFree = entry.refCount == 0
        entry.refCount += 1
        entries[hash] = entry
        pushEmpty()
        return wasFree ? 0 : -1
    }

    /// Frees a request's blocks, last first: `privateBlocks` unindexed tail blocks, then its first `cached`
    /// blocks of `hashes`. Returns how many blocks joined the free queue.
    mutating func release(_ hashes: [UInt64], cached: Int, privateBlocks: Int) -> Int {
        for _ in 0..<privateBlocks { pushEmpty() }
        var freed = privateBlocks
        for index in stride(from: cached - 1, through: 0, by: -1) {
            let hash = hashes[index]
            guard var entry = entries[hash], entry.refCount > 0 else { preconditionFailure("freed a block twice") }
            entry.refCount -= 1
            if entry.refCount == 0 {
                stamp &+= 1
                entry.freeStamp = stamp
                queue.append(FreeSlot(hash: hash, stamp: stamp))
                freed += 1
            }
            entries[hash] = entry
        }
        compactIfStale()
        return freed
    }

    /// Takes `count` blocks from the head of the free queue for new tokens, evicting the hashes they held.
    /// The caller has checked that enough are free.
    mutating func takeFree(_ count: Int) {
        let fresh = min(pristine, count)
        pristine -= fresh
        var left = count - fresh
        while left > 0 {
            let slot = queue.removeFirst()
            if slot.hash == 0 {
                left -= 1
            } else if let entry = entries[slot.hash], entry.refCount == 0, entry.freeStamp == slot.stamp {
                entries[slot.hash] = nil
                left -= 1
            }
        }
    }

    private mutating func pushEmpty() {
        queue.append(FreeSlot(hash: 0, stamp: 0))
    }

    /// Slots of blocks touched since they were freed stay in the queue until reached; drop them when they
    /// outnumber the blocks, so the queue stays bounded under a long run of hits.
    private mutating func compactIfStale() {
        guard queue.count > 2 * totalBlocks + 64 else { return }
        let entries = entries
        queue = Deque(queue.filter { slot in
            slot.hash == 0 || entries[slot.hash].map { $0.refCount == 0 && $0.freeStamp == slot.stamp } == true
        })
    }
}
