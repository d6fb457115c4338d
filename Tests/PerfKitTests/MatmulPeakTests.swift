import Foundation
import PerfKit
import Testing

/// Square-matmul peaks (`matmul.csv`) and the GEMM compute efficiency derived by board class (docs/CALIBRATION.md).
@Suite struct MatmulPeakTests {
    private func write(_ text: String) throws -> URL {
        let file = try RepositoryData.temporaryFolder().appendingPathComponent("matmul.csv")
        try Data(text.utf8).write(to: file)
        return file
    }

    @Test func rowsBecomeSquareMatmulSamplesOfTheirGPU() throws {
        let file = try write("gpu,dtype,tflops,device,environment,contributor\nRTX3090,bf16,76.5,RTX 3090,lab,me\nT4,fp16,41.9,T4,colab,me\n")
        let samples = try CalibrationInput.samples(at: file, models: try RepositoryData.models())
        #expect(samples.keys.sorted() == ["RTX3090", "T4"])
        let sample = try #require(samples["RTX3090"]?.first)
        #expect(sample.kernelClass == .matmulPeak)
        // 2 × 8,192³ FLOPs at 76.5 TFLOP/s.
        #expect(abs(sample.measuredNs - 2 * pow(8_192, 3) / 76.5e3) < 1)
    }

