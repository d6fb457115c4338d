/// The bracketing both measured lookups share: LLMServingSim's `_axis_bracket` (serving/core/trace_generator.py).
@usableFromInline enum LinearBracket {
    /// Their `_axis_bracket` over `values[start ..< start + count]`: (low, high, t) relative to `start`; below the
    /// first value (0, 0, 0); past the last the top two, t > 1.
    @inlinable static func locate(_ values: [Int], _ start: Int, _ count: Int, _ query: Int, _ extrapolated: inout Bool) -> (Int, Int, Double) {
        if count == 0 { return (0, 0, 0) }
        let first = values[start], last = values[start + count - 1]
        if query < first || query > last { extrapolated = true }
        if count == 1 || query <= first { return (0, 0, 0) }
        var low: Int
        var high: Int
        if query >= last {
            low = count - 2
            high = count - 1
        } else {
            low = 0
            high = count - 1
            while high - low > 1 {
                let middle = (low + high) >> 1
                if values[start + middle] <= query { low = middle } else { high = middle }
            }
        }
        return (low, high, Double(query - values[start + low]) / Double(values[start + high] - values[start + low]))
    }
}
