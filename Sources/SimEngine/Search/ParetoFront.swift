import Foundation

/// The non-dominated points of a two-objective maximisation: none other is at least as good on both and better on one.
public enum ParetoFront {
    /// Indices of the points on the front, in input order.
    public static func indices(of points: [(x: Double, y: Double)]) -> [Int] {
        points.indices.filter { candidate in
            let point = points[candidate]
            return !points.contains { other in
                other.x >= point.x && other.y >= point.y && (other.x > point.x || other.y > point.y)
            }
        }
    }
}
