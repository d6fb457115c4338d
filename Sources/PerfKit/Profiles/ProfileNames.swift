/// How names in measured profiles are matched to ours: model ids case-insensitively (`Qwen/Qwen3-32B` is our
/// `qwen/Qwen3-32B`), GPU names ignoring case, spaces and punctuation (`RTX PRO 6000`, `rtxpro6000`).
public enum ProfileNames {
    public static func sameModel(_ a: String, _ b: String) -> Bool { a.lowercased() == b.lowercased() }

    public static func gpuKey(_ name: String) -> String {
        String(name.lowercased().unicodeScalars.filter { ($0 >= "a" && $0 <= "z") || ($0 >= "0" && $0 <= "9") }.map(Character.init))
    }

    public static func sameGPU(_ a: String, _ b: String) -> Bool { gpuKey(a) == gpuKey(b) }
}
