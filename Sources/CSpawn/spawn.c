#define _GNU_SOURCE
#include "CSpawn.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

/* Each trainer runs under a supervisor: a child of the runner, forked (not exec'd), that owns the trainer's
   whole process tree. It is a subreaper (PR_SET_CHILD_SUBREAPER), so every descendant that is orphaned,
   including one that left the trainer's group and session by setsid, becomes its child instead of init's.
   When the trainer ends, or the runner asks (SIGUSR1), or the runner dies (PR_SET_PDEATHSIG delivers SIGUSR1),
   it SIGKILLs the trainer's group and then every child it has, round after round, until it has none; then it
   ends the way the trainer ended (same exit code, or the same signal), so the runner reads the trainer's own
   status. SIGTERM and SIGINT sent to the supervisor are relayed to the trainer's group.

   The supervisor is forked from a multithreaded process, so it makes only async-signal-safe calls: no malloc,
   no stdio, no locks; /proc is read with open/read. */

static volatile sig_atomic_t trainer_pid = 0;
static volatile sig_atomic_t kill_now = 0;

static void relay(int sig) {
  if (trainer_pid > 0) kill(-trainer_pid, sig);
}

/* Also kills the trainer's group at once, so a request that lands just before waitpid cannot be missed. */
static void request_kill(int sig) {
  (void)sig;
  kill_now = 1;
  if (trainer_pid > 0) kill(-trainer_pid, SIGKILL);
}

/* Closes every descriptor but stdin/out/err and `keep` (three, ascending): a supervisor forked while another
   thread's spawn has its report pipe open must not hold that pipe (fork, unlike exec, keeps O_CLOEXEC ones). */
static void close_others(const int keep[3]) {
  unsigned int from = 3;
  for (int k = 0; k <= 3; k++) {
    unsigned int to = k < 3 ? (unsigned int)keep[k] : ~0U;
    if (k < 3 && (keep[k] < 3 || (unsigned int)keep[k] < from)) continue;
    if (to > from) {
#if defined(__linux__) && defined(SYS_close_range)
      if (syscall(SYS_close_range, from, to - 1, 0) != 0)
#endif
      {
        unsigned int last = to - 1 < 4096 ? to - 1 : 4095;
        for (unsigned int fd = from; fd <= last; fd++) close((int)fd);
      }
    }
    if (k < 3) from = (unsigned int)keep[k] + 1;
  }
}

/* Writes "/proc/self/task/<pid>/children" into buf without snprintf (not async-signal-safe). */
static void children_path(char *buf, pid_t self) {
  const char *head = "/proc/self/task/";
  char digits[16];
  int n = 0;
  do {
    digits[n++] = (char)('0' + self % 10);
    self /= 10;
  } while (self > 0);
  char *p = buf;
  while (*head) *p++ = *head++;
  while (n > 0) *p++ = digits[--n];
  const char *tail = "/children";
  while (*tail) *p++ = *tail++;
  *p = 0;
}

/* SIGKILLs every current child (Linux lists them in /proc/self/task/<tid>/children); returns how many. */
static int kill_children(const char *path) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return 0;
  char buf[4096];
  int killed = 0;
  long pid = 0;
  int in_number = 0;
  ssize_t got;
  while ((got = read(fd, buf, sizeof buf)) > 0) {
    for (ssize_t i = 0; i < got; i++) {
      if (buf[i] >= '0' && buf[i] <= '9') {
        pid = pid * 10 + (buf[i] - '0');
        in_number = 1;
      } else if (in_number) {
        if (kill((pid_t)pid, SIGKILL) == 0) killed++;
        pid = 0;
        in_number = 0;
      }
    }
  }
  if (in_number && kill((pid_t)pid, SIGKILL) == 0) killed++;
  close(fd);
  return killed;
}

/* Kills the trainer's tree until the supervisor has no child left; keeps the trainer's status. */
static void kill_tree(pid_t trainer, int *trainer_status, int *trainer_done) {
  char path[64];
  children_path(path, getpid());
  kill(-trainer, SIGKILL);
  if (!*trainer_done) kill(trainer, SIGKILL);
  struct timespec slice = {0, 1000000};
  for (int round = 0; round < 10000; round++) {
    int killed = kill_children(path);
    int status;
    pid_t done;
    while ((done = waitpid(-1, &status, WNOHANG)) > 0) {
      if (done == trainer && !*trainer_done) {
        *trainer_status = status;
        *trainer_done = 1;
      }
    }
    if (done < 0 && errno == ECHILD) return;
    if (killed == 0) nanosleep(&slice, NULL);
  }
}

