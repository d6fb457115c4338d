public import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A child process started with posix_spawn and reaped with waitpid, for tests.
///
/// Foundation's `Process` on Linux learns that a child exited when a socket it shares with the child closes; a
/// child that daemonizes (tmux new-session) hands that socket to its daemon, and `waitUntilExit` then waits
/// forever. Here the child inherits only stdin, stdout and stderr, and every wait has a deadline.
public final class ChildProcess: @unchecked Sendable {
    public let pid: pid_t
    private let lock = NSLock()
    private var reaped: Int32?

    /// Starts `executable` with `arguments`; stdout and stderr go to `output` (and `errors`, when given, else
    /// `output` too); `input`, when given, is written to the child's stdin, which is then closed.
    public init(_ executable: String, _ arguments: [String], output: URL, errors: URL? = nil, input: Data? = nil) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        var stdinPipe: [Int32] = [-1, -1]
        if input != nil {
            guard pipe(&stdinPipe) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
            for descriptor in stdinPipe { _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC) }
            posix_spawn_file_actions_adddup2(&actions, stdinPipe[0], 0)
        } else {
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        }
        posix_spawn_file_actions_addopen(&actions, 1, output.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        if let errors {
            posix_spawn_file_actions_addopen(&actions, 2, errors.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        } else {
            posix_spawn_file_actions_adddup2(&actions, 1, 2)
        }
        Self.closeInheritedDescriptors(&actions)
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var child: pid_t = 0
        let result = posix_spawn(&child, executable, &actions, nil, argv, environ)
        if input != nil { close(stdinPipe[0]) }
        guard result == 0 else {
            if input != nil { close(stdinPipe[1]) }
            throw POSIXError(POSIXErrorCode(rawValue: result) ?? .ENOENT)
        }
        pid = child
        if let input {
            input.withUnsafeBytes { bytes in
                var offset = 0
                while offset < bytes.count {
                    let written = write(stdinPipe[1], bytes.baseAddress! + offset, bytes.count - offset)
                    if written <= 0 { break }
                    offset += written
                }
            }
            close(stdinPipe[1])
        }
    }

    /// The exit code, 128 + the signal that ended it, or -1 when someone else reaped it; nil while it runs.
    public var exitStatus: Int32? {
        lock.lock()
        defer { lock.unlock() }
        if reaped == nil {
            var status: Int32 = 0
            let result = waitpid(pid, &status, WNOHANG)
            if result == pid {
                reaped = status & 0x7F == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
            } else if result == -1 && errno == ECHILD {
                reaped = -1
            }
        }
        return reaped
    }

    public var isRunning: Bool { exitStatus == nil }

    /// Waits up to `seconds` for the child to end; returns its status, or nil when it still runs.
    public func wait(seconds: Double) -> Int32? {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if let status = exitStatus { return status }
            usleep(10_000)
        }
        return exitStatus
    }

    /// Waits up to `seconds`; a child still running then is killed. Returns the status, nil on a timeout.
    public func waitOrKill(seconds: Double) -> Int32? {
        if let status = wait(seconds: seconds) { return status }
        signal(SIGKILL)
        _ = wait(seconds: 5)
        return nil
    }

    /// SIGTERM, then SIGKILL if it still runs 5 s later; waits for it to end.
    public func terminate() {
        signal(SIGTERM)
        _ = waitOrKill(seconds: 5)
    }

    public func signal(_ signal: Int32) {
        if isRunning { kill(pid, signal) }
    }

    /// Closes every descriptor above stderr in the child (glibc's posix_spawn_file_actions_addclosefrom_np).
    private static func closeInheritedDescriptors(_ actions: inout posix_spawn_file_actions_t) {
        typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np") else { return }
        _ = unsafeBitCast(symbol, to: CloseFrom.self)(&actions, 3)
    }
}
