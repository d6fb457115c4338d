#ifndef CREADLINE_SHIM_H
#define CREADLINE_SHIM_H

/// Chooses the completions of `word` given the line before it, adding each with `repl_completion_add`.
typedef void (*repl_completion_provider)(const char *before, const char *word);
/// Sets readline's name, turns off bracketed paste, and installs tab completion by `provider`.
void repl_readline_configure(const char *name, repl_completion_provider provider);
/// Adds one candidate of the completion being computed (copied).
void repl_completion_add(const char *word);

/// Installs a SIGINT handler that sets the interrupted flag and, inside readline, clears the line.
void repl_install_interrupt_handler(void);

/// Marks whether readline is currently reading a line.
void repl_set_in_readline(int active);

/// Returns 1 and clears the flag when Ctrl-C was pressed since the last call.
int repl_take_interrupt(void);

#endif
