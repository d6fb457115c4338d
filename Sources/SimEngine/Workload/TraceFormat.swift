/// File formats of request traces.
public enum TraceFormat: String, Sendable, CaseIterable {
    /// LLMServingSim: `input_toks output_toks arrival_time_ns`, tab- or space-separated, optional header.
    case tsv
    /// Vidur: CSV with columns `arrived_at` (seconds), `num_prefill_tokens`, `num_decode_tokens` (others ignored).
    case vidur
    /// One JSON object per line: `input_tokens`, `output_tokens`, and `arrival_time_ns` or `arrival_s`; optionally
    /// `input_tok_ids` (and `output_tok_ids`), or `prefix_id` with `prefix_len`, for prefix caching.
    case jsonl

    /// The format a file name implies: `.tsv`, `.csv` (Vidur), `.jsonl`.
    public init?(fileName: String) {
        let lower = fileName.lowercased()
        if lower.hasSuffix(".tsv") || lower.hasSuffix(".txt") { self = .tsv }
        else if lower.hasSuffix(".csv") { self = .vidur }
        else if lower.hasSuffix(".jsonl") || lower.hasSuffix(".ndjson") { self = .jsonl }
        else { return nil }
    }
}
