import Foundation
import TestSupport
import Testing

/// The real `repl` binary, piped and on a terminal.
@Suite(.serialized) struct ReplExecutableTests {
    static let root = ReplSessionTests.root

    static var executable: URL { Tool.url("repl") }

    @Test func pipedInputRunsEveryLineAndSurvivesBadOnes() async throws {
        let executable = Self.executable, root = Self.root
        let (status, text) = try await onDedicatedThread { () throws -> (Int32, String) in
            let output = FileManager.default.temporaryDirectory.appendingPathComponent("repl-piped-\(UUID().uuidString).txt")
            defer { try? FileManager.default.removeItem(at: output) }
            let lines = "submit 512 64\nnonsense here\nsubmit 1 1 x0\nrun\nstatus\n"
            let child = try ChildProcess(executable.path, ["--data-dir", root.path, "--model", "meta-llama/Llama-3.1-8B-Instruct", "--keep-going"],
                                         output: output, input: Data(lines.utf8) + Data([0xFF, 0xFE, 0x0A]))
            let status = child.waitOrKill(seconds: 120) ?? -1
            return (status, (try? String(contentsOf: output, encoding: .utf8)) ?? "")
        }
        // Every line ran, and the failed ones make the exit status 1.
        #expect(status == 1)
        #expect(text.contains("request 1 queued"))
        #expect(text.contains("unknown command \"nonsense\""))
        #expect(text.contains("request 1: first token at"))
        #expect(text.contains("KV blocks"))
        #expect(!text.contains("\u{1B}[?2004h"))
    }

