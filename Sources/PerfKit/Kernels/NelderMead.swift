/// Minimises a function of a few unconstrained parameters by the Nelder–Mead simplex, with restarts.
enum NelderMead {
    /// The point of least `loss` found from `start`, each coordinate first stepped by `step`.
    static func minimize(_ loss: ([Double]) -> Double, start: [Double], step: Double = 0.5,
                         iterations: Int = 600, restarts: Int = 3) -> [Double] {
        var best = start
        for _ in 0..<restarts {
            best = run(loss, start: best, step: step, iterations: iterations)
        }
        return best
    }

    private static func run(_ loss: ([Double]) -> Double, start: [Double], step: Double, iterations: Int) -> [Double] {
        let count = start.count
        var simplex = [start]
        for index in 0..<count {
            var point = start
            point[index] += step
            simplex.append(point)
        }
        var values = simplex.map(loss)
        for _ in 0..<iterations {
            let order = values.indices.sorted { values[$0] < values[$1] }
            simplex = order.map { simplex[$0] }
            values = order.map { values[$0] }
            if values[count] - values[0] <= 1e-10 * (abs(values[0]) + 1e-12) { break }
            var centroid = [Double](repeating: 0, count: count)
            for point in simplex.dropLast() {
                for index in 0..<count { centroid[index] += point[index] / Double(count) }
            }
            func toward(_ factor: Double) -> [Double] {
                (0..<count).map { centroid[$0] + factor * (simplex[count][$0] - centroid[$0]) }
            }
            let reflected = toward(-1), reflectedValue = loss(reflected)
            if reflectedValue < values[0] {
                let expanded = toward(-2), expandedValue = loss(expanded)
                (simplex[count], values[count]) = expandedValue < reflectedValue ? (expanded, expandedValue) : (reflected, reflectedValue)
            } else if reflectedValue < values[count - 1] {
                (simplex[count], values[count]) = (reflected, reflectedValue)
            } else {
                let contracted = toward(reflectedValue < values[count] ? -0.5 : 0.5), contractedValue = loss(contracted)
                if contractedValue < min(values[count], reflectedValue) {
                    (simplex[count], values[count]) = (contracted, contractedValue)
                } else {
                    for index in 1...count {
                        simplex[index] = (0..<count).map { simplex[0][$0] + 0.5 * (simplex[index][$0] - simplex[0][$0]) }
                        values[index] = loss(simplex[index])
                    }
                }
            }
        }
        return simplex[values.indices.min { values[$0] < values[$1] }!]
    }
}
