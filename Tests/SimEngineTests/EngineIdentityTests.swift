import Foundation
import SimEngine
import Testing

/// What every front serves when `--model` or `--hardware` is left out: a `--profile` bundle's, else the defaults.
@Suite struct EngineIdentityTests {
    static let bundle = TestEngines.root.appendingPathComponent("profiles/measured/LLMServingSim/RTX4090/meta-llama/Llama-3.1-8B/bf16").path

    @Test func aBundleGivesWhatItMeasuredAndSaysSo() throws {
        let identity = TestEngines.loader.identity(model: nil, hardware: nil, profile: Self.bundle)
        #expect(identity.model == "meta-llama/Llama-3.1-8B" && identity.hardware == "RTX4090")
        #expect(identity.note == "model meta-llama/Llama-3.1-8B and hardware RTX4090 from the bundle's meta.yaml")
        let partly = TestEngines.loader.identity(model: "meta-llama/Llama-3.1-8B", hardware: nil, profile: Self.bundle)
        #expect(partly.note == "hardware RTX4090 from the bundle's meta.yaml")
    }

    @Test func aProfileThatNamesNoModelSaysTheDefaultIsUsed() throws {
        let vidur = TestEngines.root.appendingPathComponent("profiles/measured/vidur/compute/h100/meta-llama/Llama-2-70b-hf").path
        let identity = TestEngines.loader.identity(model: nil, hardware: "H100", profile: vidur)
        #expect(identity.model == "meta-llama/Llama-3.1-8B-Instruct" && identity.note?.contains("pass --model") == true)
    }

    @Test func withoutABundleTheDefaultsHoldAndNothingIsSaid() throws {
        let identity = TestEngines.loader.identity(model: nil, hardware: nil, profile: "measured")
        #expect(identity.model == "meta-llama/Llama-3.1-8B-Instruct" && identity.hardware == "A100" && identity.note == nil)
        #expect(TestEngines.loader.bundleModel(profile: nil) == nil)
        #expect(TestEngines.loader.bundleModel(profile: Self.bundle) == "meta-llama/Llama-3.1-8B")
    }
}
