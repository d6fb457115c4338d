import Foundation

/// One deployment the search evaluates: a model on `replicas` × `tp` GPUs of one kind with one scheduler setting.
public struct DeploymentConfig: Sendable, Hashable, Codable {
    public var model: String
    public var hardware: String
    public var tp: Int
    public var replicas: Int
    public var scheduler: SchedulerKind
    /// vLLM `max_num_seqs`.
    public var maxNumSeqs: Int
    /// vLLM `max_num_batched_tokens`.
    public var maxNumBatchedTokens: Int

    public init(model: String, hardware: String, tp: Int, replicas: Int, scheduler: SchedulerKind, maxNumSeqs: Int, maxNumBatchedTokens: Int) {
        self.model = model
        self.hardware = hardware
        self.tp = tp
        self.replicas = replicas
        self.scheduler = scheduler
        self.maxNumSeqs = maxNumSeqs
        self.maxNumBatchedTokens = maxNumBatchedTokens
    }

    /// GPUs the deployment occupies.
    public var gpus: Int { tp * replicas }

    /// A short name: `Llama-3.1-8B-Instruct H100 tp2×4 vllm seqs256 tok8192`.
    public var label: String {
        let shortModel = model.split(separator: "/").last.map(String.init) ?? model
        return "\(shortModel) \(hardware) tp\(tp)×\(replicas) \(scheduler.rawValue) seqs\(maxNumSeqs) tok\(maxNumBatchedTokens)"
    }
}
