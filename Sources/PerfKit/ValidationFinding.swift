/// One problem found by `TableValidator`, with the rule it breaks and where.
public struct ValidationFinding: Sendable, Hashable, CustomStringConvertible {
    public enum Severity: String, Sendable { case error, warning }

    /// The rules `perfkit validate` checks.
    public enum Rule: String, Sendable, CaseIterable {
        case schema
        case duplicateKey = "duplicate-key"
        case positiveLatency = "positive-latency"
        case keyRange = "key-range"
        case unknownLayer = "unknown-layer"
        case monotoneInput = "monotone-input"
        case monotoneKV = "monotone-kv"
        case coverage
        case physicalFloor = "physical-floor"
        case matmulPeak = "matmul-peak"
    }

    public var severity: Severity
    public var rule: Rule
    public var file: String
    /// 1-based line, 0 when the finding is about the whole file.
    public var line: Int
    public var message: String

    public init(_ severity: Severity, _ rule: Rule, file: String, line: Int, _ message: String) {
        self.severity = severity
        self.rule = rule
        self.file = file
        self.line = line
        self.message = message
    }

    public var description: String {
        let location = line > 0 ? "\(file):\(line)" : file
        return "\(location): \(severity.rawValue) [\(rule.rawValue)]: \(message)"
    }
}
