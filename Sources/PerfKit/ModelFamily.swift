/// The layer structure a model config describes: which layer names its table rows use.
public enum ModelFamily: String, Sendable, CaseIterable {
    /// Llama-style decoder (Llama, Mistral, Qwen2): RMSNorm, RoPE, gated SiLU MLP.
    case llama
    /// Qwen3: Llama-style plus per-head RMSNorm on queries and keys (`q_norm`, `k_norm`).
    case qwen3
    /// OPT: learned positions, LayerNorm, explicit QK/softmax/SV attention, ReLU `fc1`/`fc2` MLP.
    case opt

    /// The HF `model_type`s a family exists for.
    public static let supportedModelTypes = ["llama", "mistral", "qwen2", "qwen3", "opt"]

    /// The family for an HF `model_type`, or nil when the type is not supported.
    public init?(modelType: String) {
        switch modelType {
        case "llama", "mistral", "qwen2": self = .llama
        case "qwen3": self = .qwen3
        case "opt": self = .opt
        default: return nil
        }
    }
}
