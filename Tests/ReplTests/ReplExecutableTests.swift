import Foundation
import TestSupport
import Testing

/// The real `repl` binary, piped and on a terminal.
@Suite(.serialized) struct ReplExecutableTests {
    static let root = ReplSessionTests.root

    static var executable: URL { Tool.url("repl") }

    @Test func pipedInputRunsEveryLineAndSurvivesBadOnes() throws {
        let process = Process()
        process.executableURL = Self.executable
        process.arguments = ["--data-dir", Self.root.path, "--model", "meta-llama/Llama-3.1-8B-Instruct"]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let lines = "submit 512 64\nnonsense here\nsubmit 1 1 x0\nrun\nstatus\n"
        input.fileHandleForWriting.write(Data(lines.utf8) + Data([0xFF, 0xFE, 0x0A]))
        try input.fileHandleForWriting.close()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(text.contains("request 1 queued"))
        #expect(text.contains("unknown command \"nonsense\""))
        #expect(text.contains("request 1: first token at"))
        #expect(text.contains("KV blocks"))
        #expect(!text.contains("\u{1B}[?2004h"))
    }

    @Test func aScriptFileRunsWithEachCommandEchoed() throws {
        let script = FileManager.default.temporaryDirectory.appendingPathComponent("repl-\(UUID().uuidString).txt")
        try Data("use model qwen/Qwen3-8B\nsubmit 256 8\nnot a command\nrun\nstats --json\n".utf8).write(to: script)
        let result = try Tool.run("repl", ["--script", script.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("repl> submit 256 8"))
        #expect(result.stdout.contains("request 1: first token at"))
        #expect(result.stdout.contains("unknown command \"not\""))
        #expect(result.stdout.contains("\"completed\" : 1"))
    }

    /// Drives readline in a real terminal (tmux): prompt, tab completion, history, Ctrl-C on a line, Ctrl-D.
    @Test func readlineOnATerminal() throws {
        let tmux = ["/usr/bin/tmux", "/bin/tmux", "/usr/local/bin/tmux"].first { FileManager.default.isExecutableFile(atPath: $0) }
        try #require(tmux != nil, "tmux is needed for the terminal test (.ci/run installs it)")
        let session = "repltest\(getpid())"
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("replhome-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        func tmuxRun(_ arguments: [String]) throws -> String {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: tmux!)
            process.arguments = arguments
            // A file, not a pipe: the tmux server forked by new-session would hold a pipe open forever.
            let capture = home.appendingPathComponent("tmux-output")
            _ = FileManager.default.createFile(atPath: capture.path, contents: nil)
            let handle = try FileHandle(forWritingTo: capture)
            process.standardOutput = handle
            process.standardError = handle
            try process.run()
            process.waitUntilExit()
            try handle.close()
            return try String(contentsOf: capture, encoding: .utf8)
        }
        func screen() throws -> String { try tmuxRun(["capture-pane", "-p", "-t", session]) }
        func waitFor(_ text: String) throws -> Bool {
            for _ in 0..<100 {
                if try screen().contains(text) { return true }
                Thread.sleep(forTimeInterval: 0.1)
            }
            return false
        }
        let command = "HOME=\(home.path) \(Self.executable.path) --data-dir \(Self.root.path) --model qwen/Qwen3-8B"
        _ = try tmuxRun(["new-session", "-d", "-s", session, "-x", "200", "-y", "50", command])
        defer { _ = try? tmuxRun(["kill-session", "-t", session]) }
        let started = try waitFor("repl>")
        #expect(started, "screen: \((try? screen()) ?? "")")
        _ = try tmuxRun(["send-keys", "-t", session, "reque", "Tab"])
        #expect(try waitFor("repl> requests"))
        _ = try tmuxRun(["send-keys", "-t", session, "Enter"])
        #expect(try waitFor("no requests yet"))
        _ = try tmuxRun(["send-keys", "-t", session, "submit 512 32", "Enter"])
        #expect(try waitFor("request 1 queued"))
        _ = try tmuxRun(["send-keys", "-t", session, "half-typed line", "C-c"])
        _ = try tmuxRun(["send-keys", "-t", session, "status", "Enter"])
        #expect(try waitFor("KV blocks"))
        #expect(try !screen().contains("half-typed"))
        _ = try tmuxRun(["send-keys", "-t", session, "run", "Enter"])
        #expect(try waitFor("request 1: first token at"))
        _ = try tmuxRun(["send-keys", "-t", session, "C-d"])
        for _ in 0..<50 where try !tmuxRun(["has-session", "-t", session]).contains("can't find") { Thread.sleep(forTimeInterval: 0.1) }
        let history = try String(contentsOf: home.appendingPathComponent(".llmservingsim_history"), encoding: .utf8)
        #expect(history.contains("submit 512 32") && history.contains("requests") && history.contains("status"))
        #expect(!history.contains("half-typed"))
    }
}
