extension ModelLatencyTable {
    /// The layers whose lookups for `batch` sequences of `newTokens` new tokens over `kvCache` cached ones fall
    /// outside the table's points (their times are extrapolated), in the model's layer order.
    public func extrapolatedLayers(newTokens: Int, kvCache: Int, batch: Int) -> [LayerName] {
        model.layers.filter { layer in
            if layer.isAttention { return isExtrapolated(layer, input: newTokens, kvCache: kvCache) }
            return isExtrapolated(layer, input: layer == .lmHead ? batch : batch * newTokens, kvCache: 0)
        }
    }
}
