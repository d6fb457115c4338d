import Synchronization

/// Numbers the generation requests of one server, 1, 2, …, across all its models.
final class RequestNumbers: Sendable {
    private let last = Atomic<UInt64>(0)
    /// Random per server run, so that response ids are unique across restarts too.
    let instance = String(UInt64.random(in: 0...UInt64.max), radix: 16)

    func next() -> UInt64 {
        last.add(1, ordering: .relaxed).newValue
    }
}
