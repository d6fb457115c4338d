import Foundation

/// Typed access to a parsed JSON object with errors that name the file and the key path.
struct JSONObject {
    let values: [String: Any]
    let file: String
    let path: String

    init(values: [String: Any], file: String, path: String = "") {
        self.values = values
        self.file = file
        self.path = path
    }

    /// Parses `data` as one JSON object.
    init(data: Data, file: String) throws(SimEngineError) {
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw SimEngineError("not a JSON object", location: file)
        }
        self.init(values: object, file: file)
    }

    private func where_(_ key: String) -> String { "\(file): \(path.isEmpty ? key : "\(path).\(key)")" }

    /// The nested object at `key`, nil when absent or null.
    func object(_ key: String) throws(SimEngineError) -> JSONObject? {
        guard let value = values[key], !(value is NSNull) else { return nil }
        guard let nested = value as? [String: Any] else { throw SimEngineError("expected an object", location: where_(key)) }
        return JSONObject(values: nested, file: file, path: path.isEmpty ? key : "\(path).\(key)")
    }

    func string(_ key: String) throws(SimEngineError) -> String? {
        guard let value = values[key], !(value is NSNull) else { return nil }
        guard let text = value as? String else { throw SimEngineError("expected a string, found \(value)", location: where_(key)) }
        return text
    }

    func double(_ key: String) throws(SimEngineError) -> Double? {
        guard let value = values[key], !(value is NSNull) else { return nil }
        guard let number = value as? NSNumber, number.doubleValue.isFinite else {
            throw SimEngineError("expected a number, found \(value)", location: where_(key))
        }
        return number.doubleValue
    }

    func int(_ key: String) throws(SimEngineError) -> Int? {
        guard let value = try double(key) else { return nil }
        guard let whole = Int(exactly: value) else { throw SimEngineError("expected a whole number, found \(value)", location: where_(key)) }
        return whole
    }

    func bool(_ key: String) throws(SimEngineError) -> Bool? {
        guard let value = values[key], !(value is NSNull) else { return nil }
        guard let flag = value as? Bool else { throw SimEngineError("expected true or false, found \(value)", location: where_(key)) }
        return flag
    }

    /// An array of numbers at `key`, nil when absent.
    func doubles(_ key: String) throws(SimEngineError) -> [Double]? {
        guard let value = values[key], !(value is NSNull) else { return nil }
        guard let array = value as? [Any] else { throw SimEngineError("expected an array of numbers", location: where_(key)) }
        var result: [Double] = []
        for element in array {
            guard let number = element as? NSNumber else { throw SimEngineError("expected numbers, found \(element)", location: where_(key)) }
            result.append(number.doubleValue)
        }
        return result
    }

    /// An array of arrays of numbers at `key` (`itls`), nil when absent.
    func doubleLists(_ key: String) throws(SimEngineError) -> [[Double]]? {
        guard let value = values[key], !(value is NSNull) else { return nil }
        guard let array = value as? [[Any]] else { throw SimEngineError("expected an array of arrays of numbers", location: where_(key)) }
        return try array.map { inner throws(SimEngineError) in
            var result: [Double] = []
            for element in inner {
                guard let number = element as? NSNumber else { throw SimEngineError("expected numbers, found \(element)", location: where_(key)) }
                result.append(number.doubleValue)
            }
            return result
        }
    }
}
