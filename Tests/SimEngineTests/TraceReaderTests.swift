import Foundation
import SimEngine
import Testing

@Suite struct TraceReaderTests {
    func file(_ name: String, _ text: String) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("traces-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let url = folder.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url
    }

    @Test func readsLLMServingSimTSVWithOrWithoutHeaderSortedByArrival() throws {
        let specs = try TraceReader.load(try file("t.tsv", "input_toks\toutput_toks\tarrival_time_ns\n512\t128\t2000\n100 10 1000\n"))
        #expect(specs.map(\.inputTokens) == [100, 512])
        #expect(specs[0].arrival.nanoseconds == 1000)
    }

    @Test(arguments: [
        ("crlf.tsv", "input_toks\toutput_toks\tarrival_time_ns\r\n512\t128\t0\r\n100\t10\t5\r\n"),
        ("crlf.csv", "arrived_at,num_prefill_tokens,num_decode_tokens\r\n0,512,128\r\n0.000000005,100,10\r\n"),
        ("crlf.jsonl", "{\"input_tokens\": 512, \"output_tokens\": 128, \"arrival_time_ns\": 0}\r\n{\"input_tokens\": 100, \"output_tokens\": 10, \"arrival_time_ns\": 5}\r\n"),
    ])
    func windowsLineEndingsReadLikeUnixOnes(name: String, text: String) throws {
        let specs = try TraceReader.load(try file(name, text))
        #expect(specs.map(\.inputTokens) == [512, 100])
    }

    @Test func aTSVHeaderNamesTheColumnsInAnyOrder() throws {
        let specs = try TraceReader.load(try file("t.tsv", "arrival_time_ns output_toks input_toks\n0 7 300\n"))
        #expect(specs.map(\.inputTokens) == [300])
        #expect(specs.map(\.outputTokens) == [7])
        #expect(throws: SimEngineError.self) { try TraceReader.load(try file("u.tsv", "prompt completion time\n300 7 0\n")) }
    }

    @Test func readsVidurCSVByColumnName() throws {
        let specs = try TraceReader.load(try file("t.csv", "request_id,arrived_at,num_prefill_tokens,num_decode_tokens\n0,0.5,300,20\n1,1.25,40,2\n"))
        #expect(specs.map(\.inputTokens) == [300, 40])
        #expect(specs[1].arrival == .seconds(1.25))
    }

    @Test func readsJSONL() throws {
        let specs = try TraceReader.load(try file("t.jsonl", #"{"input_tokens": 9, "output_tokens": 3, "arrival_s": 0.1}"# + "\n" + #"{"input_toks": 5, "output_toks": 1, "arrival_time_ns": 5}"# + "\n"))
        #expect(specs.map(\.outputTokens) == [1, 3])
    }

    @Test(arguments: [
        ("bad.tsv", "512\t128\t0\n512\t-4\t10\n", ":2", "output tokens"),
        ("bad.tsv", "512\t128\n", ":1", "expected 3 fields"),
        ("bad.tsv", "512\t128\t-5\n", ":1", "must not be negative"),
        ("bad.tsv", "5x2\t128\t0\n", ":1", "input tokens"),
        ("bad.tsv", "512\t128\t1e18\n", ":1", "time range"),
        ("bad.csv", "arrived_at,num_prefill_tokens,num_decode_tokens\n1e12,1,2\n", ":2", "time range"),
        ("bad.csv", "arrived_at,num_prefill_tokens\n0,1\n", ":1", "num_decode_tokens"),
        ("bad.csv", "arrived_at,num_prefill_tokens,num_decode_tokens\n0,1,2\nzero,1,2\n", ":3", "arrived_at"),
        ("bad.jsonl", "{\"input_tokens\": 1, \"output_tokens\": 1, \"arrival_s\": 0}\nnot json\n", ":2", "JSON"),
        ("bad.jsonl", "{\"input_tokens\": 1, \"arrival_s\": 0}\n", ":1", "output_tokens"),
        ("empty.tsv", "\n", "", "no requests"),
        ("trace.bin", "1 1 1\n", "", "format"),
    ])
    func badLinesNameFileAndLine(name: String, text: String, line: String, message: String) throws {
        let url = try file(name, text)
        let error = #expect(throws: SimEngineError.self) { try TraceReader.load(url) }
        #expect(error?.location == url.path + line, "\(String(describing: error))")
        #expect(error?.message.contains(message) == true, "\(String(describing: error))")
    }

    @Test(arguments: ["poisson_8rps_512x256.tsv", "gamma_bursty_20rps.csv", "lognormal_4rps.jsonl"])
    func shippedSampleTracesLoadAndRun(name: String) throws {
        let specs = try TraceReader.load(TestEngines.root.appendingPathComponent("fixtures/traces/\(name)"))
        #expect(specs.count >= 100)
        var engine = try TestEngines.engine(tokenEvents: false)
        let summary = SimulationRunner.run(engine: &engine, workload: specs).summary
        #expect(summary.completed + summary.rejected == specs.count)
    }

    @Test func writerOutputReadsBackIdentically() throws {
        let specs = TestEngines.workload(rate: 5, count: 50, input: .uniform(min: 1, max: 900))
        let url = try file("w.tsv", "")
        try TraceWriter.write(specs, to: url)
        #expect(try TraceReader.load(url) == specs)
    }
}
