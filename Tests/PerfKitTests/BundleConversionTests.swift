import Foundation
import PerfKit
import Testing

/// Bundle → our CSV → bundle → our CSV, and LLMServingSim's own code on what we export.
@Suite struct BundleConversionTests {
    static let model = "meta-llama/Llama-3.1-8B"

    func imported(_ folder: URL) throws -> LatencyTable {
        let config = try RepositoryData.model(Self.model)
        let profile = try BundleReader.read(folder, tp: 1, model: Self.model)
        return LatencyTable(rows: try ProfileImporter.rows(profile, model: config, hardware: "RTX4090"), hasTPColumn: true)
    }

    func exported(_ table: LatencyTable, gpu: String = "RTX4090") throws -> URL {
        let out = try RepositoryData.temporaryFolder()
        return try BundleExporter().write(table: table, model: try RepositoryData.model(Self.model), gpu: try RepositoryData.gpu(gpu), tps: [1], out: out, force: false)
    }

    @Test func importExportImportIsLosslessForEveryKey() throws {
        let first = try imported(MeasuredProfileTests.rtx4090)
        let second = try imported(try exported(first))
        #expect(first.rows.count == 2123)
        #expect(first.csvData() == second.csvData())
    }

    @Test func fusedLayersAreSplitIntoPartsThatSumToTheMeasuredTime() throws {
        let profile = try BundleReader.read(MeasuredProfileTests.rtx4090, tp: 1)
        let rows = try imported(MeasuredProfileTests.rtx4090).rows
        func sum(_ layers: [String], _ tokens: Int) -> Int64 {
            rows.filter { layers.contains($0.layerName) && $0.input == tokens }.reduce(0) { $0 + $1.latencyNs }
        }
        for tokens in [1, 16, 512, 2048] {
            #expect(Double(sum(["q_proj", "k_proj", "v_proj"], tokens)) == profile.denseLayer("qkv_proj")!.curve.ns(at: tokens))
            #expect(Double(sum(["gate_proj", "up_proj"], tokens)) == profile.denseLayer("gate_up_proj")!.curve.ns(at: tokens))
        }
        let lmHead = profile.perSequenceLayer("lm_head")!.curve.ns(at: 64) + profile.perSequenceLayer("sampler")!.curve.ns(at: 64)
        #expect(Double(sum(["lm_head"], 64)) == lmHead)
    }

    @Test func anExportedBundleHasTheirColumnsGridAndPassesValidate() throws {
        let folder = try exported(try LatencyTable.load(from: RepositoryData.directory.tableURL(hardware: "RTX4090")))
        let theirs = MeasuredProfileTests.rtx4090.appendingPathComponent("bf16/tp1")
        for file in ["dense.csv", "per_sequence.csv", "attention.csv"] {
            let ours = try String(contentsOf: folder.appendingPathComponent("tp1/\(file)"), encoding: .utf8).split(whereSeparator: \.isNewline)
            let reference = try String(contentsOf: theirs.appendingPathComponent(file), encoding: .utf8).split(whereSeparator: \.isNewline)
            #expect(ours.first == reference.first)
            #expect(ours.count == reference.count, "\(file)")
            let keys = { (lines: [Substring]) in Set(lines.dropFirst().map { $0.split(separator: ",").dropLast().joined(separator: ",") }) }
            #expect(keys(ours) == keys(reference), "\(file) keys")
        }
        let meta = try BundleMeta(url: folder.appendingPathComponent("meta.yaml"))
        #expect(meta.model == Self.model && meta.hardware == "RTX4090" && meta.tpDegrees == [1])
        #expect(try meta.yaml.string("generated") == "true")
        let findings = ProfileValidator(models: try RepositoryData.models().models, gpus: try RepositoryData.gpus().gpus).validate(folder: folder)
        #expect(findings.filter { $0.severity == .error }.isEmpty, "\(findings.prefix(3))")
    }

