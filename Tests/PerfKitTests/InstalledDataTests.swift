import Foundation
@testable import PerfKit
import TestSupport
import Testing

/// Binaries find the shipped data from any working directory: above a `swift build` product, or in an install prefix.
@Suite struct InstalledDataTests {
    @Test func anInstallPrefixLooksInShareFirstThenUp() {
        let candidates = DataDirectory.installedCandidates(executable: URL(fileURLWithPath: "/opt/sim/bin/perfkit")).map(\.path)
        #expect(candidates == ["/opt/sim/share/llmservingsim", "/opt/sim/bin", "/opt/sim", "/opt", "/"])
    }

    @Test func aBuildProductFindsTheRepositoryAboveIt() {
        let candidates = DataDirectory.installedCandidates(executable: Tool.url("perfkit")).map(\.path)
        #expect(candidates.contains(Tool.repositoryRoot.standardizedFileURL.path))
    }
}
