public import Foundation

/// The shape of a transformer model, read from a Hugging Face `config.json`.
public struct ModelConfig: Sendable, Hashable {
    /// Model id: the config's path under `model_configs/` without `.json` (e.g. `qwen/Qwen3-8B`).
    public var id: String
    public var family: ModelFamily
    public var hiddenSize: Int
    /// MLP width (`intermediate_size`, or `ffn_dim` for OPT).
    public var intermediateSize: Int
    public var numHiddenLayers: Int
    public var numAttentionHeads: Int
    /// KV heads (GQA); equal to `numAttentionHeads` for multi-head attention.
    public var numKeyValueHeads: Int
    public var headDim: Int
    public var vocabSize: Int
    /// Context limit in tokens.
    public var maxPositionEmbeddings: Int
    /// Bytes per weight and activation element (2 for fp16/bf16).
    public var bytesPerElement: Int
    public var tieWordEmbeddings: Bool
    /// The Hugging Face id as Hugging Face spells it (`Qwen/Qwen3-32B`), from the config's `_name_or_path`; else `id`.
    public var huggingFaceID: String

    public init(
        id: String, family: ModelFamily, hiddenSize: Int, intermediateSize: Int, numHiddenLayers: Int,
        numAttentionHeads: Int, numKeyValueHeads: Int, headDim: Int, vocabSize: Int,
        maxPositionEmbeddings: Int, bytesPerElement: Int = 2, tieWordEmbeddings: Bool = false, huggingFaceID: String? = nil
    ) {
        self.id = id
        self.family = family
        self.hiddenSize = hiddenSize
        self.intermediateSize = intermediateSize
        self.numHiddenLayers = numHiddenLayers
        self.numAttentionHeads = numAttentionHeads
        self.numKeyValueHeads = numKeyValueHeads
        self.headDim = headDim
        self.vocabSize = vocabSize
        self.maxPositionEmbeddings = maxPositionEmbeddings
        self.bytesPerElement = bytesPerElement
        self.tieWordEmbeddings = tieWordEmbeddings
        self.huggingFaceID = huggingFaceID ?? id
    }

