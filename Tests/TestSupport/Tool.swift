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
        let process = Process()
        process.executableURL = url(name)
        process.arguments = arguments + ["--data-dir", repositoryRoot.path]
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Outcome(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self), stderr: String(decoding: stderr, as: UTF8.self))
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
