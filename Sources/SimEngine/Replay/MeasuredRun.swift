public import Foundation

/// Readers of what a real run measured: per-request latencies and running/waiting requests over time.
public enum MeasuredRunFiles {
    /// Reads a `requests.jsonl` of LLMServingSim's `bench run` (vLLM `RequestStateStats` per request).
    /// TTFT and E2E start at `arrival_time` when it is on the same clock as the token times, else at `queued_ts`
    /// (vLLM records `arrival_time` on the wall clock and the rest on a monotonic one), as `bench/core/validate.py`.
    public static func loadRequestsJSONL(_ url: URL) throws(SimEngineError) -> [MeasuredRequest] {
        let text = try readText(url)
        var requests: [MeasuredRequest] = []
        for (offset, raw) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty { continue }
            let location = "\(url.path):\(offset + 1)"
            let object = try JSONObject(data: Data(line.utf8), file: location)
            guard let input = try object.int("input_toks"), let output = try object.int("output_toks"),
                  let first = try object.double("first_token_ts"), let last = try object.double("last_token_ts") else {
                throw SimEngineError("needs input_toks, output_toks, first_token_ts and last_token_ts", location: location)
            }
            let queued = try object.double("queued_ts")
            let arrival = try object.double("arrival_time")
            func sameClock(_ a: Double?, _ b: Double) -> Bool { a.map { abs($0 - b) < 100_000 } ?? false }
            let anchor: Double
            if let arrival, sameClock(arrival, first), sameClock(arrival, last) {
                anchor = arrival
            } else if let queued {
                anchor = queued
            } else {
                throw SimEngineError("needs queued_ts or an arrival_time on the token times' clock", location: location)
            }
            let index = try requestIndex(try object.string("request_id"), fallback: requests.count, at: location)
            requests.append(MeasuredRequest(index: index, inputTokens: input, outputTokens: output, arrivalSeconds: anchor,
                                            firstTokenSeconds: first, lastTokenSeconds: last))
        }
        guard !requests.isEmpty else { throw SimEngineError("holds no requests", location: url.path) }
        return requests.sorted { $0.index < $1.index }
    }

    /// Reads `vllm bench serve --save-result --save-detailed` JSON: per-request `ttfts` (s), `itls` (s) and lengths.
    /// It has no arrival times on the server's clock, so E2E is TTFT + Σ ITL, with arrivals at 0.
    public static func loadBenchServeResult(_ url: URL) throws(SimEngineError) -> [MeasuredRequest] {
        let object = try JSONObject(data: try readData(url), file: url.path)
        guard let ttfts = try object.doubles("ttfts"), let itls = try object.doubleLists("itls"),
              let inputs = try object.doubles("input_lens"), let outputs = try object.doubles("output_lens") else {
            throw SimEngineError("needs the per-request fields ttfts, itls, input_lens and output_lens (run vllm bench serve with --save-result --save-detailed)", location: url.path)
        }
        guard [itls.count, inputs.count, outputs.count].allSatisfy({ $0 == ttfts.count }) else {
            throw SimEngineError("ttfts, itls, input_lens and output_lens have different lengths", location: url.path)
        }
        let errors = (object.values["errors"] as? [String]) ?? []
        return ttfts.indices.compactMap { index in
            // A failed request has an error text and no timings; it is left out, as vLLM's own summary does.
            if index < errors.count, !errors[index].isEmpty { return nil }
            let first = ttfts[index]
            return MeasuredRequest(index: index, inputTokens: Int(inputs[index]), outputTokens: Int(outputs[index]),
                                   arrivalSeconds: 0, firstTokenSeconds: first, lastTokenSeconds: first + itls[index].reduce(0, +))
        }
    }

    /// Reads `timeseries.csv` (`t,…,running,waiting,…` with a header).
    public static func loadTimeseries(_ url: URL) throws(SimEngineError) -> [QueueSample] {
        let lines = try readText(url).split(whereSeparator: \.isNewline)
        guard let header = lines.first?.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }),
              let t = header.firstIndex(of: "t"), let running = header.firstIndex(of: "running"), let waiting = header.firstIndex(of: "waiting") else {
            throw SimEngineError("header must name t, running and waiting", location: "\(url.path):1")
        }
        return try lines.dropFirst().enumerated().map { offset, line throws(SimEngineError) in
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            guard fields.count == header.count, let time = Double(fields[t]), let run = Double(fields[running]), let wait = Double(fields[waiting]) else {
                throw SimEngineError("expected \(header.count) numeric fields", location: "\(url.path):\(offset + 2)")
            }
            return QueueSample(seconds: time, running: Int(run), waiting: Int(wait))
        }
    }

    private static func requestIndex(_ id: String?, fallback: Int, at location: String) throws(SimEngineError) -> Int {
        guard let id else { return fallback }
        guard let dash = id.lastIndex(of: "-"), let index = Int(id[id.index(after: dash)...]), index >= 0 else { return fallback }
        return index
    }

    static func readData(_ url: URL) throws(SimEngineError) -> Data {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw SimEngineError("cannot read (missing file or no permission)", location: url.path)
        }
        return data
    }

    static func readText(_ url: URL) throws(SimEngineError) -> String {
        String(decoding: try readData(url), as: UTF8.self)
    }
}

/// Requests running and waiting at one moment, s from the start of the run.
public struct QueueSample: Sendable, Hashable, Codable {
    public var seconds: Double
    public var running: Int
    public var waiting: Int
}
