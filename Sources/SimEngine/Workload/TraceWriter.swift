public import Foundation
import PerfKit

/// Writes requests as a trace file that `TraceReader` reads back unchanged.
public enum TraceWriter {
    /// The trace text: LLMServingSim TSV (with header), Vidur CSV (arrival in seconds) or JSONL.
    public static func data<S: Sequence>(_ specs: S, format: TraceFormat = .tsv) -> Data where S.Element == RequestSpec {
        var text: String
        switch format {
        case .tsv:
            text = "input_toks\toutput_toks\tarrival_time_ns\n"
            for spec in specs { text += "\(spec.inputTokens)\t\(spec.outputTokens)\t\(spec.arrival.nanoseconds)\n" }
        case .vidur:
            text = "request_id,arrived_at,num_prefill_tokens,num_decode_tokens\n"
            for spec in specs { text += "\(spec.id),\(seconds(spec.arrival)),\(spec.inputTokens),\(spec.outputTokens)\n" }
        case .jsonl:
            text = ""
            for spec in specs {
                text += "{\"input_tokens\": \(spec.inputTokens), \"output_tokens\": \(spec.outputTokens), \"arrival_time_ns\": \(spec.arrival.nanoseconds)}\n"
            }
        }
        return Data(text.utf8)
    }

    /// Writes atomically (temporary file, then rename).
    public static func write<S: Sequence>(_ specs: S, to url: URL, format: TraceFormat = .tsv) throws(SimEngineError) where S.Element == RequestSpec {
        do {
            try AtomicFile.write(data(specs, format: format), to: url)
        } catch {
            throw SimEngineError(error)
        }
    }

    /// Seconds with nanosecond precision, exactly as written.
    private static func seconds(_ time: SimTime) -> String {
        let whole = time.nanoseconds / 1_000_000_000, fraction = time.nanoseconds % 1_000_000_000
        let digits = String(fraction)
        return "\(whole).\(String(repeating: "0", count: 9 - digits.count))\(digits)"
    }
}
