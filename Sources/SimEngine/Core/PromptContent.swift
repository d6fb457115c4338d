/// What the engine knows of a request's tokens, for prefix caching: their ids, a shared prefix, or nothing.
public enum PromptContent: Sendable, Hashable {
    /// Nothing beyond the lengths: the request shares no block with another (only with itself after a preemption).
    case unknown
    /// Token ids of the prompt, optionally followed by those of the output (a trace's `output_tok_ids`).
    case tokens([UInt32])
    /// The first `tokens` prompt tokens are the same as those of every request with this `id`; the rest are its own.
    case sharedPrefix(id: Int, tokens: Int)
}
