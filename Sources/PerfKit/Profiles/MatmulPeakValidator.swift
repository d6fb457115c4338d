import Foundation

/// Checks a `matmul.csv` of square-matmul peaks as `perfkit calibrate` reads it: its rows parse, name GPUs of the
/// catalog, and stay within what a board reaches of its datasheet peak.
public struct MatmulPeakValidator: Sendable {
    public let models: ModelCatalog
    public let gpus: [GPUSpec]

    public init(models: ModelCatalog, gpus: [GPUSpec]) {
        self.models = models
        self.gpus = gpus
    }

    /// The findings of `file`; none when every row is usable.
    public func validate(file: URL) -> [ValidationFinding] {
        let samples: CalibrationInput.SamplesByGPU
        do {
            samples = try CalibrationInput.samples(at: file, models: models)
        } catch {
            return [ValidationFinding(.error, .schema, file: error.location.isEmpty ? file.path : error.location, line: 0, error.message)]
        }
        var findings: [ValidationFinding] = []
        for (name, rows) in samples.sorted(by: { $0.key < $1.key }) {
            guard let gpu = gpus.first(where: { $0.name.caseInsensitiveCompare(name) == .orderedSame }) else {
                findings.append(ValidationFinding(.error, .matmulPeak, file: file.path, line: 0, "GPU \(name) is not in hardware/gpus.json"))
                continue
            }
            for row in rows {
                if let problem = MatmulPeak.implausibility(row, gpu: gpu) {
                    findings.append(ValidationFinding(.error, .matmulPeak, file: row.location, line: 0, problem))
                }
            }
        }
        return findings
    }
}
