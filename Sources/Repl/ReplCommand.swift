public import SimEngine

/// One parsed REPL line.
public enum ReplCommand: Sendable, Equatable {
    /// A session setting: the GPU, default model, tp, scheduler, replicas or router of new engines.
    case use(ReplSetting)
    /// Submit `count` requests of `model` arriving at `at` (default now), spaced by `every`.
    case submit(model: String, input: Int, output: Int, count: Int, at: ReplTime?, every: SimTime)
    /// Run until every request has finished, or until a time.
    case run(until: ReplTime?)
    /// Process the next `count` event times.
    case step(count: Int)
    case status
    case stats
    case requests
    case show(RequestID)
    /// Time of one iteration from a table: `batch` sequences of `input` new over `kv` cached tokens.
    case latency(hardware: String, model: String, phase: LatencyPhase, input: Int, kv: Int, batch: Int, tp: Int)
    case loadTrace(path: String)
    case reset
    case saveReport(folder: String)
    /// Capacity search on the default model over the options' grid (the session's settings where not given).
    case search(ReplSearchOptions)
    /// Latency percentiles of the session's configuration at rates `from`, `from + step`, … `through`, requests/s.
    case sweep(from: Double, through: Double, step: Double, options: ReplSearchOptions)
    case help(topic: String?)
    case quit
}

/// What `use` changes.
public enum ReplSetting: Sendable, Equatable {
    case hardware(String)
    case model(String)
    case tp(Int)
    case scheduler(SchedulerKind)
    case replicas(Int)
    case router(RouterPolicy)
}

/// The phase a `latency` query asks about.
public enum LatencyPhase: String, Sendable, Equatable, CaseIterable {
    case prefill, decode
}

/// A time in a command: absolute (`30s`) or relative to the session clock (`+0.5s`).
public struct ReplTime: Sendable, Equatable {
    public var time: SimTime
    public var isRelative: Bool

    public init(time: SimTime, isRelative: Bool) {
        self.time = time
        self.isRelative = isRelative
    }

    /// The absolute time, given the clock now.
    public func resolved(now: SimTime) -> SimTime { isRelative ? now + time : time }
}

/// A parsed line: the command and whether its output should be JSON.
public struct ReplLine: Sendable, Equatable {
    public var command: ReplCommand
    public var json: Bool

    public init(command: ReplCommand, json: Bool = false) {
        self.command = command
        self.json = json
    }
}
