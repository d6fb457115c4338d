import ArgumentParser
import SimEngine

/// A synthetic workload's parameters.
struct SyntheticOptions: ParsableArguments {
    @Option(parsing: .unconditional, help: "Mean arrival rate, requests per second.") var rate: Double = 8
    @Option(parsing: .unconditional, help: "Number of requests.") var requests: Int = 1000
    @Option(help: "Prompt lengths: N, fixed:N, uniform:MIN:MAX or lognormal:MEAN:SIGMA[:CAP].") var inputLen: String = "lognormal:512:0.5"
    @Option(help: "Output lengths, same forms as --input-len.") var outputLen: String = "lognormal:256:0.5"
    @Option(parsing: .unconditional, help: "Coefficient of variation of the gaps between arrivals: 1 is Poisson, above 1 bursty (gamma).") var burstiness: Double = 1
    @Option(parsing: .unconditional, help: "Random seed.") var seed: UInt64 = 0

    func workload() throws(SimEngineError) -> SyntheticWorkload {
        try SyntheticWorkload(
            rate: rate, count: requests, arrivals: burstiness == 1 ? .poisson : .gamma(cv: burstiness),
            inputLength: try LengthDistribution(parsing: inputLen), outputLength: try LengthDistribution(parsing: outputLen),
            seed: seed)
    }
}

extension TraceFormat: ExpressibleByArgument {}
extension SchedulerKind: ExpressibleByArgument {}
extension RouterPolicy: ExpressibleByArgument {}