    @Test func aScriptFileRunsWithEachCommandEchoed() async throws {
        let script = FileManager.default.temporaryDirectory.appendingPathComponent("repl-\(UUID().uuidString).txt")
        try Data("use model qwen/Qwen3-8B\nsubmit 256 8\nnot a command\nrun\nstats --json\n".utf8).write(to: script)
        let result = try await Tool.run("repl", ["--script", script.path, "--keep-going"])
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stdout.contains("repl> submit 256 8"))
        #expect(result.stdout.contains("request 1: first token at"))
        #expect(result.stdout.contains("unknown command \"not\""))
        #expect(result.stdout.contains("\"completed\" : 1"))
    }

    @Test func aScriptStopsAtItsFirstFailedLineWithExitStatus1() async throws {
        let script = FileManager.default.temporaryDirectory.appendingPathComponent("repl-\(UUID().uuidString).txt")
        try Data("submit 256 8\nnot a command\nrun\n".utf8).write(to: script)
        let failing = try await Tool.run("repl", ["--script", script.path, "--model", "qwen/Qwen3-8B"])
        #expect(failing.status == 1)
        #expect(!failing.stdout.contains("repl> run"), "\(failing.stdout)")
        #expect(failing.stderr.contains("--keep-going"))
        try Data("submit 256 8\nrun\n".utf8).write(to: script)
        #expect(try await Tool.run("repl", ["--script", script.path, "--model", "qwen/Qwen3-8B"]).status == 0)
    }

    @Test func aProfileThatCannotServeIsRefusedAtStartup() async throws {
        let script = FileManager.default.temporaryDirectory.appendingPathComponent("repl-\(UUID().uuidString).txt")
        try Data("status\n".utf8).write(to: script)
        let bundle = "profiles/measured/LLMServingSim/RTXPRO6000/Qwen/Qwen3-32B/bf16"
        let wrongGPU = try await Tool.run("repl", ["--script", script.path, "--profile", Tool.repositoryRoot.appendingPathComponent(bundle).path, "--hardware", "H100"])
        #expect(wrongGPU.status == 1 && wrongGPU.stderr.contains("pass --hardware RTXPRO6000"), "\(wrongGPU.stderr)")
        let missing = try await Tool.run("repl", ["--script", script.path, "--profile", "/nonexistent", "--model", "qwen/Qwen3-8B"])
        #expect(missing.status == 1 && missing.stderr.contains("no such file or folder"), "\(missing.stderr)")
    }

    /// What the terminal session showed at each step.
    struct TerminalSteps: Sendable {
        var prompt = false, completed = false, completedInContext = false, requestsRan = false, submitted = false, cleared = false, ran = false
        var screen = "", history = ""
    }

    /// Drives readline in a real terminal (tmux): prompt, tab completion, history, Ctrl-C on a line, Ctrl-D.
    @Test func readlineOnATerminal() async throws {
        let tmux = ["/usr/bin/tmux", "/bin/tmux", "/usr/local/bin/tmux"].first { FileManager.default.isExecutableFile(atPath: $0) }
        try #require(tmux != nil, "tmux is needed for the terminal test (.ci/run installs it)")
        let executable = Self.executable, root = Self.root
        let steps = try await onDedicatedThread { try Self.driveTerminal(tmux: tmux!, executable: executable, root: root) }
        #expect(steps.prompt, "screen: \(steps.screen)")
        #expect(steps.completed, "tab completion: \(steps.screen)")
        #expect(steps.completedInContext, "use hardware <Tab> should offer GPUs: \(steps.screen)")
        #expect(steps.requestsRan)
        #expect(steps.submitted)
        #expect(steps.cleared, "Ctrl-C should discard the half-typed line: \(steps.screen)")
        #expect(steps.ran)
        #expect(steps.history.contains("submit 512 32") && steps.history.contains("requests") && steps.history.contains("status"))
        #expect(!steps.history.contains("half-typed"))
    }

    /// The blocking tmux conversation, on its own thread.
    static func driveTerminal(tmux: String, executable: URL, root: URL) throws -> TerminalSteps {
        let session = "repltest\(getpid())"
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("replhome-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        func tmuxRun(_ arguments: [String]) throws -> String {
            // A file, not a pipe: the tmux server forked by new-session would hold a pipe open forever.
            let capture = home.appendingPathComponent("tmux-output")
            let child = try ChildProcess(tmux, arguments, output: capture)
            _ = child.waitOrKill(seconds: 30)
            return (try? String(contentsOf: capture, encoding: .utf8)) ?? ""
        }
        func screen() throws -> String { try tmuxRun(["capture-pane", "-p", "-t", session]) }
        func waitFor(_ text: String) throws -> Bool {
            for _ in 0..<200 {
                if try screen().contains(text) { return true }
                Thread.sleep(forTimeInterval: 0.1)
            }
            return false
        }
        var steps = TerminalSteps()
        let command = "HOME=\(home.path) \(executable.path) --data-dir \(root.path) --model qwen/Qwen3-8B"
        _ = try tmuxRun(["new-session", "-d", "-s", session, "-x", "200", "-y", "50", command])
        defer { _ = try? tmuxRun(["kill-session", "-t", session]) }
        steps.prompt = try waitFor("repl>")
        _ = try tmuxRun(["send-keys", "-t", session, "reque", "Tab"])
        steps.completed = try waitFor("repl> requests")
        _ = try tmuxRun(["send-keys", "-t", session, "Enter"])
        steps.requestsRan = try waitFor("no requests yet")
        _ = try tmuxRun(["send-keys", "-t", session, "use hardware H1", "Tab"])
        steps.completedInContext = try waitFor("repl> use hardware H100")
        _ = try tmuxRun(["send-keys", "-t", session, "Enter"])
        _ = try tmuxRun(["send-keys", "-t", session, "submit 512 32", "Enter"])
        steps.submitted = try waitFor("request 1 queued")
        _ = try tmuxRun(["send-keys", "-t", session, "half-typed line", "C-c"])
        _ = try tmuxRun(["send-keys", "-t", session, "status", "Enter"])
        steps.cleared = try waitFor("KV blocks") && !screen().contains("half-typed")
        _ = try tmuxRun(["send-keys", "-t", session, "run", "Enter"])
        steps.ran = try waitFor("request 1: first token at")
        steps.screen = try screen()
        _ = try tmuxRun(["send-keys", "-t", session, "C-d"])
        for _ in 0..<50 where try !tmuxRun(["has-session", "-t", session]).contains("can't find") { Thread.sleep(forTimeInterval: 0.1) }
        steps.history = (try? String(contentsOf: home.appendingPathComponent(".llmservingsim_history"), encoding: .utf8)) ?? ""
        return steps
    }
}
