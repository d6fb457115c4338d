public import PerfKit

/// An error from setting up or feeding the simulator, with where it happened and what is accepted.
public struct SimEngineError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `file:line` or a parameter name; empty when none.
    public var location: String
    public var message: String

    public init(_ message: String, location: String = "") {
        self.message = message
        self.location = location
    }

    /// The same message and place as a PerfKit error (a table, config or file problem met while simulating).
    public init(_ error: PerfKitError) {
        self.init(error.message, location: error.location)
    }

    public var description: String { location.isEmpty ? message : "\(location): \(message)" }
}
