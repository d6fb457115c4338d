import Foundation

/// Usage and a one-line description of every command.
public enum ReplHelp {
    public struct Entry: Sendable {
        public let name: String
        public let usage: String
        public let summary: String
    }

    public static let entries: [Entry] = [
        Entry(name: "use", usage: "use hardware GPU | use model ID | use tp N | use scheduler vllm|orca|static | use replicas N | use router round_robin|least_outstanding|least_kv|prefix",
              summary: "Set the GPU, default model, tensor parallelism, scheduler, replicas or router of new engines"),
        Entry(name: "submit", usage: "submit [MODEL] INPUT OUTPUT [xN] [at TIME] [every SPAN]",
              summary: "Queue N requests of INPUT prompt and OUTPUT output tokens (TIME: 2s, +0.5s, 300ms; default now)"),
        Entry(name: "run", usage: "run [until TIME]", summary: "Simulate until every request has finished, or until TIME"),
        Entry(name: "step", usage: "step [N]", summary: "Process the next N event times (default 1)"),
        Entry(name: "status", usage: "status [--json]", summary: "Clock, queues, running requests and KV use of every engine"),
        Entry(name: "stats", usage: "stats [--json]", summary: "TTFT, TPOT, ITL and E2E so far (mean, p50, p90, p99), throughput"),
        Entry(name: "requests", usage: "requests [--json]", summary: "Every request: phase, tokens, TTFT, E2E"),
        Entry(name: "show", usage: "show ID [--json]", summary: "One request's timeline"),
        Entry(name: "latency", usage: "latency GPU MODEL prefill|decode [input=N] [kv=N] [batch=N] [tp=N] [--json]",
              summary: "One iteration's time from the GPU's latency table"),
        Entry(name: "load", usage: "load trace FILE", summary: "Submit every request of a trace (.tsv, .csv, .jsonl), arrivals relative to now"),
        Entry(name: "reset", usage: "reset", summary: "Drop every engine and request; the clock returns to 0"),
        Entry(name: "save", usage: "save report FOLDER", summary: "Write requests.csv and summary.json"),
        Entry(name: "search", usage: "search [--hardware A100,H100] [--tp 1,2,4] [--replicas 1..4 | --gpus 8] [--scheduler vllm,orca] [--max-num-seqs N,...] [--max-num-batched-tokens N,...] [--slo-ttft-ms MS] [--slo-tpot-ms MS] [--slo-e2e-ms MS] [--percentile p90] [--requests N] [--input-len D] [--output-len D] [--burstiness CV] [--seed N] [--seeds N] [--min-span-s S] [--target-rate R] [--rank-by rate|throughput-per-gpu|cost] [--json]",
              summary: "Highest request rate meeting the SLOs for the model in use, per configuration (as simulate search; the session's GPU, tp, replicas and scheduler by default)"),
        Entry(name: "sweep", usage: "sweep rate FROM..TO [step STEP] [--requests N] [--input-len D] [--output-len D] [--burstiness CV] [--seed N] [--min-span-s S] [--json]",
              summary: "TTFT, TPOT and E2E percentiles against offered rate (requests/s) for the model in use on the session's configuration"),
        Entry(name: "help", usage: "help [COMMAND]", summary: "This list, or one command's usage"),
        Entry(name: "quit", usage: "quit", summary: "Leave (also exit, or Ctrl-D)"),
    ]

    public static func usage(_ name: String) -> String? { entries.first { $0.name == name }?.usage }

    /// Help for every command, or for one.
    public static func text(topic: String?) throws(ReplError) -> String {
        if let topic {
            guard let entry = entries.first(where: { $0.name == topic }) else {
                throw ReplError("no command \(ReplError.quote(topic)); commands: \(entries.map(\.name).joined(separator: ", "))")
            }
            return "\(entry.usage)\n  \(entry.summary)"
        }
        let width = entries.map(\.name.count).max()!
        return entries.map { $0.name.padding(toLength: width + 2, withPad: " ", startingAt: 0) + $0.summary }.joined(separator: "\n")
    }
}
