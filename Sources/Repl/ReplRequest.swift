public import SimEngine

/// What a session knows of one submitted request, for `requests` and `show`.
public struct ReplRequest: Sendable, Equatable, Codable {
    public var id: RequestID
    public var model: String
    public var hardware: String
    public var tp: Int
    public var inputTokens: Int
    public var outputTokens: Int
    public var arrival: SimTime
    public var phase: RequestPhase
    public var generatedTokens: Int
    public var firstToken: SimTime?
    /// Set when finished.
    public var record: RequestRecord?
    /// Set when rejected.
    public var rejection: String?
}
