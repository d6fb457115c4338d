/// Findings kept per rule up to a cap (the lowest lines), so a table with millions of bad rows lists a bounded number
/// and counts the rest.
struct FindingLog {
    let maxPerRule: Int
    private var kept: [ValidationFinding.Rule: [ValidationFinding]] = [:]
    private var omitted: [ValidationFinding.Rule: (count: Int, severity: ValidationFinding.Severity)] = [:]

    init(maxPerRule: Int) { self.maxPerRule = max(1, maxPerRule) }

    mutating func add(_ finding: ValidationFinding) {
        kept[finding.rule, default: []].append(finding)
        if kept[finding.rule]!.count > 2 * maxPerRule { trim(finding.rule) }
    }

    /// Every kept finding ordered by (line, rule), then one note per rule that went over the cap.
    mutating func ordered(file: String) -> [ValidationFinding] {
        for rule in kept.keys { trim(rule) }
        let findings = ValidationFinding.Rule.allCases.flatMap { kept[$0] ?? [] }
        let notes = ValidationFinding.Rule.allCases.compactMap { rule in
            omitted[rule].map { ValidationFinding($0.severity, rule, file: file, line: 0,
                "\($0.count) more \(rule.rawValue) finding(s) not listed; the first \(maxPerRule) by line are") }
        }
        return findings.sorted { ($0.line, $0.rule.rawValue) < ($1.line, $1.rule.rawValue) } + notes
    }

    private mutating func trim(_ rule: ValidationFinding.Rule) {
        guard var findings = kept[rule], findings.count > maxPerRule else { return }
        findings.sort { $0.line < $1.line }
        let dropped = findings[maxPerRule...]
        let severity: ValidationFinding.Severity = dropped.contains { $0.severity == .error } || omitted[rule]?.severity == .error ? .error : .warning
        omitted[rule] = ((omitted[rule]?.count ?? 0) + dropped.count, severity)
        kept[rule] = Array(findings[..<maxPerRule])
    }
}
