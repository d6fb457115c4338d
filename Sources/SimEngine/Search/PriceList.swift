public import Foundation

/// Hourly prices of GPUs, each with where and when it was read (`hardware/prices.json`, or a user's file).
public struct PriceList: Sendable, Hashable, Codable {
    public struct Entry: Sendable, Hashable, Codable {
        /// GPU name as in `hardware/gpus.json`.
        public var gpu: String
        /// US dollars per GPU per hour.
        public var usdPerGPUHour: Double
        /// The offer priced (provider, product, unit price as listed).
        public var offer: String
        /// Where the price was read (a URL).
        public var source: String
        /// When it was read, YYYY-MM-DD.
        public var date: String

        public init(gpu: String, usdPerGPUHour: Double, offer: String, source: String, date: String) {
            self.gpu = gpu
            self.usdPerGPUHour = usdPerGPUHour
            self.offer = offer
            self.source = source
            self.date = date
        }

        enum CodingKeys: String, CodingKey {
            case gpu, offer, source, date
            case usdPerGPUHour = "usd_per_gpu_hour"
        }
    }

    public var entries: [Entry]

    public init(entries: [Entry]) { self.entries = entries }

    /// The entry of `gpu` (case-insensitive), or nil when the list has no price for it.
    public func price(of gpu: String) -> Entry? {
        entries.first { $0.gpu.caseInsensitiveCompare(gpu) == .orderedSame }
    }

    /// Reads a price file: `{"prices": [{"gpu", "usd_per_gpu_hour", "offer", "source", "date"}, …]}`.
    public static func load(_ url: URL) throws(SimEngineError) -> PriceList {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw SimEngineError("cannot read the price list (missing file or no permission)", location: url.path)
        }
        guard let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any], let items = root["prices"] as? [Any] else {
            throw SimEngineError("expected a JSON object with a \"prices\" array", location: url.path)
        }
        var entries: [Entry] = []
        for (offset, item) in items.enumerated() {
            let path = "\(url.path): prices[\(offset)]"
            guard let fields = item as? [String: Any] else { throw SimEngineError("expected an object", location: path) }
            func text(_ name: String) throws(SimEngineError) -> String {
                guard let value = fields[name] as? String, !value.isEmpty else {
                    throw SimEngineError("\"\(name)\" must be a non-empty string (every price names its GPU, offer, source and date)", location: path)
                }
                return value
            }
            guard let price = fields["usd_per_gpu_hour"] as? Double, price > 0, price.isFinite else {
                throw SimEngineError("\"usd_per_gpu_hour\" must be a positive number", location: path)
            }
            let date = try text("date")
            guard date.wholeMatch(of: /\d{4}-\d{2}-\d{2}/) != nil else {
                throw SimEngineError("\"date\" must be YYYY-MM-DD, found \"\(date)\"", location: path)
            }
            let entry = Entry(gpu: try text("gpu"), usdPerGPUHour: price, offer: try text("offer"), source: try text("source"), date: date)
            if entries.contains(where: { $0.gpu.caseInsensitiveCompare(entry.gpu) == .orderedSame }) {
                throw SimEngineError("a second price for \(entry.gpu)", location: path)
            }
            entries.append(entry)
        }
        return PriceList(entries: entries)
    }
}
