import Foundation
import PerfKit
import Testing

/// Whole iterations from the shipped tables obey the physics: weights must be read, faster GPUs are faster.
@Suite struct IterationPhysicsTests {
    static let llama = "meta-llama/Llama-3.1-8B-Instruct"

    func iterationMs(_ gpuName: String, input: Int, kv: Int, batch: Int, model: String = llama, tp: Int = 1) throws -> Double {
        let gpu = try RepositoryData.gpu(gpuName)
        let table = try ModelLatencyTable(
            table: try LatencyTable.load(from: RepositoryData.directory.tableURL(hardware: gpuName)),
            model: try RepositoryData.model(model), tp: tp)
        let cost = IterationCost(table: table, allReduce: AllReduceModel(gpu: gpu))
        return cost.ns(sequences: Array(repeating: (input: input, kvCache: kv), count: batch), emitting: batch) / 1e6
    }

    @Test(arguments: TableGeneratorTests.gpuNames)
    func decodeIsNeverFasterThanReadingTheWeights(gpuName: String) throws {
        let gpu = try RepositoryData.gpu(gpuName)
        let model = try RepositoryData.model(Self.llama)
        let floorMs = Double(model.weightBytes - model.vocabSize * model.hiddenSize * model.bytesPerElement) / gpu.peakBytesPerNs / 1e6
        #expect(try iterationMs(gpuName, input: 1, kv: 0, batch: 1) > floorMs)
    }

    @Test func fasterGPUsAreFasterInBothPhases() throws {
        #expect(try iterationMs("H100", input: 1, kv: 512, batch: 8) < iterationMs("A100", input: 1, kv: 512, batch: 8))
        #expect(try iterationMs("H200", input: 1, kv: 512, batch: 8) < iterationMs("H100", input: 1, kv: 512, batch: 8))
        #expect(try iterationMs("B200", input: 2048, kv: 0, batch: 1) < iterationMs("H100", input: 2048, kv: 0, batch: 1))
        #expect(try iterationMs("A100", input: 2048, kv: 0, batch: 1) < iterationMs("T4", input: 2048, kv: 0, batch: 1))
    }

    @Test func tensorParallelDecodeOfSeventyBillionIsFasterOnMoreGPUs() throws {
        let two = try iterationMs("H100", input: 1, kv: 1024, batch: 8, model: "meta-llama/Llama-3.1-70B-Instruct", tp: 2)
        let four = try iterationMs("H100", input: 1, kv: 1024, batch: 8, model: "meta-llama/Llama-3.1-70B-Instruct", tp: 4)
        #expect(four < two)
    }
}
