/// An error from PerfKit that says what was wrong and where, in words a user can act on.
public struct PerfKitError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file, with line and column when known, that the error is about; empty when none.
    public var location: String
    /// What was wrong and what is accepted.
    public var message: String

    public init(_ message: String, location: String = "") {
        self.message = message
        self.location = location
    }

    /// An error at `file:line:column` (column omitted when 0).
    public init(_ message: String, file: String, line: Int, column: Int = 0) {
        self.message = message
        self.location = column > 0 ? "\(file):\(line):\(column)" : "\(file):\(line)"
    }

    public var description: String {
        location.isEmpty ? message : "\(location): \(message)"
    }
}
