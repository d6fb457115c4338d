import Foundation

extension SearchReport {
    /// The report as a person reads it: the ranked table, the Pareto set, stability, skipped configurations and the target.
    public func textReport() -> String {
        func number(_ value: Double, _ decimals: Int) -> String { String(format: "%.\(decimals)f", value) }
        func money(_ value: Double?) -> String { value.map { number($0, $0 < 10 ? 3 : 2) } ?? "n/a" }
        let label = spec.slo.percentileLabel
        var lines: [String] = []
        lines.append("capacity under \(spec.slo.description): \(rows.count + skipped.count) configuration(s), \(spec.workload)")
        let header = ["#", "configuration", "GPUs", "req/s", "±seed", "tok/s/GPU", "tok/s/replica", "tok/s/user", "TTFT \(label)", "TPOT \(label)", "$/hour", "$/M tok", "Pareto"]
        var table: [[String]] = [header]
        for row in rows {
            let latency = row.latencyAtCapacity
            table.append([
                "\(row.rank)", row.config.label, "\(row.gpus)", (row.reachedMaxRate ? "≥" : "") + number(row.capacityRPS, 2),
                row.spreadPercent.map { number($0, 1) + "%" } ?? "n/a",
                number(row.outputTokensPerSecondPerGPU, 1), number(row.outputTokensPerSecondPerReplica, 1), number(row.tokensPerSecondPerUser, 1),
                latency.map { number($0.ttftMs, 1) } ?? "n/a", latency.map { number($0.tpotMs, 2) } ?? "n/a",
                money(row.usdPerHour), money(row.usdPerMillionOutputTokens), row.onParetoFront ? "*" : "",
            ])
        }
        let widths = header.indices.map { column in table.map { $0[column].count }.max()! }
        for cells in table {
            lines.append(cells.indices.map { column in
                column == 1 ? cells[column].padding(toLength: widths[column], withPad: " ", startingAt: 0)
                    : String(repeating: " ", count: widths[column] - cells[column].count) + cells[column]
            }.joined(separator: "  "))
        }
        if rows.contains(where: { $0.capacityRPS == 0 }) {
            lines.append("req/s 0: no rate down to \(RateGrid.trimmed(spec.rates.minRate)) requests/s meets the SLO")
        }
        let front = rows.filter(\.onParetoFront)
        if !front.isEmpty {
            lines.append("Pareto set (tokens/s/GPU vs tokens/s/user): " + front.map { "#\($0.rank) \($0.config.label)" }.joined(separator: "; "))
        }
        if let median = medianSpreadPercent, let largest = rows.compactMap(\.spreadPercent).max() {
            lines.append("stability: across \(rows.first?.capacityBySeed.count ?? 0) seeds a capacity moves by ±\(number(median, 1)) % (median over configurations), ±\(number(largest, 1)) % at most; rate grid step \(RateGrid.trimmed(spec.rates.resolution * 100)) %")
        }
        for entry in prices {
            lines.append("price \(entry.gpu): $\(number(entry.usdPerGPUHour, 3))/GPU-hour, \(entry.offer) (\(entry.source), \(entry.date))")
        }
        for item in skipped {
            lines.append("skipped \(item.config.label): \(item.reason)")
        }
        if let target {
            if let rank = target.cheapestRank, let row = rows.first(where: { $0.rank == rank }) {
                lines.append("cheapest for \(RateGrid.trimmed(target.rate)) requests/s (\(target.basis)): #\(rank) \(row.config.label), \(row.gpus) GPU(s), capacity \(number(row.capacityRPS, 2)) requests/s, \(money(row.usdPerHour)) $/hour")
            } else {
                let best = rows.map(\.capacityRPS).max() ?? 0
                lines.append("no configuration sustains \(RateGrid.trimmed(target.rate)) requests/s; the highest capacity is \(number(best, 2)) requests/s: add replicas or GPUs")
            }
        }
        return lines.joined(separator: "\n")
    }

    /// One CSV row per configuration (searched and skipped), in rank order, skipped last.
    public func csv() -> String {
        func cell(_ value: Double?) -> String { value.map { RateGrid.trimmed($0) } ?? "" }
        var text = "rank,model,hardware,tp,replicas,scheduler,max_num_seqs,max_num_batched_tokens,gpus,capacity_rps,capacity_by_seed,spread_pct,output_tok_s_per_gpu,output_tok_s_per_replica,tok_s_per_user,ttft_ms,tpot_ms,e2e_ms,usd_per_hour,usd_per_million_output_tokens,pareto,skipped\n"
        func prefix(_ config: DeploymentConfig) -> String {
            "\(config.model),\(config.hardware),\(config.tp),\(config.replicas),\(config.scheduler.rawValue),\(config.maxNumSeqs),\(config.maxNumBatchedTokens),\(config.gpus)"
        }
        for row in rows {
            let latency = row.latencyAtCapacity
            text += "\(row.rank),\(prefix(row.config)),\(cell(row.capacityRPS)),\(row.capacityBySeed.map { RateGrid.trimmed($0) }.joined(separator: ";")),\(cell(row.spreadPercent)),"
                + "\(cell(row.outputTokensPerSecondPerGPU)),\(cell(row.outputTokensPerSecondPerReplica)),\(cell(row.tokensPerSecondPerUser)),"
                + "\(cell(latency?.ttftMs)),\(cell(latency?.tpotMs)),\(cell(latency?.e2eMs)),\(cell(row.usdPerHour)),\(cell(row.usdPerMillionOutputTokens)),\(row.onParetoFront),\n"
        }
        for item in skipped {
            text += ",\(prefix(item.config)),,,,,,,,,,,,,\"\(item.reason.replacingOccurrences(of: "\"", with: "\"\""))\"\n"
        }
        return text
    }
}
