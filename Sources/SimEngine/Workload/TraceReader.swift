public import Foundation

/// Reads request traces; a bad line is an error naming file:line and what is accepted.
public enum TraceReader {
    /// All requests of a trace file, sorted by arrival (ties keep file order); ids are 0-based file order.
    public static func load(_ url: URL, format: TraceFormat? = nil) throws(SimEngineError) -> [RequestSpec] {
        guard let resolved = format ?? TraceFormat(fileName: url.lastPathComponent) else {
            throw SimEngineError("cannot tell the trace format from the name; use .tsv (LLMServingSim), .csv (Vidur) or .jsonl, or give --trace-format", location: url.path)
        }
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw SimEngineError("cannot read trace (missing file or no permission)", location: url.path)
        }
        let text = String(decoding: data, as: UTF8.self)
        // Any line ending: "\r\n" is one Character in Swift, so splitting on "\n" alone would keep CRLF lines whole.
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        var specs: [RequestSpec] = []
        switch resolved {
        case .tsv: specs = try parseTSV(lines, file: url.path)
        case .vidur: specs = try parseVidur(lines, file: url.path)
        case .jsonl: specs = try parseJSONL(lines, file: url.path)
        }
        guard !specs.isEmpty else { throw SimEngineError("trace holds no requests", location: url.path) }
        return specs.enumerated().sorted { ($0.element.arrival, $0.offset) < ($1.element.arrival, $1.offset) }.map(\.element)
    }

    private static func parseTSV(_ lines: [Substring], file: String) throws(SimEngineError) -> [RequestSpec] {
        var specs: [RequestSpec] = []
        // Columns by position (input, output, arrival), or by the names of a header line when there is one.
        var columns = [0, 1, 2]
        var sawHeader = false
        for (offset, raw) in lines.enumerated() {
            let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let fields = line.split(whereSeparator: { $0 == "\t" || $0 == " " || $0 == "," })
            let where_ = "\(file):\(offset + 1)"
            if specs.isEmpty, !sawHeader, fields.allSatisfy({ Double($0) == nil }) {
                sawHeader = true
                let names = fields.map { $0.lowercased() }
                let found = ["input", "output", "arrival"].map { key in names.firstIndex { $0.contains(key) } }
                guard let input = found[0], let output = found[1], let arrival = found[2] else {
                    throw SimEngineError("a header must name input, output and arrival columns (input_toks output_toks arrival_time_ns), found \(fields.joined(separator: " "))", location: where_)
                }
                columns = [input, output, arrival]
                continue
            }
            guard fields.count > columns.max()! else {
                throw SimEngineError("expected \(max(3, columns.max()! + 1)) fields (input_toks output_toks arrival_time_ns), found \(fields.count)", location: where_)
            }
            specs.append(try spec(id: specs.count, input: String(fields[columns[0]]), output: String(fields[columns[1]]),
                                  arrivalNs: parseNumber(String(fields[columns[2]]), name: "arrival_time_ns", at: where_), at: where_))
        }
        return specs
    }

    private static func parseVidur(_ lines: [Substring], file: String) throws(SimEngineError) -> [RequestSpec] {
        guard let headerLine = lines.first else { return [] }
        let header = headerLine.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ",").map { String($0) }
        let names = ["arrived_at", "num_prefill_tokens", "num_decode_tokens"]
        let columns = names.map { header.firstIndex(of: $0) }
        guard columns.allSatisfy({ $0 != nil }) else {
            throw SimEngineError("header must name \(names.joined(separator: ", ")); found \(header.joined(separator: ","))", location: "\(file):1")
        }
        let indices = columns.map { $0! }
        var specs: [RequestSpec] = []
        for (offset, raw) in lines.enumerated().dropFirst() {
            let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty { continue }
            let where_ = "\(file):\(offset + 1)"
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard fields.count == header.count else {
                throw SimEngineError("expected \(header.count) fields, found \(fields.count)", location: where_)
            }
            let seconds = try parseNumber(fields[indices[0]], name: "arrived_at", at: where_)
            specs.append(try spec(id: specs.count, input: fields[indices[1]], output: fields[indices[2]], arrivalNs: seconds * 1e9, at: where_))
        }
        return specs
    }

    private static func parseJSONL(_ lines: [Substring], file: String) throws(SimEngineError) -> [RequestSpec] {
        var specs: [RequestSpec] = []
        for (offset, raw) in lines.enumerated() {
            let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty { continue }
            let where_ = "\(file):\(offset + 1)"
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
                throw SimEngineError("not a JSON object", location: where_)
            }
            func field(_ names: [String]) -> String? {
                for name in names { if let value = object[name] { return "\(value)" } }
                return nil
            }
            guard let input = field(["input_tokens", "input_toks", "prompt_tokens"]),
                  let output = field(["output_tokens", "output_toks", "completion_tokens"]) else {
                throw SimEngineError("needs input_tokens and output_tokens", location: where_)
            }
            let arrivalNs: Double
            if let ns = field(["arrival_time_ns", "arrival_ns"]) {
                arrivalNs = try parseNumber(ns, name: "arrival_time_ns", at: where_)
            } else if let seconds = field(["arrival_s", "arrived_at", "timestamp"]) {
                arrivalNs = try parseNumber(seconds, name: "arrival_s", at: where_) * 1e9
            } else {
                throw SimEngineError("needs arrival_time_ns or arrival_s", location: where_)
            }
            var request = try spec(id: specs.count, input: input, output: output, arrivalNs: arrivalNs, at: where_)
            request.content = try content(of: object, inputTokens: request.inputTokens, outputTokens: request.outputTokens, at: where_)
            specs.append(request)
        }
        return specs
    }

    /// Token ids (`input_tok_ids`, then `output_tok_ids` when given) or a shared prefix (`prefix_id`, `prefix_len`).
    private static func content(of object: [String: Any], inputTokens: Int, outputTokens: Int, at location: String) throws(SimEngineError) -> PromptContent {
        func ids(_ name: String, count: Int) throws(SimEngineError) -> [UInt32]? {
            guard let value = object[name] else { return nil }
            guard let array = value as? [Any], array.count == count else {
                throw SimEngineError("\(name): expected an array of \(count) token ids (one per token of the request)", location: location)
            }
            var result: [UInt32] = []
            result.reserveCapacity(count)
            for element in array {
                guard let number = element as? NSNumber, let id = UInt32(exactly: number.doubleValue) else {
                    throw SimEngineError("\(name): token ids must be whole numbers from 0 to \(UInt32.max), found \(element)", location: location)
                }
                result.append(id)
            }
            return result
        }
        if let input = try ids("input_tok_ids", count: inputTokens) {
            return .tokens(input + (try ids("output_tok_ids", count: outputTokens) ?? []))
        }
        guard let prefixID = object["prefix_id"] else {
            if object["prefix_len"] != nil { throw SimEngineError("prefix_len needs a prefix_id", location: location) }
            return .unknown
        }
        guard let id = (prefixID as? NSNumber).flatMap({ Int(exactly: $0.doubleValue) }) ?? (prefixID as? String).map({ Int(truncatingIfNeeded: $0.hashValueStable) }),
              let length = (object["prefix_len"] as? NSNumber).flatMap({ Int(exactly: $0.doubleValue) }), length >= 0, length <= inputTokens else {
            throw SimEngineError("prefix_id (a number or string) needs prefix_len, a whole number of tokens from 0 to the prompt's \(inputTokens)", location: location)
        }
        return .sharedPrefix(id: id, tokens: length)
    }

    private static func parseNumber(_ text: String, name: String, at location: String) throws(SimEngineError) -> Double {
        guard let value = Double(text), value.isFinite else {
            throw SimEngineError("\(name): expected a number, found \"\(text)\"", location: location)
        }
        guard value >= 0 else { throw SimEngineError("\(name): must not be negative, found \(text)", location: location) }
        return value
    }

    private static func spec(id: Int, input: String, output: String, arrivalNs: Double, at location: String) throws(SimEngineError) -> RequestSpec {
        func tokens(_ text: String, _ name: String) throws(SimEngineError) -> Int {
            let value = Double(text)
            guard let value, value.isFinite, value == value.rounded(), value >= 1, value < 1e9 else {
                throw SimEngineError("\(name): expected a positive whole number of tokens, found \"\(text)\"", location: location)
            }
            return Int(value)
        }
        guard arrivalNs < 1e17 else { throw SimEngineError("arrival time \(arrivalNs / 1e9) s is past the simulator's time range (about 3 years)", location: location) }
        return RequestSpec(id: id, inputTokens: try tokens(input, "input tokens"), outputTokens: try tokens(output, "output tokens"),
                           arrival: SimTime(nanoseconds: Int64(arrivalNs.rounded())))
    }
}

extension String {
    /// FNV-1a over the UTF-8 bytes: the same in every process, unlike `hashValue`.
    var hashValueStable: UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        return hash
    }
}
