import Foundation

/// SVG charts of a replay: latency CDFs of vLLM and the simulator, and running/waiting requests over time.
public enum ReplayCharts {
    /// One line of a chart.
    struct Series {
        var name: String
        var color: String
        var dashed: Bool
        var points: [(x: Double, y: Double)]
    }

    static let vllmColor = "#1f77b4"
    static let simulatorColor = "#d62728"

    /// TTFT, TPOT and E2E CDFs side by side.
    public static func latencyCDFs(_ pairs: [ReplayPair], title: String) -> String {
        func cdf(_ values: [Double]) -> [(x: Double, y: Double)] {
            let sorted = values.sorted()
            return sorted.enumerated().map { (x: $0.element, y: Double($0.offset + 1) / Double(sorted.count)) }
        }
        let panels: [(String, (MeasuredRequest) -> Double?)] = [("TTFT (ms)", { $0.ttftMs }), ("TPOT (ms)", { $0.tpotMs }), ("E2E (ms)", { $0.e2eMs })]
        var body = ""
        for (index, panel) in panels.enumerated() {
            let series = [
                Series(name: "vLLM", color: vllmColor, dashed: false, points: cdf(pairs.compactMap { panel.1($0.vllm) })),
                Series(name: "simulator", color: simulatorColor, dashed: true, points: cdf(pairs.compactMap { panel.1($0.simulator) })),
            ]
            body += chart(series, x: Double(index) * 420, width: 400, height: 320, xLabel: panel.0, yLabel: "fraction of requests")
        }
        return document(width: 1260, height: 380, title: title, body: body)
    }

    /// Running and waiting requests over time, vLLM's timeseries against the simulator's.
    public static func queues(vllm: [QueueSample], simulator: [QueueSample], title: String) -> String {
        func line(_ samples: [QueueSample], _ value: (QueueSample) -> Int) -> [(x: Double, y: Double)] {
            samples.map { (x: $0.seconds, y: Double(value($0))) }
        }
        let running = [
            Series(name: "vLLM", color: vllmColor, dashed: false, points: line(vllm, \.running)),
            Series(name: "simulator", color: simulatorColor, dashed: true, points: line(simulator, \.running)),
        ]
        let waiting = [
            Series(name: "vLLM", color: vllmColor, dashed: false, points: line(vllm, \.waiting)),
            Series(name: "simulator", color: simulatorColor, dashed: true, points: line(simulator, \.waiting)),
        ]
        let body = chart(running, x: 0, width: 600, height: 320, xLabel: "time (s)", yLabel: "running requests")
            + chart(waiting, x: 620, width: 600, height: 320, xLabel: "time (s)", yLabel: "waiting requests")
        return document(width: 1240, height: 380, title: title, body: body)
    }

    private static func document(width: Int, height: Int, title: String, body: String) -> String {
        """
        <svg xmlns="http://www.w3.org/2000/svg" width="\(width)" height="\(height)" font-family="sans-serif" font-size="12">
        <rect width="100%" height="100%" fill="white"/>
        <text x="\(width / 2)" y="18" text-anchor="middle" font-size="14">\(escape(title))</text>
        \(body)</svg>

        """
    }

    /// One panel at horizontal offset `x`: axes with ticks, the lines, a legend.
    private static func chart(_ series: [Series], x: Double, width: Double, height: Double, xLabel: String, yLabel: String) -> String {
        let left = x + 60, top = 40.0, plotWidth = width - 80, plotHeight = height - 70
        let xs = series.flatMap { $0.points.map(\.x) }, ys = series.flatMap { $0.points.map(\.y) }
        let xMax = niceCeiling(xs.max() ?? 1), yMax = niceCeiling(ys.max() ?? 1)
        func px(_ value: Double) -> Double { left + value / xMax * plotWidth }
        func py(_ value: Double) -> Double { top + plotHeight - value / yMax * plotHeight }
        var svg = "<g>\n<rect x=\"\(f(left))\" y=\"\(f(top))\" width=\"\(f(plotWidth))\" height=\"\(f(plotHeight))\" fill=\"none\" stroke=\"#999\"/>\n"
        for step in 0...4 {
            let xv = xMax * Double(step) / 4, yv = yMax * Double(step) / 4
            svg += "<text x=\"\(f(px(xv)))\" y=\"\(f(top + plotHeight + 16))\" text-anchor=\"middle\">\(label(xv))</text>\n"
            svg += "<text x=\"\(f(left - 6))\" y=\"\(f(py(yv) + 4))\" text-anchor=\"end\">\(label(yv))</text>\n"
            svg += "<line x1=\"\(f(left))\" x2=\"\(f(left + plotWidth))\" y1=\"\(f(py(yv)))\" y2=\"\(f(py(yv)))\" stroke=\"#eee\"/>\n"
        }
        svg += "<text x=\"\(f(left + plotWidth / 2))\" y=\"\(f(top + plotHeight + 34))\" text-anchor=\"middle\">\(escape(xLabel))</text>\n"
        svg += "<text transform=\"translate(\(f(x + 14)),\(f(top + plotHeight / 2))) rotate(-90)\" text-anchor=\"middle\">\(escape(yLabel))</text>\n"
        for (index, line) in series.enumerated() where !line.points.isEmpty {
            let path = line.points.map { "\(f(px($0.x))),\(f(py($0.y)))" }.joined(separator: " ")
            let dash = line.dashed ? " stroke-dasharray=\"6 3\"" : ""
            svg += "<polyline fill=\"none\" stroke=\"\(line.color)\" stroke-width=\"1.5\"\(dash) points=\"\(path)\"/>\n"
            let legendY = top + 14 + Double(index) * 16
            svg += "<line x1=\"\(f(left + 10))\" x2=\"\(f(left + 34))\" y1=\"\(f(legendY - 4))\" y2=\"\(f(legendY - 4))\" stroke=\"\(line.color)\" stroke-width=\"2\"\(dash)/>"
            svg += "<text x=\"\(f(left + 40))\" y=\"\(f(legendY))\">\(escape(line.name))</text>\n"
        }
        return svg + "</g>\n"
    }

    /// The smallest 1, 2 or 5 × 10ⁿ at or above `value`.
    static func niceCeiling(_ value: Double) -> Double {
        guard value > 0, value.isFinite else { return 1 }
        let power = pow(10, floor(log10(value)))
        for factor in [1.0, 2, 5, 10] where factor * power >= value { return factor * power }
        return 10 * power
    }

    private static func f(_ value: Double) -> String { trimmed(value) }
    private static func trimmed(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }
    private static func label(_ value: Double) -> String {
        value >= 1000 ? String(Int(value.rounded())) : trimmed(value)
    }
    private static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }
}
