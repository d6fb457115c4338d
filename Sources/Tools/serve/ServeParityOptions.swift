import ArgumentParser
import Foundation
import Serve
import SimEngine

/// The options `serve` shares with `simulate` and vLLM's server, so that a `simulate` configuration serves as is.
struct ServeParityOptions: ParsableArguments {
    @Option(help: "Name the API knows the model by (vLLM's; repeat: aliases of one --model, or one per --model).") var servedModelName: [String] = []
    @Option(parsing: .unconditional, help: "Longest prompt + output accepted (default: the model's context).") var maxModelLen: Int?
    @Option(parsing: .unconditional, help: "Fraction of GPU memory for weights, activations and KV cache.") var gpuMemoryUtilization: Double = 0.9
    @Option(parsing: .unconditional, help: "Memory per GPU reserved for activations and runtime, GiB.") var activationReserveGib: Double = 2
    @Option(parsing: .unconditional, help: "KV-cache block size, tokens.") var blockSize: Int = 16
    @Option(parsing: .unconditional, help: "Host time per step, ms, replacing the engine profile's.") var cpuOverheadMs: Double?
    @Option(parsing: .unconditional, help: "Probability that a choice with tool_choice auto calls a tool.") var toolCallProbability: Double = 0.5
    @Option(help: "Origins allowed to call from a browser (CORS): * (default, as vLLM), a JSON list, or repeat.") var allowedOrigins: [String] = []

    /// The scheduler of `serve`'s flags with these; `--cpu-overhead-ms` replaces the engine profile's host time per step.
    func scheduler(
        kind: SchedulerKind, maxNumBatchedTokens: Int, maxNumSeqs: Int, engine: EngineProfile, numGpuBlocksOverride: Int?,
        enablePrefixCaching: Bool
    ) throws(SimEngineError) -> SchedulerConfig {
        var engine = engine
        if let cpuOverheadMs {
            guard cpuOverheadMs >= 0, cpuOverheadMs <= 10_000 else {
                throw SimEngineError("must be between 0 and 10000 ms, found \(cpuOverheadMs)", location: "cpu-overhead-ms")
            }
            engine = engine.withStepHost(ns: Int64((cpuOverheadMs * 1e6).rounded()))
        }
        return SchedulerConfig(
            kind: kind, maxNumBatchedTokens: maxNumBatchedTokens, maxNumSeqs: maxNumSeqs, blockSize: blockSize,
            gpuMemoryUtilization: gpuMemoryUtilization, activationReserveBytes: activationReserveGib * 1_073_741_824,
            engine: engine, maxModelLen: maxModelLen, numGpuBlocksOverride: numGpuBlocksOverride,
            enablePrefixCaching: enablePrefixCaching)
    }

    /// Sets names, tool probability and origins; checks `port`.
    func apply(to configuration: inout ServeConfiguration, port: Int) throws(SimEngineError) {
        guard (1...65535).contains(port) else { throw SimEngineError("must be a port in 1...65535, found \(port)", location: "port") }
        configuration.servedModelNames = servedModelName
        configuration.toolCallProbability = toolCallProbability
        if !allowedOrigins.isEmpty { configuration.allowedOrigins = try Self.origins(allowedOrigins) }
    }

    /// `--allowed-origins` as vLLM takes it (`'["http://a", "http://b"]'`), or one origin per flag.
    static func origins(_ values: [String]) throws(SimEngineError) -> [String] {
        var origins: [String] = []
        for value in values {
            if value.hasPrefix("[") {
                guard let list = try? JSONDecoder().decode([String].self, from: Data(value.utf8)) else {
                    throw SimEngineError("expected a JSON list of strings, found \(value)", location: "allowed-origins")
                }
                origins += list
            } else {
                origins += value.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }
            }
        }
        return origins
    }
}
