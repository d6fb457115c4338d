import Foundation

extension SearchReport {
    /// SVG charts: `capacity.svg` (capacity per configuration), `pareto.svg` (tokens/s/GPU against tokens/s/user,
    /// the front joined), `latency.svg` (TTFT and TPOT at the percentile against rate, for the best `best` configurations).
    public func charts(best: Int = 3) -> [String: String] {
        ["capacity.svg": capacityChart(), "pareto.svg": paretoChart(), "latency.svg": latencyChart(best: best)]
    }

    private func capacityChart() -> String {
        let shown = Array(rows.prefix(40))
        let barHeight = 16.0, left = 330.0, width = 820.0
        var plot = SVGPlot(width: width, height: 70 + barHeight * Double(max(1, shown.count)), title: "Capacity under \(spec.slo.description) (requests/s)")
        let axis = PlotAxis(values: shown.map(\.capacityRPS), pixels: (left, width - 60))
        for (position, row) in shown.enumerated() {
            let y = 40 + Double(position) * barHeight
            plot.text("#\(row.rank) \(row.config.label)", x: left - 6, y: y + 11, anchor: "end", size: 10)
            plot.rect(x: left, y: y + 2, width: axis.pixel(row.capacityRPS) - left, height: barHeight - 4, color: SVGPlot.colors[row.onParetoFront ? 1 : 0])
            plot.text(String(format: "%.2f", row.capacityRPS), x: axis.pixel(row.capacityRPS) + 4, y: y + 11, size: 10)
        }
        if rows.count > shown.count { plot.text("(\(rows.count - shown.count) more in configurations.csv)", x: left, y: plot.height - 8, size: 10) }
        return plot.svg
    }

    private func paretoChart() -> String {
        let points = rows.filter { $0.capacityRPS > 0 }
        var plot = SVGPlot(width: 640, height: 480, title: "Throughput per GPU against speed per user (at capacity)")
        let x = PlotAxis(values: points.map(\.tokensPerSecondPerUser), pixels: (70, 610))
        let y = PlotAxis(values: points.map(\.outputTokensPerSecondPerGPU), pixels: (430, 40))
        drawAxes(&plot, x: x, y: y, xLabel: "output tokens/s per user (1000 / mean TPOT)", yLabel: "output tokens/s per GPU")
        for row in points {
            plot.circle(x: x.pixel(row.tokensPerSecondPerUser), y: y.pixel(row.outputTokensPerSecondPerGPU), radius: row.onParetoFront ? 4 : 3,
                        color: SVGPlot.colors[row.onParetoFront ? 1 : 0], filled: row.onParetoFront)
        }
        let front = points.filter(\.onParetoFront).sorted { $0.tokensPerSecondPerUser < $1.tokensPerSecondPerUser }
        plot.line(front.map { (x.pixel($0.tokensPerSecondPerUser), y.pixel($0.outputTokensPerSecondPerGPU)) }, color: SVGPlot.colors[1])
        for row in front { plot.text("#\(row.rank)", x: x.pixel(row.tokensPerSecondPerUser) + 6, y: y.pixel(row.outputTokensPerSecondPerGPU) - 6, size: 10) }
        return plot.svg
    }

    private func latencyChart(best: Int) -> String {
        let chosen = Array(rows.filter { !$0.curve.isEmpty }.prefix(best))
        let label = spec.slo.percentileLabel
        var plot = SVGPlot(width: 900, height: 420, title: "Latency at \(label) against offered rate (runs at 0.25-1.1 × capacity; filled: SLO met)")
        let rates = chosen.flatMap { $0.curve.map(\.rate) }
        let panels: [(String, (ProbePoint) -> Double, Double?, Double)] = [
            ("TTFT \(label), ms", { $0.latency.ttftMs }, spec.slo.ttftMs, 70), ("TPOT \(label), ms", { $0.latency.tpotMs }, spec.slo.tpotMs, 520),
        ]
        for (title, value, limit, left) in panels {
            let x = PlotAxis(values: rates, pixels: (left, left + 330), logarithmic: true)
            let y = PlotAxis(values: chosen.flatMap { $0.curve.map(value) } + [limit ?? 0], pixels: (340, 40), logarithmic: true)
            drawAxes(&plot, x: x, y: y, xLabel: "requests/s", yLabel: title)
            if let limit { plot.line([(x.pixelLow, y.pixel(limit)), (x.pixelHigh, y.pixel(limit))], color: "#888888", dashed: true) }
            for (position, row) in chosen.enumerated() {
                let color = SVGPlot.colors[position % SVGPlot.colors.count]
                plot.line(row.curve.map { (x.pixel($0.rate), y.pixel(value($0))) }, color: color)
                for probe in row.curve { plot.circle(x: x.pixel(probe.rate), y: y.pixel(value(probe)), radius: 2.5, color: color, filled: probe.latency.passed) }
            }
        }
        for (position, row) in chosen.enumerated() {
            plot.rect(x: 20 + Double(position) * 290, y: 402, width: 8, height: 8, color: SVGPlot.colors[position % SVGPlot.colors.count])
            plot.text("#\(row.rank) \(row.config.label)", x: 32 + Double(position) * 290, y: 410, size: 9)
        }
        return plot.svg
    }

    private func drawAxes(_ plot: inout SVGPlot, x: PlotAxis, y: PlotAxis, xLabel: String, yLabel: String) {
        plot.line([(x.pixelLow, y.pixelLow), (x.pixelHigh, y.pixelLow)], color: "#000000")
        plot.line([(x.pixelLow, y.pixelLow), (x.pixelLow, y.pixelHigh)], color: "#000000")
        for tick in x.ticks { plot.text(Self.tickLabel(tick), x: x.pixel(tick), y: y.pixelLow + 14, anchor: "middle", size: 10) }
        for tick in y.ticks { plot.text(Self.tickLabel(tick), x: x.pixelLow - 4, y: y.pixel(tick) + 3, anchor: "end", size: 10) }
        plot.text(xLabel, x: (x.pixelLow + x.pixelHigh) / 2, y: y.pixelLow + 30, anchor: "middle")
        plot.text(yLabel, x: x.pixelLow - 45, y: (y.pixelLow + y.pixelHigh) / 2, anchor: "middle", rotate: true)
    }

    private static func tickLabel(_ value: Double) -> String {
        value >= 1 || value == 0 ? String(format: "%g", value) : String(format: "%.3g", value)
    }
}
