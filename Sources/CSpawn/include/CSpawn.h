#pragma once
#include <sys/types.h>

/* Starts `file` (searched in PATH when it has no slash) with `argv` and `envp` in `cwd`, stdin from /dev/null,
   stdout/stderr to the given descriptors, under a supervisor that owns its whole process tree (spawn.c):
   when the trainer ends, when `ablate_stop_tree` asks, or when the calling thread exits (the runner was
   killed), every descendant is killed, setsid'd ones included, before the supervisor ends with the trainer's
   own exit status. SIGTERM/SIGINT sent to the returned pid are relayed to the trainer's process group.
   Returns the supervisor's pid, or -1 with *error set to the errno of the failed step (exec failures
   included). */
pid_t ablate_spawn(const char *file, char *const argv[], char *const envp[], const char *cwd, int out_fd,
                   int err_fd, int *error);

/* Asks a supervisor to kill its trainer's whole tree now (SIGUSR1). */
int ablate_stop_tree(pid_t supervisor);

/* Waits up to timeout_ms for `pid` to end. Returns 1 and its wait status in *status when it ended,
   0 on timeout, -1 on error. */
int ablate_wait(pid_t pid, int timeout_ms, int *status);

/* Installs SIGINT/SIGTERM handlers that only record the signal; `ablate_stop_signal` returns it (0: none). */
void ablate_install_stop_handlers(void);
int ablate_stop_signal(void);

/* Records `sig` (Slurm's --signal=B:USR1 warning before a time limit) without stopping; a handler, not an
   ignored disposition, so children started later get the default action back at exec. */
void ablate_install_warning_handler(int sig);
int ablate_warning_signal(void);

/* Helpers for wait statuses, which are macros in C. */
int ablate_exited(int status);
int ablate_exit_code(int status);
int ablate_signaled(int status);
int ablate_term_signal(int status);
