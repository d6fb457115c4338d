/// The release of these tools, as `--version` and serve's `/version` report it.
public enum LLMServingSimVersion {
    public static let string = "0.3.0"
}