static void supervise(const char *file, char *const argv[], char *const envp[], const char *cwd, int out_fd,
                      int err_fd, int report_fd, pid_t runner) {
  setpgid(0, 0);
  int keep[3] = {out_fd, err_fd, report_fd};
  for (int a = 0; a < 3; a++)
    for (int b = a + 1; b < 3; b++)
      if (keep[b] < keep[a]) {
        int t = keep[a];
        keep[a] = keep[b];
        keep[b] = t;
      }
  close_others(keep);
  struct sigaction action;
  memset(&action, 0, sizeof action);
  sigemptyset(&action.sa_mask);
  action.sa_handler = request_kill;
  sigaction(SIGUSR1, &action, NULL);
  action.sa_handler = relay;
  sigaction(SIGTERM, &action, NULL);
  sigaction(SIGINT, &action, NULL);
  signal(SIGPIPE, SIG_DFL);
#ifdef __linux__
  prctl(PR_SET_CHILD_SUBREAPER, 1);
  prctl(PR_SET_PDEATHSIG, SIGUSR1);
  if (getppid() != runner) kill_now = 1;
#endif
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, NULL);

  pid_t self = getpid();
  pid_t trainer = fork();
  if (trainer < 0) {
    int failure = errno;
    (void)!write(report_fd, &failure, sizeof failure);
    _exit(127);
  }
  if (trainer == 0) {
    int failure;
    setpgid(0, 0);
#ifdef __linux__
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != self) _exit(127);
#endif
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    signal(SIGUSR1, SIG_DFL);
    int null_fd = open("/dev/null", O_RDONLY);
    if (null_fd >= 0) dup2(null_fd, 0);
    if (out_fd >= 0) dup2(out_fd, 1);
    if (err_fd >= 0) dup2(err_fd, 2);
    if (cwd && chdir(cwd) != 0) {
      failure = errno;
      (void)!write(report_fd, &failure, sizeof failure);
      _exit(127);
    }
    execvpe(file, argv, envp);
    failure = errno;
    (void)!write(report_fd, &failure, sizeof failure);
    _exit(127);
  }
  setpgid(trainer, trainer); /* both sides set it, so a signal relayed at once finds the group */
  trainer_pid = trainer;
  close(report_fd);
  if (out_fd >= 0) close(out_fd);
  if (err_fd >= 0) close(err_fd);

  int trainer_status = 0, trainer_done = 0;
  while (!trainer_done && !kill_now) {
    int status;
    pid_t done = waitpid(-1, &status, 0);
    if (done == trainer) {
      trainer_status = status;
      trainer_done = 1;
    } else if (done < 0 && errno == ECHILD) {
      break;
    }
  }
  kill_tree(trainer, &trainer_status, &trainer_done);
  if (!trainer_done) _exit(127);
  if (WIFEXITED(trainer_status)) _exit(WEXITSTATUS(trainer_status));
  int sig = WTERMSIG(trainer_status);
  signal(sig, SIG_DFL);
  sigprocmask(SIG_SETMASK, &none, NULL);
  raise(sig);
  _exit(128 + sig);
}

pid_t ablate_spawn(const char *file, char *const argv[], char *const envp[], const char *cwd, int out_fd,
                   int err_fd, int *error) {
  int report[2];
  if (pipe2(report, O_CLOEXEC) != 0) {
    *error = errno;
    return -1;
  }
  pid_t parent = getpid();
  pid_t pid = fork();
  if (pid < 0) {
    *error = errno;
    close(report[0]);
    close(report[1]);
    return -1;
  }
  if (pid == 0) {
    close(report[0]);
    supervise(file, argv, envp, cwd, out_fd, err_fd, report[1], parent);
  }
  setpgid(pid, pid);
  close(report[1]);
  int failure = 0;
  ssize_t got;
  do {
    got = read(report[0], &failure, sizeof failure);
  } while (got < 0 && errno == EINTR);
  close(report[0]);
  if (got == (ssize_t)sizeof failure) {
    int status;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    *error = failure;
    return -1;
  }
  return pid;
}

int ablate_stop_tree(pid_t supervisor) { return kill(supervisor, SIGUSR1); }

int ablate_wait(pid_t pid, int timeout_ms, int *status) {
  pid_t done = waitpid(pid, status, WNOHANG);
  if (done == pid) return 1;
  if (done < 0 && errno != EINTR) return -1;
#if defined(__linux__) && defined(SYS_pidfd_open)
  int fd = (int)syscall(SYS_pidfd_open, pid, 0);
  if (fd >= 0) {
    struct pollfd p = {.fd = fd, .events = POLLIN};
    int ready = poll(&p, 1, timeout_ms);
    close(fd);
    if (ready > 0) {
      done = waitpid(pid, status, 0);
      return done == pid ? 1 : -1;
    }
    done = waitpid(pid, status, WNOHANG);
    return done == pid ? 1 : 0;
  }
#endif
  struct timespec slice = {0, 1000000};
  for (int waited = 0; waited < timeout_ms; waited++) {
    nanosleep(&slice, NULL);
    done = waitpid(pid, status, WNOHANG);
    if (done == pid) return 1;
    if (done < 0 && errno != EINTR) return -1;
  }
  return 0;
}

static volatile sig_atomic_t stop_signal = 0;

static void record_stop(int sig) { stop_signal = sig; }

void ablate_install_stop_handlers(void) {
  struct sigaction action;
  memset(&action, 0, sizeof action);
  action.sa_handler = record_stop;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, NULL);
  sigaction(SIGTERM, &action, NULL);
  /* A parent may hand us these signals blocked (test runners, some shells); a blocked stop signal would
     stay pending forever and the sweep would never stop. */
  sigset_t stops;
  sigemptyset(&stops);
  sigaddset(&stops, SIGINT);
  sigaddset(&stops, SIGTERM);
  pthread_sigmask(SIG_UNBLOCK, &stops, NULL);
}

int ablate_stop_signal(void) { return stop_signal; }

static volatile sig_atomic_t warning_signal = 0;

static void record_warning(int sig) { warning_signal = sig; }

void ablate_install_warning_handler(int sig) {
  struct sigaction action;
  memset(&action, 0, sizeof action);
  action.sa_handler = record_warning;
  sigemptyset(&action.sa_mask);
  sigaction(sig, &action, NULL);
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, sig);
  pthread_sigmask(SIG_UNBLOCK, &set, NULL);
}

int ablate_warning_signal(void) { return warning_signal; }

int ablate_exited(int status) { return WIFEXITED(status); }
int ablate_exit_code(int status) { return WEXITSTATUS(status); }
int ablate_signaled(int status) { return WIFSIGNALED(status); }
int ablate_term_signal(int status) { return WTERMSIG(status); }
