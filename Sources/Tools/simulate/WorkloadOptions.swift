import ArgumentParser
import SimEngine

/// A synthetic workload's parameters; nil where not given, so that a run with a trace can refuse them.
struct SyntheticOptions: ParsableArguments {
    @Option(parsing: .unconditional, help: "Mean arrival rate, requests per second (default 8).") var rate: Double?
    @Option(parsing: .unconditional, help: "Number of requests (default 1000).") var requests: Int?
    @Option(help: "Prompt lengths: N, fixed:N, uniform:MIN:MAX or lognormal:MEAN:SIGMA[:CAP] (default lognormal:512:0.5).") var inputLen: String?
    @Option(help: "Output lengths, same forms as --input-len (default lognormal:256:0.5).") var outputLen: String?
    @Option(parsing: .unconditional, help: "Coefficient of variation of the gaps between arrivals: 1 is Poisson, above 1 bursty (gamma) (default 1).") var burstiness: Double?
    @Option(parsing: .unconditional, help: "Random seed (default 0).") var seed: UInt64?

    /// The options given on the command line.
    var given: [String] {
        [("--rate", rate != nil), ("--requests", requests != nil), ("--input-len", inputLen != nil), ("--output-len", outputLen != nil),
         ("--burstiness", burstiness != nil), ("--seed", seed != nil)].filter(\.1).map(\.0)
    }

    func workload() throws(SimEngineError) -> SyntheticWorkload {
        let burstiness = burstiness ?? 1
        if let requests, requests < 1 { throw SimEngineError("must be at least 1, found \(requests)", location: "requests") }
        return try SyntheticWorkload(
            rate: rate ?? 8, count: requests ?? 1000, arrivals: burstiness == 1 ? .poisson : .gamma(cv: burstiness),
            inputLength: try LengthDistribution(parsing: inputLen ?? "lognormal:512:0.5"),
            outputLength: try LengthDistribution(parsing: outputLen ?? "lognormal:256:0.5"),
            seed: seed ?? 0)
    }
}

extension TraceFormat: ExpressibleByArgument {}
extension SchedulerKind: ExpressibleByArgument {}
extension RouterPolicy: ExpressibleByArgument {}
