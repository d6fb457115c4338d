import Foundation

/// Typed access to a request's JSON fields; a wrong type is a 400 naming the field (`param`).
struct JSONFields {
    let object: [String: Any]
    /// Prefix for nested params (`stream_options.`).
    let path: String

    init(_ object: [String: Any], path: String = "") {
        self.object = object
        self.path = path
    }

    /// Parses a request body: a JSON object, or a 400.
    static func parse(_ bytes: [UInt8]) throws(OpenAIError) -> JSONFields {
        guard let value = try? JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed]) else {
            throw OpenAIError.invalid(
                "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON.)",
                param: nil)
        }
        guard let object = value as? [String: Any] else {
            throw OpenAIError.invalid("The request body must be a JSON object.", param: nil)
        }
        return JSONFields(object)
    }

    func has(_ key: String) -> Bool {
        guard let value = object[key] else { return false }
        return !(value is NSNull)
    }

    func raw(_ key: String) -> Any? { has(key) ? object[key] : nil }

    private func param(_ key: String) -> String { path + key }

    /// JSON booleans parse as NSNumber too; their type code is "c" (integers are "i" or "q").
    static func isBool(_ value: Any) -> Bool {
        guard let number = value as? NSNumber else { return false }
        return String(cString: number.objCType) == "c"
    }

    func string(_ key: String) throws(OpenAIError) -> String? {
        guard let value = raw(key) else { return nil }
        guard let text = value as? String else {
            throw OpenAIError.invalid("Invalid type for '\(param(key))': expected a string, but got \(Self.describe(value)) instead.", param: param(key), code: "invalid_type")
        }
        return text
    }

    func bool(_ key: String) throws(OpenAIError) -> Bool? {
        guard let value = raw(key) else { return nil }
        guard Self.isBool(value), let flag = value as? Bool else {
            throw OpenAIError.invalid("Invalid type for '\(param(key))': expected a boolean, but got \(Self.describe(value)) instead.", param: param(key), code: "invalid_type")
        }
        return flag
    }

    func integer(_ key: String, in range: ClosedRange<Int>) throws(OpenAIError) -> Int? {
        guard let value = raw(key) else { return nil }
        guard let number = value as? NSNumber, !Self.isBool(value), number.doubleValue.isFinite,
              number.doubleValue == number.doubleValue.rounded() else {
            throw OpenAIError.invalid("Invalid type for '\(param(key))': expected an integer, but got \(Self.describe(value)) instead.", param: param(key), code: "invalid_type")
        }
        let double = number.doubleValue
        // Compared as doubles first, so that no conversion to Int can overflow; integers stay exact.
        if double >= Double(range.lowerBound), double <= Double(range.upperBound) {
            let integer = Self.isIntegerType(number) ? number.intValue : Int(double)
            if range.contains(integer) { return integer }
        }
        let bound = double < Double(range.lowerBound) ? "Expected a value >= \(range.lowerBound)" : "Expected a value <= \(range.upperBound)"
        throw OpenAIError.invalid("Invalid '\(param(key))': \(bound), but got \(number) instead.", param: param(key), code: "invalid_value")
    }

    /// Whether the NSNumber holds an integer type (its type code is one of C's integer types).
    static func isIntegerType(_ number: NSNumber) -> Bool {
        "islqISLQ".contains(String(cString: number.objCType))
    }

    func number(_ key: String, in range: ClosedRange<Double>) throws(OpenAIError) -> Double? {
        guard let value = raw(key) else { return nil }
        guard let number = value as? NSNumber, !Self.isBool(value) else {
            throw OpenAIError.invalid("Invalid type for '\(param(key))': expected a number, but got \(Self.describe(value)) instead.", param: param(key), code: "invalid_type")
        }
        guard range.contains(number.doubleValue) else {
            throw OpenAIError.invalid("Invalid '\(param(key))': must be between \(range.lowerBound) and \(range.upperBound), but got \(number.doubleValue) instead.", param: param(key), code: "invalid_value")
        }
        return number.doubleValue
    }

    func object(_ key: String) throws(OpenAIError) -> JSONFields? {
        guard let value = raw(key) else { return nil }
        guard let nested = value as? [String: Any] else {
            throw OpenAIError.invalid("Invalid type for '\(param(key))': expected an object, but got \(Self.describe(value)) instead.", param: param(key), code: "invalid_type")
        }
        return JSONFields(nested, path: param(key) + ".")
    }

    static func describe(_ value: Any) -> String {
        if isBool(value) { return "a boolean" }
        switch value {
        case is String: return "a string"
        case is NSNumber: return "a number"
        case is [Any]: return "an array"
        case is [String: Any]: return "an object"
        default: return "null"
        }
    }
}
