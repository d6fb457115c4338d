#ifndef CREADLINE_SHIM_H
#define CREADLINE_SHIM_H

/// Sets readline's name, turns off bracketed paste, and installs tab completion over `words`
/// (copied; the first word of a line completes against `commands`, later words against `words`).
void repl_readline_configure(const char *name, const char *const *commands, int command_count,
                             const char *const *words, int word_count);

/// Installs a SIGINT handler that sets the interrupted flag and, inside readline, clears the line.
void repl_install_interrupt_handler(void);

/// Marks whether readline is currently reading a line.
void repl_set_in_readline(int active);

/// Returns 1 and clears the flag when Ctrl-C was pressed since the last call.
int repl_take_interrupt(void);

#endif
