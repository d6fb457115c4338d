/// Identifies a request within one engine.
public typealias RequestID = Int

/// What a client asks of the engine: prompt and output lengths in tokens, and when it arrives.
public struct RequestSpec: Sendable, Hashable {
    public var id: RequestID
    /// Prompt tokens.
    public var inputTokens: Int
    /// Tokens to generate (the request finishes after this many).
    public var outputTokens: Int
    public var arrival: SimTime
    /// Token ids or a shared prefix, for prefix caching.
    public var content: PromptContent

    public init(id: RequestID, inputTokens: Int, outputTokens: Int, arrival: SimTime, content: PromptContent = .unknown) {
        self.id = id
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
        self.arrival = arrival
        self.content = content
    }
}
