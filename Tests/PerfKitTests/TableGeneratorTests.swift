import Foundation
import PerfKit
import Testing

@Suite struct TableGeneratorTests {
    static let gpuNames = ["RTX3090", "A100", "H100", "V100", "RTX4090", "A6000", "A40", "RTX4080", "L40", "A10", "T4", "H200", "B200", "L40S", "RTXPRO6000"]

    @Test(arguments: gpuNames)
    func generatedTablesPassEveryValidationRule(gpuName: String) throws {
        let gpu = try RepositoryData.gpu(gpuName)
        let models = try RepositoryData.models().models
        let table = TableGenerator.table(models: models, gpu: gpu)
        let findings = TableValidator(models: models, gpus: [gpu]).validate(table)
        #expect(findings.isEmpty, "\(findings.prefix(3))")
    }

    @Test(arguments: gpuNames)
    func shippedTablesMatchTheGenerator(gpuName: String) throws {
        let gpu = try RepositoryData.gpu(gpuName)
        let shipped = try LatencyTable.load(from: RepositoryData.directory.tableURL(hardware: gpuName))
        let generated = TableGenerator.table(models: try RepositoryData.models().models, gpu: gpu)
        #expect(shipped.rows.count == generated.rows.count)
        #expect(shipped.csvData() == generated.csvData(), "perf_model/\(gpuName).csv is stale: run perfkit generate --all")
    }

    @Test(arguments: ["H100", "RTX4090", "B200"])
    func everyRowIsAtOrAboveThePhysicalFloor(gpuName: String) throws {
        let gpu = try RepositoryData.gpu(gpuName)
        let model = try RepositoryData.model("qwen/Qwen3-8B")
        for row in TableGenerator.rows(model: model, gpu: gpu, tp: 2) {
            let work = LayerWork.lowerBound(layer: row.layer!, model: model, tp: 2, input: row.input, kvCache: row.kvCache)
            #expect(Double(row.latencyNs) >= gpu.floorNs(work), "\(row.layerName) \(row.input) \(row.kvCache)")
        }
    }

    @Test func splitRowsSumToTheFusedKernel() throws {
        let gpu = try RepositoryData.gpu("RTX4090")
        let model = try RepositoryData.model("meta-llama/Llama-3.1-8B")
        let gemm = try #require(gpu.kernels?.gemm)
        for tokens in [1, 64, 2048] {
            let split = [LayerName.qProj, .kProj, .vProj].reduce(0.0) { $0 + gpu.modelledNs(layer: $1, model: model, tp: 1, input: tokens, kvCache: 0) }
            let fused = gemm.ns(tokens: Double(tokens), n: 4096 + 2 * 1024, k: 4096, bytesPerElement: 2, gpu: gpu)
            #expect(abs(split - fused) / fused < 1e-9)
        }
    }

    @Test func tensorParallelismShrinksPerGPUWork() throws {
        let gpu = try RepositoryData.gpu("A100")
        let model = try RepositoryData.model("meta-llama/Llama-3.1-70B-Instruct")
        let one = TableGenerator.rows(model: model, gpu: gpu, tp: 1).first { $0.layerName == "gate_proj" && $0.input == 4096 }!
        let four = TableGenerator.rows(model: model, gpu: gpu, tp: 4).first { $0.layerName == "gate_proj" && $0.input == 4096 }!
        #expect(Double(four.latencyNs) < Double(one.latencyNs) / 3.5)
    }

    @Test func generationCoversTheContextLimit() throws {
        let model = try RepositoryData.model("facebook/opt-6.7b")
        let rows = TableGenerator.rows(model: model, gpu: try RepositoryData.gpu("T4"), tp: 1)
        let decode = rows.filter { $0.layerName == "qk_matmul" && $0.input == 1 }.map(\.kvCache)
        #expect(decode.max() == 2047)
        #expect(rows.filter { $0.layer!.isAttention }.allSatisfy { $0.input + $0.kvCache <= 2048 })
    }
}
