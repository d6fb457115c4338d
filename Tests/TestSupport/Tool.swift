public import Foundation

/// The repository and its built executables, for tests that run the real command-line tools.
public enum Tool {
    /// The repository root.
    public static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The built executable `name`: beside the test bundle (where `swift test` puts it), else in .build/debug.
    public static func url(_ name: String) -> URL {
        let besideTests = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent(name)
        if FileManager.default.isExecutableFile(atPath: besideTests.path) { return besideTests }
        return repositoryRoot.appendingPathComponent(".build/debug/\(name)")
    }

    /// What a finished run printed, and its exit status.
    public struct Outcome: Sendable {
        public let status: Int32
        public let stdout: String
        public let stderr: String
    }

    /// Runs `name` with `arguments` plus `--data-dir` pointing at the repository, and waits for it (off the
    /// cooperative pool).
    public static func run(_ name: String, _ arguments: [String]) async throws -> Outcome {
        try await onDedicatedThread { try runBlocking(name, arguments) }
    }

    private static func runBlocking(_ name: String, _ arguments: [String]) throws -> Outcome {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tool-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let stdout = folder.appendingPathComponent("stdout"), stderr = folder.appendingPathComponent("stderr")
        let child = try ChildProcess(url(name).path, arguments + ["--data-dir", repositoryRoot.path], output: stdout, errors: stderr)
        let status = child.waitOrKill(seconds: 300)
        func text(_ file: URL) -> String { (try? String(contentsOf: file, encoding: .utf8)) ?? "" }
        return Outcome(status: status ?? -1, stdout: text(stdout), stderr: status == nil ? "timed out after 300 s\n" + text(stderr) : text(stderr))
    }
}

/// Runs blocking work (sockets, subprocess waits, sleeps) on its own OS thread, so that it never holds one of the
/// few threads of Swift's cooperative pool, which an in-process server under test needs to keep its timing.
public func onDedicatedThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread {
            do {
                continuation.resume(returning: try body())
            } catch {
                continuation.resume(throwing: error)
            }
        }
        thread.start()
    }
}