    @Test func aBadRowNamesItsFileAndLine() throws {
        let file = try write("gpu,dtype,tflops,device,environment,contributor\nRTX3090,bf16,76.5,a,b,c\nT4,int8,41.9,a,b,c\n")
        #expect { try CalibrationInput.samples(at: file, models: try RepositoryData.models()) } throws: { error in
            "\(error)".contains("matmul.csv:3") && "\(error)".contains("bf16 or fp16")
        }
        let zero = try write("gpu,dtype,tflops,device,environment,contributor\nRTX3090,bf16,0,a,b,c\n")
        #expect { try CalibrationInput.samples(at: zero, models: try RepositoryData.models()) } throws: { error in
            "\(error)".contains("matmul.csv:2") && "\(error)".contains("positive")
        }
    }

    @Test func aPeakAloneIsStoredBesideTheGPUsKernelFits() throws {
        let catalog = try RepositoryData.gpus()
        let a100 = try #require(catalog.declared.first { $0.name == "A100" })
        let sample = KernelSample(shape: .squareMatmul(size: 8_192), measuredNs: 2 * pow(8_192, 3) / 250e3, group: "test")
        let calibration = try Calibration(samples: [sample], gpuName: "A100", catalog: catalog, source: "test peak")
        let updated = try #require(calibration.updatedFile.gpus.first { $0.name == "A100" })
        #expect(updated.kernels?.matmulPeak == MatmulPeak(efficiency: 0.8013, source: "test peak"))
        #expect(updated.kernels?.gemm == a100.kernels?.gemm)
        #expect(updated.kernels?.source == a100.kernels?.source)
        #expect(calibration.changes.contains("matmul_peak.efficiency: 0.8479 → 0.8013"))
    }

    @Test func aFitOutOfRangeIsRefusedBeforeAnythingIsWritten() throws {
        // 142 TFLOP/s is the RTX 3090's FP16-accumulate figure: twice its FP32-accumulate peak.
        let sample = KernelSample(shape: .squareMatmul(size: 8_192), measuredNs: 2 * pow(8_192, 3) / 142e3, group: "test")
        #expect { try Calibration(samples: [sample], gpuName: "RTX3090", catalog: try RepositoryData.gpus(), source: "test") } throws: { error in
            "\(error)".contains("2.00× RTX3090's datasheet 71.0") && "\(error)".contains("FP16-accumulate")
        }
    }

    @Test func aRowOutOfRangeIsNamedByItsLineEvenBesideGoodOnes() throws {
        let file = try write("gpu,dtype,tflops,device,environment,contributor\nRTX3090,bf16,76.34,a,b,c\nRTX3090,fp16,142,a,b,c\n")
        let samples = try #require(try CalibrationInput.samples(at: file, models: try RepositoryData.models())["RTX3090"])
        #expect { try Calibration(samples: samples, gpuName: "RTX3090", catalog: try RepositoryData.gpus(), source: "test") } throws: { error in
            "\(error)".contains("matmul.csv:3: 142.0 TFLOP/s")
        }
    }

    @Test func validateChecksRowsGPUsAndRange() throws {
        let validator = MatmulPeakValidator(models: try RepositoryData.models(), gpus: try RepositoryData.gpus().gpus)
        #expect(validator.validate(file: RepositoryData.root.appendingPathComponent("profiles/measured/matmul-peaks/matmul.csv")).isEmpty)
        let file = try write("gpu,dtype,tflops,device,environment,contributor\nRTX3090,fp16,142,a,b,c\nRTX9999,bf16,70,a,b,c\n")
        let findings = validator.validate(file: file).map(\.description)
        #expect(findings.contains { $0.contains("matmul.csv:2: error [matmul-peak]: 142.0 TFLOP/s is 2.00× RTX3090's datasheet 71.0") }, "\(findings)")
        #expect(findings.contains { $0.contains("GPU RTX9999 is not in hardware/gpus.json") }, "\(findings)")
        let broken = try write("gpu,tflops\nRTX3090,70\n")
        #expect(validator.validate(file: broken).first?.rule == .schema)
    }

    @Test func aFitNamesTheOtherGPUsWhoseDerivedParametersMove() throws {
        let sample = KernelSample(shape: .squareMatmul(size: 8_192), measuredNs: 2 * pow(8_192, 3) / 290e3, group: "test")
        let calibration = try Calibration(samples: [sample], gpuName: "A100", catalog: try RepositoryData.gpus(), source: "test")
        // The share serving shapes reach of the peak moves, and with it every GPU derived from a peak or its class.
        #expect(Set(["RTX3090", "T4", "B200", "L40S"]).isSubset(of: Set(calibration.alsoChanged)))
        #expect(!calibration.alsoChanged.contains("A100") && !calibration.alsoChanged.contains("RTX4090"))
    }

    @Test func anEmptyOrHeaderlessFileSaysWhatItLacks() throws {
        let empty = try write("gpu,dtype,tflops\n")
        #expect { try CalibrationInput.samples(at: empty, models: try RepositoryData.models()) } throws: { "\($0)".contains("matmul.csv:1") && "\($0)".contains("no rows") }
        let noDtype = try write("gpu,tflops\nRTX3090,70\n")
        #expect { try CalibrationInput.samples(at: noDtype, models: try RepositoryData.models()) } throws: { "\($0)".contains("missing column \"dtype\"") }
    }

    @Test func aGPUWithoutAGEMMProfileTakesItsComputeEfficiencyFromItsBoardClass() throws {
        let catalog = try RepositoryData.gpus()
        func compute(_ name: String) throws -> Double { try #require(try catalog.gpu(name).kernels?.gemm?.computeEfficiency) }
        // A GeForce board of the same architecture: RTX 4080 takes RTX 4090's.
        #expect(try compute("RTX4080") == compute("RTX4090"))
        // Ada's datacenter boards do not: the datacenter and workstation boards reach 73-77 % of their peak.
        #expect(try compute("L40S") < 0.8 && compute("L40") == compute("L40S"))
        // A measured peak times what serving shapes reach of it where both were measured (A100, H100, RTX 4090).
        let shares = try ["A100", "H100", "RTX4090"].map { name -> Double in
            let kernels = try #require(try catalog.gpu(name).kernels)
            return try #require(kernels.gemm).computeEfficiency / #require(kernels.matmulPeak).efficiency
        }
        let share = exp(shares.map(log).reduce(0, +) / 3)
        let t4 = try catalog.gpu("T4")
        #expect(abs(try compute("T4") - share * 0.6448) < 0.002)
        #expect(t4.kernels?.source.contains("square-matmul peak") == true)
        // GeForce boards beat their rated peak, but no derived efficiency passes the datasheet's.
        #expect(try compute("RTX3090") <= 1 && compute("RTX3090") > 0.95)
        #expect(try compute("RTX5090") == 1)
    }
}