    @Test func exportRefusesToReplaceAnExistingBundleWithoutForce() throws {
        let table = try imported(MeasuredProfileTests.rtx4090)
        let folder = try exported(table)
        let out = folder.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        #expect(throws: PerfKitError.self) {
            try BundleExporter().write(table: table, model: try RepositoryData.model(Self.model), gpu: try RepositoryData.gpu("RTX4090"), tps: [1], out: out, force: false)
        }
    }

    /// LLMServingSim's lookup functions, taken at test time from a checkout or mirror of casys-kaist/LLMServingSim
    /// named by `$LLMSERVINGSIM_REPO` (a git dir or a work tree), run on our exported bundle; with pandas, their CSV
    /// loaders too. Skipped, saying so, when the variable or python3 is missing (as in CI).
    @Test func llmServingSimsOwnCodeReadsOurExportAsWeDo() throws {
        guard let repo = ProcessInfo.processInfo.environment["LLMSERVINGSIM_REPO"] else {
            print("skipped: set LLMSERVINGSIM_REPO to a casys-kaist/LLMServingSim checkout or git dir to run their loader on our export")
            return
        }
        let folder = try exported(try LatencyTable.load(from: RepositoryData.directory.tableURL(hardware: "RTX4090")))
        let work = try RepositoryData.temporaryFolder()
        let source = work.appendingPathComponent("trace_generator.py")
        let checkout = URL(fileURLWithPath: repo).appendingPathComponent("serving/core/trace_generator.py")
        if FileManager.default.fileExists(atPath: checkout.path) {
            try FileManager.default.copyItem(at: checkout, to: source)
        } else {
            let git = try run("/usr/bin/env", ["git", "-C", repo, "show", "HEAD:serving/core/trace_generator.py"])
            try git.write(to: source, atomically: true, encoding: .utf8)
        }
        let script = work.appendingPathComponent("check.py")
        try Self.python.write(to: script, atomically: true, encoding: .utf8)
        let queries: [[Int]] = [[0, 0, 8, 1024], [512, 0, 0, 0], [300, 700, 3, 1500], [2048, 4096, 64, 9000], [3000, 0, 300, 20000]]
        let output = try run("/usr/bin/env", ["python3", script.path, source.path, folder.appendingPathComponent("tp1").path] + queries.map { $0.map(String.init).joined(separator: ",") })
        let grid = try #require(try BundleReader.read(folder, tp: 1).attention)
        let lines = output.split(separator: "\n")
        #expect(lines.count >= queries.count)
        for (query, line) in zip(queries, lines) {
            #expect(Double(line) == grid.lookup(prefillChunk: query[0], kvPrefill: query[1], decodeCount: query[2], kvDecode: query[3]).ns, "\(query)")
        }
        print(lines.dropFirst(queries.count).joined(separator: "\n"))
    }

    func run(_ executable: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw PerfKitError("\(arguments.prefix(2).joined(separator: " ")) exited \(process.terminationStatus)") }
        return String(decoding: data, as: UTF8.self)
    }

    /// Runs their `_lookup_attention` on attention.csv parsed without pandas; then, when pandas imports, their
    /// `_read_category_csv` and `_build_*_table` on all three files, which raise on anything their loader refuses.
    static let python = #"""
    import ast, bisect, csv, sys
    tree = ast.parse(open(sys.argv[1]).read())
    ns = {"bisect": bisect}
    wanted = {"_axis_bracket", "_attn_slice_lookup", "_lookup_attention", "_tp_tables", "_read_category_csv",
              "_build_1d_table", "_build_attention_table"}
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name in wanted:
            exec(compile(ast.Module([node], []), "trace_generator", "exec"), ns)
    folder = sys.argv[2]
    points = {}
    for row in list(csv.reader(open(folder + "/attention.csv")))[1:]:
        pc, kp, nd, kv = map(int, row[:4])
        points.setdefault((pc, nd), {}).setdefault(kp, {})[kv] = max(1, int(round(float(row[4]) * 1000)))
    slices = {key: {"kv_prefill_vals": sorted(d), "rows": [{"keys": sorted(d[k]), "values": [d[k][x] for x in sorted(d[k])]} for k in sorted(d)]}
              for key, d in points.items()}
    table = {"pc_vals": sorted({k[0] for k in slices}), "nd_vals": sorted({k[1] for k in slices}),
             "pc_nd_pairs": sorted(slices), "slices": slices}
    db = {"tables": {1: {"attention": table}}, "hardware": "", "model": "", "variant": "", "available_tps": [1]}
    for query in sys.argv[3:]:
        print(ns["_lookup_attention"](db, 1, *map(int, query.split(","))))
    try:
        import pandas as pd
    except ImportError:
        print("pandas not importable: their CSV loaders not run")
        sys.exit(0)
    ns["pd"] = pd
    ns["os"] = __import__("os")
    ns["_build_1d_table"](ns["_read_category_csv"](folder + "/dense.csv", None), "layer", "tokens")
    ns["_build_1d_table"](ns["_read_category_csv"](folder + "/per_sequence.csv", None), "layer", "sequences")
    ns["_build_attention_table"](ns["_read_category_csv"](folder + "/attention.csv", None))
    print("their loaders read the bundle")
    """#
}
