import Foundation
import PerfKit
import SimEngine

extension ReplSession {
    /// Submits every request of a trace to the default model's engine, arrivals shifted to start now.
    mutating func loadTrace(_ path: String) throws(ReplError) -> String {
        let specs: [RequestSpec]
        do {
            specs = try TraceReader.load(URL(fileURLWithPath: path))
        } catch {
            throw ReplError(error.description, usage: ReplHelp.usage("load"))
        }
        let key = try engine(for: try resolveModel(""))
        var rejected = 0
        for spec in specs {
            let shifted = RequestSpec(id: nextRequestID, inputTokens: spec.inputTokens, outputTokens: spec.outputTokens, arrival: clock + spec.arrival)
            if enqueue(shifted, key: key).rejection != nil { rejected += 1 }
        }
        let last = specs.map(\.arrival).max()!
        return "loaded \(specs.count) requests from \(path) onto \(key): arrivals \(Formatting.seconds(clock))...\(Formatting.seconds(clock + last))"
            + (rejected > 0 ? "; \(rejected) rejected (show ID for the reason)" : "")
    }

    /// Writes requests.csv (finished requests, LLMServingSim's columns first) and summary.json (one summary per engine).
    func saveReport(_ folder: String) throws(ReplError) -> String {
        let url = URL(fileURLWithPath: folder)
        let finished = requests.keys.sorted().compactMap { id in requests[id].flatMap { request in request.record.map { (request.model, $0) } } }
        do {
            let writer = try RequestCSVWriter(url: url.appendingPathComponent("requests.csv"), model: defaultModel ?? "")
            do {
                for (model, record) in finished { try writer.append(record, model: model) }
                try writer.commit()
            } catch {
                writer.abandon()
                throw error
            }
            let summaries = engines.keys.sorted().map { RunSummary(engine: engines[$0]!, slo: ServiceLevelObjective(), metSLO: sloMet[$0] ?? 0) }
            try AtomicFile.write(Data(Formatting.json(summaries).utf8), to: url.appendingPathComponent("summary.json"))
        } catch let error as SimEngineError {
            throw ReplError(error.description)
        } catch let error as PerfKitError {
            throw ReplError(error.description)
        } catch {
            throw ReplError("cannot write the report: \(error)")
        }
        return "wrote \(url.appendingPathComponent("requests.csv").path) (\(finished.count) requests) and summary.json"
    }
}