    /// Parses and checks an HF config; errors name `file` and the field.
    public init(id: String, json: Data, file: String) throws(PerfKitError) {
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: json)
        } catch {
            throw PerfKitError("not valid JSON (\(error.localizedDescription))", location: file)
        }
        guard let fields = object as? [String: Any] else {
            throw PerfKitError("expected a JSON object at the top level", location: file)
        }
        let reader = ConfigFieldReader(fields: fields, file: file)
        let modelType = try reader.string("model_type")
        guard let family = ModelFamily(modelType: modelType) else {
            throw PerfKitError(
                "field \"model_type\": unsupported \"\(modelType)\" (accepted: \(ModelFamily.supportedModelTypes.joined(separator: ", ")))",
                location: file)
        }
        let hidden = try reader.positiveInt("hidden_size")
        let heads = try reader.positiveInt("num_attention_heads")
        let kvHeads = try reader.optionalPositiveInt("num_key_value_heads") ?? heads
        guard heads % kvHeads == 0 else {
            throw PerfKitError(
                "field \"num_key_value_heads\": \(kvHeads) does not divide num_attention_heads \(heads)",
                location: file)
        }
        let headDim: Int
        if let explicit = try reader.optionalPositiveInt("head_dim") {
            headDim = explicit
        } else {
            guard hidden % heads == 0 else {
                throw PerfKitError(
                    "field \"hidden_size\": \(hidden) is not a multiple of num_attention_heads \(heads) and no head_dim is given",
                    location: file)
            }
            headDim = hidden / heads
        }
        let dtype = (fields["torch_dtype"] as? String) ?? "bfloat16"
        guard let bytes = Self.bytesPerElement(dtype: dtype) else {
            throw PerfKitError(
                "field \"torch_dtype\": unsupported \"\(dtype)\" (accepted: bfloat16, float16, float32)",
                location: file)
        }
        self.init(
            id: id, family: family, hiddenSize: hidden,
            intermediateSize: try reader.positiveInt(family == .opt ? "ffn_dim" : "intermediate_size"),
            numHiddenLayers: try reader.positiveInt("num_hidden_layers"),
            numAttentionHeads: heads, numKeyValueHeads: kvHeads, headDim: headDim,
            vocabSize: try reader.positiveInt("vocab_size"),
            maxPositionEmbeddings: try reader.positiveInt("max_position_embeddings"),
            bytesPerElement: bytes,
            tieWordEmbeddings: (fields["tie_word_embeddings"] as? Bool) ?? (family == .opt),
            huggingFaceID: (fields["_name_or_path"] as? String).flatMap { $0.caseInsensitiveCompare(id) == .orderedSame ? $0 : nil })
    }

    private static func bytesPerElement(dtype: String) -> Int? {
        switch dtype {
        case "bfloat16", "float16", "half": 2
        case "float32", "float": 4
        default: nil
        }
    }

    /// The layers this model's table rows use, in forward order.
    public var layers: [LayerName] { LayerName.layers(of: family) }

    /// Parameters of the whole model (embeddings, blocks, final norm, untied lm_head).
    public var parameterCount: Int {
        let h = hiddenSize, d = headDim
        let attention = h * numAttentionHeads * d * 2 + h * numKeyValueHeads * d * 2
        let block: Int
        let extra: Int
        switch family {
        case .llama, .qwen3:
            block = attention + 3 * h * intermediateSize + 2 * h + (family == .qwen3 ? 2 * d : 0)
            extra = h
        case .opt:
            block = attention + 4 * h + 2 * h * intermediateSize + intermediateSize + h + 4 * h
            extra = 2 * h + (maxPositionEmbeddings + 2) * h
        }
        let embeddings = vocabSize * h * (tieWordEmbeddings ? 1 : 2)
        return embeddings + numHiddenLayers * block + extra
    }

    /// Bytes of all weights.
    public var weightBytes: Int { parameterCount * bytesPerElement }

    /// KV-cache bytes per token over all layers and GPUs: 2 × layers × kv heads × head dim × element bytes.
    public var kvBytesPerToken: Int { 2 * numHiddenLayers * numKeyValueHeads * headDim * bytesPerElement }

    /// Whether tensor parallelism can split the model `tp` ways: tp divides its attention heads, and divides or is a
    /// multiple of its KV heads (replicated KV heads, as vLLM does).
    public func supportsTensorParallel(_ tp: Int) -> Bool {
        tp >= 1 && numAttentionHeads % tp == 0 && (numKeyValueHeads % tp == 0 || tp % numKeyValueHeads == 0)
    }

    /// Throws unless `supportsTensorParallel(tp)`, saying why.
    public func requireTensorParallel(_ tp: Int) throws(PerfKitError) {
        guard supportsTensorParallel(tp) else {
            throw PerfKitError("tp \(tp) must divide \(id)'s \(numAttentionHeads) attention heads, and divide or be a multiple of its \(numKeyValueHeads) KV heads")
        }
    }
}

/// Reads typed fields from a parsed config, naming the file and field on error.
struct ConfigFieldReader {
    let fields: [String: Any]
    let file: String

    func string(_ name: String) throws(PerfKitError) -> String {
        guard let value = fields[name] else { throw missing(name) }
        guard let text = value as? String else {
            throw PerfKitError("field \"\(name)\": expected a string, found \(value)", location: file)
        }
        return text
    }

    func positiveInt(_ name: String) throws(PerfKitError) -> Int {
        guard let value = try optionalPositiveInt(name) else { throw missing(name) }
        return value
    }

    func optionalPositiveInt(_ name: String) throws(PerfKitError) -> Int? {
        guard let value = fields[name], !(value is NSNull) else { return nil }
        guard let number = value as? NSNumber,
              number.doubleValue == number.doubleValue.rounded(), number.intValue > 0
        else {
            throw PerfKitError("field \"\(name)\": expected a positive integer, found \(value)", location: file)
        }
        return number.intValue
    }

    private func missing(_ name: String) -> PerfKitError {
        PerfKitError("missing field \"\(name)\"", location: file)
    }
}
