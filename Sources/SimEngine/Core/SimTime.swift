import Foundation
/// A point or span of simulated time, in integer nanoseconds.
public struct SimTime: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public var nanoseconds: Int64

    @inlinable public init(nanoseconds: Int64) { self.nanoseconds = nanoseconds }

    public static let zero = SimTime(nanoseconds: 0)
    public static let never = SimTime(nanoseconds: .max)

    /// From seconds, rounded to the nearest nanosecond.
    public static func seconds(_ value: Double) -> SimTime { SimTime(nanoseconds: Int64((value * 1e9).rounded())) }
    /// From milliseconds, rounded to the nearest nanosecond.
    public static func milliseconds(_ value: Double) -> SimTime { SimTime(nanoseconds: Int64((value * 1e6).rounded())) }

    public var seconds: Double { Double(nanoseconds) / 1e9 }
    public var milliseconds: Double { Double(nanoseconds) / 1e6 }

    @inlinable public static func < (lhs: SimTime, rhs: SimTime) -> Bool { lhs.nanoseconds < rhs.nanoseconds }
    @inlinable public static func + (lhs: SimTime, rhs: SimTime) -> SimTime { SimTime(nanoseconds: lhs.nanoseconds &+ rhs.nanoseconds) }
    @inlinable public static func - (lhs: SimTime, rhs: SimTime) -> SimTime { SimTime(nanoseconds: lhs.nanoseconds &- rhs.nanoseconds) }

    public var description: String { String(format: "%.6f s", seconds) }

    public init(from decoder: any Decoder) throws { nanoseconds = try decoder.singleValueContainer().decode(Int64.self) }
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(nanoseconds)
    }
}
