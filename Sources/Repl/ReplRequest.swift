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
    /// False while its arrival is still ahead of the clock: it waits for no replica yet.
    public var arrived = true

    /// The phase as the REPL prints it: `not arrived` before the arrival, else the engine's phase.
    public var phaseLabel: String { arrived ? phase.rawValue : "not arrived" }
}
