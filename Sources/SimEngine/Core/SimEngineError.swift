/// An error from setting up or feeding the simulator, with where it happened and what is accepted.
public struct SimEngineError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `file:line` or a parameter name; empty when none.
    public var location: String
    public var message: String

    public init(_ message: String, location: String = "") {
        self.message = message
        self.location = location
    }

    public var description: String { location.isEmpty ? message : "\(location): \(message)" }
}
