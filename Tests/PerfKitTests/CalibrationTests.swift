import Foundation
import PerfKit
import Testing

/// Whole-iteration times of the shipped tables against published vLLM measurements (docs/CALIBRATION.md).
@Suite struct CalibrationTests {
    static let llama = "meta-llama/Llama-3.1-8B-Instruct"

    func iterationMs(_ gpuName: String, input: Int, kv: Int, batch: Int, model: String = llama, tp: Int = 1) throws -> Double {
        let gpu = try RepositoryData.gpu(gpuName)
        let table = try ModelLatencyTable(
            table: try LatencyTable.load(from: RepositoryData.directory.tableURL(hardware: gpuName)),
            model: try RepositoryData.model(model), tp: tp)
        let cost = IterationCost(table: table, allReduce: AllReduceModel(gpu: gpu))
        return cost.ns(sequences: Array(repeating: (input: input, kvCache: kv), count: batch), emitting: batch) / 1e6
    }

    @Test(arguments: [
        // GPU, batch, published per-step decode time (ms) ± tolerance: Lambda vLLM 0.6 Llama-3-8B, ITL / 10 scheduler steps.
        ("H100", 1, 7.05, 0.6), ("A100", 1, 11.4, 0.9),
        ("H100", 32, 8.0, 0.8), ("A100", 32, 13.5, 1.2),
    ])
    func decodeStepMatchesPublishedMeasurements(gpu: String, batch: Int, publishedMs: Double, tolerance: Double) throws {
        let ms = try iterationMs(gpu, input: 1, kv: 400, batch: batch) + 0.2
        #expect(abs(ms - publishedMs) <= tolerance, "\(gpu) batch \(batch): \(ms) ms vs \(publishedMs) ms")
    }

    @Test(arguments: [
        // GPU, published single-stream decode time (ms) of Llama-3-8B F16, llama.cpp tg512: within 15 %, never faster.
        ("RTX4090", 18.2), ("RTX4080", 24.6), ("RTX3090", 21.1), ("A6000", 24.6), ("A40", 29.2), ("L40", 22.9),
    ])
    func singleStreamDecodeOfGDDRCardsIsCloseToMeasured(gpu: String, publishedMs: Double) throws {
        let ms = try iterationMs(gpu, input: 1, kv: 512, batch: 1) + 0.2
        #expect(ms >= publishedMs * 0.97 && ms <= publishedMs * 1.15, "\(gpu): \(ms) ms vs \(publishedMs) ms")
    }

    @Test func allReducesOverPCIeCostMoreThanOverNVLink() throws {
        let pcie = AllReduceModel(gpu: try RepositoryData.gpu("L40")), nvlink = AllReduceModel(gpu: try RepositoryData.gpu("A100"))
        #expect(pcie.ns(bytes: 8192, tp: 2) > 3 * nvlink.ns(bytes: 8192, tp: 2))
        #expect(pcie.ns(bytes: 8192, tp: 1) == 0)
    }

    @Test(arguments: [("A100", 70.0, 95.0), ("H100", 25.0, 50.0)])
    func prefillOfAThousandTokensIsInThePublishedRange(gpu: String, lowMs: Double, highMs: Double) throws {
        let ms = try iterationMs(gpu, input: 1024, kv: 0, batch: 1)
        #expect(ms >= lowMs && ms <= highMs, "\(gpu): \(ms) ms")
    }

    @Test(arguments: ["H100", "A100", "L40", "RTX4090", "A6000", "A40", "RTX4080", "RTX3090", "A10", "V100", "T4"])
    func decodeIsNeverFasterThanReadingTheWeights(gpuName: String) throws {
        let gpu = try RepositoryData.gpu(gpuName)
        let model = try RepositoryData.model(Self.llama)
        let floorMs = Double(model.weightBytes - model.vocabSize * model.hiddenSize * model.bytesPerElement) / gpu.peakBytesPerNs / 1e6
        #expect(try iterationMs(gpuName, input: 1, kv: 0, batch: 1) > floorMs)
    }

    @Test func fasterGPUsAreFasterInBothPhases() throws {
        #expect(try iterationMs("H100", input: 1, kv: 512, batch: 8) < iterationMs("A100", input: 1, kv: 512, batch: 8))
        #expect(try iterationMs("A100", input: 2048, kv: 0, batch: 1) < iterationMs("T4", input: 2048, kv: 0, batch: 1))
    }

    @Test func tensorParallelDecodeOfSeventyBillionIsFasterOnMoreGPUs() throws {
        let two = try iterationMs("H100", input: 1, kv: 1024, batch: 8, model: "meta-llama/Llama-3.1-70B-Instruct", tp: 2)
        let four = try iterationMs("H100", input: 1, kv: 1024, batch: 8, model: "meta-llama/Llama-3.1-70B-Instruct", tp: 4)
        #expect(four < two)
    }
}
