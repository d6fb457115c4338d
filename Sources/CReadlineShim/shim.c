#include "CReadlineShim.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <readline/readline.h>
#include <readline/history.h>

static char **command_words = NULL;
static int command_word_count = 0;
static char **other_words = NULL;
static int other_word_count = 0;
static volatile sig_atomic_t interrupted = 0;
static volatile sig_atomic_t in_readline = 0;

static char **copy_words(const char *const *words, int count) {
    char **copy = calloc((size_t)count + 1, sizeof(char *));
    for (int i = 0; i < count; i++) copy[i] = strdup(words[i]);
    return copy;
}

static char **active_words;
static int active_count;

static char *generate(const char *text, int state) {
    static int index;
    static size_t length;
    if (state == 0) { index = 0; length = strlen(text); }
    while (index < active_count) {
        const char *word = active_words[index++];
        if (strncmp(word, text, length) == 0) return strdup(word);
    }
    return NULL;
}

static char **complete(const char *text, int start, int end) {
    (void)end;
    int first_word = 1;
    for (int i = 0; i < start; i++) {
        if (rl_line_buffer[i] != ' ' && rl_line_buffer[i] != '\t') { first_word = 0; break; }
    }
    active_words = first_word ? command_words : other_words;
    active_count = first_word ? command_word_count : other_word_count;
    rl_attempted_completion_over = 1;
    return rl_completion_matches(text, generate);
}

void repl_readline_configure(const char *name, const char *const *commands, int command_count,
                             const char *const *words, int word_count) {
    rl_readline_name = strdup(name);
    rl_variable_bind("enable-bracketed-paste", "off");
    command_words = copy_words(commands, command_count);
    command_word_count = command_count;
    other_words = copy_words(words, word_count);
    other_word_count = word_count;
    rl_completer_word_break_characters = " \t";
    rl_attempted_completion_function = complete;
    rl_catch_signals = 0;
}

static void on_interrupt(int signal_number) {
    (void)signal_number;
    interrupted = 1;
    if (in_readline) {
        (void)write(STDOUT_FILENO, "^C\n", 3);
        rl_on_new_line();
        rl_replace_line("", 0);
        rl_redisplay();
    }
}

void repl_install_interrupt_handler(void) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = on_interrupt;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, NULL);
}

void repl_set_in_readline(int active) { in_readline = active; }

int repl_take_interrupt(void) {
    int was = interrupted;
    interrupted = 0;
    return was;
}
