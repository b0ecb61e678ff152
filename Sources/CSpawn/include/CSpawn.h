#pragma once
#include <sys/types.h>

/* Starts `file` (searched in PATH when it has no slash) with `argv` and `envp` in `cwd`, in a new process group,
   stdin from /dev/null, stdout/stderr to the given descriptors. On Linux the child is killed if the calling
   thread exits (PR_SET_PDEATHSIG), so a runner killed with SIGKILL leaves no trainer behind.
   Returns the pid, or -1 with *error set to the errno of the failed step (exec failures included). */
pid_t ablate_spawn(const char *file, char *const argv[], char *const envp[], const char *cwd, int out_fd,
                   int err_fd, int *error);

/* Waits up to timeout_ms for `pid` to end. Returns 1 and its wait status in *status when it ended,
   0 on timeout, -1 on error. */
int ablate_wait(pid_t pid, int timeout_ms, int *status);

/* Installs SIGINT/SIGTERM handlers that only record the signal; `ablate_stop_signal` returns it (0: none). */
void ablate_install_stop_handlers(void);
int ablate_stop_signal(void);

/* Helpers for wait statuses, which are macros in C. */
int ablate_exited(int status);
int ablate_exit_code(int status);
int ablate_signaled(int status);
int ablate_term_signal(int status);
