/// A fixed-size open-addressing map from block hash to block id, for the prefix cache's lookups: the hashes are
/// already well mixed, so a slot is the hash's low bits (no second hashing, unlike `Dictionary`), and it never
/// grows, since each cached hash names one of a fixed number of blocks. Deletion shifts back (no tombstones).
struct BlockHashIndex: Sendable, Hashable {
    private var keys: [UInt64]
    private var values: [Int32]
    private let mask: Int

    /// Room for `capacity` entries at a load of at most one half.
    init(capacity: Int) {
        var size = 16
        while size < 2 * capacity { size <<= 1 }
        keys = [UInt64](repeating: 0, count: size)
        values = [Int32](repeating: -1, count: size)
        mask = size - 1
    }

    /// The block holding `hash` (never 0), or nil.
    @inline(__always) func find(_ hash: UInt64) -> Int32? {
        var slot = Int(truncatingIfNeeded: hash) & mask
        while keys[slot] != 0 {
            if keys[slot] == hash { return values[slot] }
            slot = (slot + 1) & mask
        }
        return nil
    }

    /// Adds `hash` → `block`; the hash must not be present.
    @inline(__always) mutating func insert(_ hash: UInt64, _ block: Int32) {
        var slot = Int(truncatingIfNeeded: hash) & mask
        while keys[slot] != 0 { slot = (slot + 1) & mask }
        keys[slot] = hash
        values[slot] = block
    }

    /// Removes `hash`, which must be present.
    mutating func remove(_ hash: UInt64) {
        var hole = Int(truncatingIfNeeded: hash) & mask
        while keys[hole] != hash { hole = (hole + 1) & mask }
        var probe = hole
        while true {
            probe = (probe + 1) & mask
            let key = keys[probe]
            if key == 0 { break }
            let home = Int(truncatingIfNeeded: key) & mask
            // Move the entry back into the hole unless its home lies cyclically within (hole, probe].
            let stays = hole <= probe ? (home > hole && home <= probe) : (home > hole || home <= probe)
            if !stays {
                keys[hole] = key
                values[hole] = values[probe]
                hole = probe
            }
        }
        keys[hole] = 0
        values[hole] = -1
    }
}
