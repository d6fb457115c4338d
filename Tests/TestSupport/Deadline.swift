import Synchronization

/// Runs `operation` and returns its result, or nil once `seconds` pass first; the operation is then cancelled but
/// not awaited, so a stuck one cannot hold the test run forever.
public func withDeadline<T: Sendable>(seconds: Double, _ operation: @escaping @Sendable () async throws -> T) async throws -> T? {
    let once = FirstResult<T>()
    return try await withCheckedThrowingContinuation { continuation in
        once.continuation = continuation
        let work = Task {
            do { once.resume(with: .success(try await operation())) } catch { once.resume(with: .failure(error)) }
        }
        Task {
            try? await Task.sleep(for: .milliseconds(Int64(seconds * 1000)))
            once.resume(with: .success(nil))
            work.cancel()
        }
    }
}

/// Resumes a continuation with whichever result comes first.
private final class FirstResult<T: Sendable>: @unchecked Sendable {
    var continuation: CheckedContinuation<T?, any Error>?
    private let resumed = Atomic(false)

    func resume(with result: Result<T?, any Error>) {
        guard resumed.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged else { return }
        continuation?.resume(with: result)
    }
}
