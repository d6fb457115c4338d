import CReadlineShim

/// Ctrl-C: cancels the line being typed or the simulation running, never the session.
public enum Interrupts {
    /// Installs the SIGINT handler.
    public static func install() { repl_install_interrupt_handler() }

    /// Whether Ctrl-C was pressed since the last call (and clears it).
    public static func take() -> Bool { repl_take_interrupt() != 0 }
}
