/// Identifies one simulated engine of a session: a model on a GPU kind at a tp degree.
public struct ReplEngineKey: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var model: String
    public var hardware: String
    public var tp: Int

    public var description: String { "\(model) on \(hardware) tp=\(tp)" }

    public static func < (lhs: ReplEngineKey, rhs: ReplEngineKey) -> Bool {
        (lhs.model, lhs.hardware, lhs.tp) < (rhs.model, rhs.hardware, rhs.tp)
    }
}
