import Foundation
import PerfKit
import Testing

@Suite struct ModelConfigTests {
    @Test(arguments: [
        ("qwen/Qwen3-8B", 8.19, ModelFamily.qwen3),
        ("qwen/Qwen3-32B", 32.76, .qwen3),
        ("meta-llama/Llama-3.1-8B-Instruct", 8.03, .llama),
        ("meta-llama/Llama-3.1-70B-Instruct", 70.55, .llama),
        ("facebook/opt-6.7b", 6.66, .opt),
    ])
    func shippedConfigsLoadWithPublishedParameterCounts(id: String, billions: Double, family: ModelFamily) throws {
        let model = try RepositoryData.model(id)
        #expect(model.family == family)
        #expect(abs(Double(model.parameterCount) / 1e9 - billions) < 0.01)
    }

    @Test func kvBytesPerTokenIsGQAAware() throws {
        let llama = try RepositoryData.model("meta-llama/Llama-3.1-8B-Instruct")
        #expect(llama.kvBytesPerToken == 2 * 32 * 8 * 128 * 2)
        let opt = try RepositoryData.model("facebook/opt-6.7b")
        #expect(opt.kvBytesPerToken == 2 * 32 * 32 * 128 * 2)
    }

    @Test func idsMatchWithoutRegardToCase() throws {
        // Hugging Face spells Qwen's org "Qwen"; our config folder is qwen/.
        #expect(try RepositoryData.models().model("Qwen/Qwen3-32B").id == "qwen/Qwen3-32B")
        #expect(throws: PerfKitError.self) { try RepositoryData.models().model("Qwen/Qwen9-1B") }
    }

    @Test func catalogListsEveryShippedModel() throws {
        let ids = try RepositoryData.models().models.map(\.id)
        #expect(ids.contains("qwen/Qwen3-8B") && ids.contains("facebook/opt-6.7b") && ids.count >= 5)
    }

    @Test(arguments: ["../hardware/gpus", "qwen/../../etc/passwd", "/etc/passwd", "", "qwen//Qwen3-8B", "./qwen/Qwen3-8B"])
    func idsThatLeaveTheFolderAreRefused(id: String) {
        #expect(throws: PerfKitError.self) { try RepositoryData.model(id) }
    }

    @Test func unknownModelListsKnownOnes() {
        let error = #expect(throws: PerfKitError.self) { try RepositoryData.model("acme/Nope-1B") }
        #expect(error?.message.contains("qwen/Qwen3-8B") == true)
    }

    @Test(arguments: [
        (#"{"model_type": "llama", "num_attention_heads": 32}"#, "hidden_size"),
        (#"{"model_type": "gpt2"}"#, "model_type"),
        (#"{"model_type": "llama", "hidden_size": 4096, "num_attention_heads": 32, "num_key_value_heads": 5}"#, "num_key_value_heads"),
        (#"{"model_type": "llama", "hidden_size": "big", "num_attention_heads": 32}"#, "hidden_size"),
        (#"{"model_type": "llama", "hidden_size": 4001, "num_attention_heads": 32, "num_hidden_layers": 2}"#, "hidden_size"),
        ("not json", "not valid JSON"),
    ])
    func badConfigsNameFileAndField(json: String, field: String) {
        let error = #expect(throws: PerfKitError.self) {
            try ModelConfig(id: "x/y", json: Data(json.utf8), file: "model_configs/x/y.json")
        }
        #expect(error?.location == "model_configs/x/y.json")
        #expect(error?.message.contains(field) == true)
    }
}

@Suite struct GPUCatalogTests {
    @Test func shipsTheFifteenGPUsOfTheDatasheets() throws {
        let names = Set(try RepositoryData.gpus().gpus.map(\.name))
        #expect(names.isSuperset(of: ["RTX3090", "A100", "H100", "V100", "RTX4090", "A6000", "A40", "RTX4080", "L40", "A10", "T4",
                                      "H200", "B200", "L40S", "RTXPRO6000"]))
    }

    @Test func lookupIsCaseInsensitiveAndUnknownNamesListKnownOnes() throws {
        let gpus = try RepositoryData.gpus()
        #expect(try gpus.gpu("h100").name == "H100")
        let error = #expect(throws: PerfKitError.self) { try gpus.gpu("MI300X") }
        #expect(error?.message.contains("A100") == true)
    }
}
