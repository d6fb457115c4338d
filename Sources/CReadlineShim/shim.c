#include "CReadlineShim.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <readline/readline.h>
#include <readline/history.h>

static repl_completion_provider provider = NULL;
static char **active_words = NULL;
static int active_count = 0;
static int active_capacity = 0;

static volatile sig_atomic_t interrupted = 0;
static volatile sig_atomic_t in_readline = 0;

void repl_completion_add(const char *word) {
    if (active_count == active_capacity) {
        active_capacity = active_capacity ? active_capacity * 2 : 64;
        active_words = realloc(active_words, (size_t)active_capacity * sizeof(char *));
    }
    active_words[active_count++] = strdup(word);
}

static char *generate(const char *text, int state) {
    static int index;
    (void)text;
    if (state == 0) index = 0;
    /* The provider already chose the candidates that start with the word being completed. */
    return index < active_count ? strdup(active_words[index++]) : NULL;
}

static char **complete(const char *text, int start, int end) {
    (void)end;
    for (int i = 0; i < active_count; i++) free(active_words[i]);
    active_count = 0;
    char *before = strndup(rl_line_buffer, (size_t)start);
    if (provider) provider(before, text);
    free(before);
    rl_attempted_completion_over = 1;
    /* A folder completes without a space after it, so that its contents can follow. */
    rl_completion_append_character = (active_count == 1 && active_words[0][strlen(active_words[0]) - 1] == '/') ? '\0' : ' ';
    return rl_completion_matches(text, generate);
}

void repl_readline_configure(const char *name, repl_completion_provider completion) {
    rl_readline_name = strdup(name);
    rl_variable_bind("enable-bracketed-paste", "off");
    provider = completion;
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
