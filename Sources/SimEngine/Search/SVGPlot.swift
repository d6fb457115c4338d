import Foundation

/// A minimal SVG chart writer: axes with ticks, lines, points, bars and labels; deterministic text.
struct SVGPlot {
    let width: Double
    let height: Double
    private var body: [String] = []
    static let colors = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b"]

    init(width: Double, height: Double, title: String) {
        self.width = width
        self.height = height
        body.append("<rect width=\"\(width)\" height=\"\(height)\" fill=\"white\"/>")
        text(title, x: width / 2, y: 20, anchor: "middle", size: 14)
    }

    static func number(_ value: Double) -> String { String(format: "%.1f", value) }
    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }

    mutating func text(_ content: String, x: Double, y: Double, anchor: String = "start", size: Int = 11, rotate: Bool = false) {
        let transform = rotate ? " transform=\"rotate(-90 \(Self.number(x)) \(Self.number(y)))\"" : ""
        body.append("<text x=\"\(Self.number(x))\" y=\"\(Self.number(y))\" font-family=\"sans-serif\" font-size=\"\(size)\" text-anchor=\"\(anchor)\"\(transform)>\(Self.escape(content))</text>")
    }

    mutating func line(_ points: [(Double, Double)], color: String, dashed: Bool = false) {
        guard points.count > 1 else { return }
        let path = points.map { "\(Self.number($0.0)),\(Self.number($0.1))" }.joined(separator: " ")
        body.append("<polyline points=\"\(path)\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"1.5\"\(dashed ? " stroke-dasharray=\"4 3\"" : "")/>")
    }

    mutating func circle(x: Double, y: Double, radius: Double, color: String, filled: Bool) {
        body.append("<circle cx=\"\(Self.number(x))\" cy=\"\(Self.number(y))\" r=\"\(Self.number(radius))\" fill=\"\(filled ? color : "none")\" stroke=\"\(color)\"/>")
    }

    mutating func rect(x: Double, y: Double, width: Double, height: Double, color: String) {
        body.append("<rect x=\"\(Self.number(x))\" y=\"\(Self.number(y))\" width=\"\(Self.number(max(0, width)))\" height=\"\(Self.number(height))\" fill=\"\(color)\"/>")
    }

    var svg: String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\">\n"
            + body.joined(separator: "\n") + "\n</svg>\n"
    }
}

/// A linear or base-10 logarithmic mapping of data values to a pixel range.
struct PlotAxis {
    let low: Double
    let high: Double
    let pixelLow: Double
    let pixelHigh: Double
    let logarithmic: Bool

    init(values: [Double], pixels: (Double, Double), logarithmic: Bool = false) {
        let positive = values.filter { $0 > 0 && $0.isFinite }
        self.logarithmic = logarithmic && !positive.isEmpty
        if self.logarithmic {
            low = pow(10, floor(log10(positive.min()!)))
            high = pow(10, ceil(log10(max(positive.max()!, low * 10))))
        } else {
            low = 0
            high = max(values.filter(\.isFinite).max() ?? 1, 1e-9) * 1.05
        }
        (pixelLow, pixelHigh) = pixels
    }

    func pixel(_ value: Double) -> Double {
        let fraction = logarithmic ? (log10(max(value, low)) - log10(low)) / (log10(high) - log10(low)) : (value - low) / (high - low)
        return pixelLow + min(1, max(0, fraction)) * (pixelHigh - pixelLow)
    }

    /// About five round tick values.
    var ticks: [Double] {
        if logarithmic { return stride(from: log10(low), through: log10(high), by: 1).map { pow(10, $0) } }
        let step = pow(10, floor(log10(high / 5)))
        let nice = [1.0, 2, 5, 10].map { $0 * step }.first { high / $0 <= 6 } ?? step * 10
        return stride(from: 0, through: high, by: nice).map { $0 }
    }
}
