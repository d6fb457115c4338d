import Foundation

extension ReplParser {
    /// `search [--NAME VALUE]...`: the names of `simulate search`.
    func parseSearch(_ arguments: inout Arguments) throws(ReplError) -> ReplCommand {
        .search(try options(&arguments, accepted: ReplSearchOptions.searchNames))
    }

    /// `sweep rate FROM..TO step STEP [--NAME VALUE]...`.
    func parseSweep(_ arguments: inout Arguments) throws(ReplError) -> ReplCommand {
        try arguments.expectKeyword("rate")
        let range = try arguments.word("FROM..TO")
        let bounds = range.components(separatedBy: "..")
        guard bounds.count == 2, let from = Double(bounds[0]), let through = Double(bounds[1]), from > 0, through >= from, through.isFinite else {
            throw ReplError("expected a rate range like 2..20 (requests/s, 0 < FROM ≤ TO), found \(ReplError.quote(range))", usage: arguments.usage)
        }
        var step = max(1, (through - from) / 10)
        if arguments.peek?.lowercased() == "step" {
            _ = try arguments.word("step")
            let text = try arguments.word("STEP")
            guard let value = Double(text), value > 0, value.isFinite else {
                throw ReplError("STEP must be a positive number of requests/s, found \(ReplError.quote(text))", usage: arguments.usage)
            }
            step = value
        }
        guard (through - from) / step < 1000 else {
            throw ReplError("\(range) step \(step) is more than the 1000 rates a sweep runs; widen the step", usage: arguments.usage)
        }
        return .sweep(from: from, through: through, step: step, options: try options(&arguments, accepted: ReplSearchOptions.sweepNames))
    }

    private func options(_ arguments: inout Arguments, accepted: [String]) throws(ReplError) -> ReplSearchOptions {
        var values: [String: String] = [:]
        while let token = arguments.peek {
            _ = try arguments.word("--NAME")
            let name = token.hasPrefix("--") ? String(token.dropFirst(2)).lowercased() : ""
            guard accepted.contains(name) else {
                throw ReplError("unexpected \(ReplError.quote(token)); options: \(accepted.map { "--\($0)" }.joined(separator: " "))", usage: arguments.usage)
            }
            values[name] = try arguments.word("a value for --\(name)")
        }
        return ReplSearchOptions(values: values)
    }
}
