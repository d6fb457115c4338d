import Synchronization

/// Numbers the generation requests of one server, 1, 2, …, across all its models.
final class RequestNumbers: Sendable {
    private let last = Atomic<UInt64>(0)

    func next() -> UInt64 {
        last.add(1, ordering: .relaxed).newValue
    }
}
