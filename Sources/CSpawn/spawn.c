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

/* vfork: the child borrows the parent's memory until exec, so starting a trainer does not copy the runner's
   page tables (fork of a large multithreaded process costs milliseconds). Between vfork and exec the child only
   makes system calls that touch its own state (process group, death signal, signal mask and dispositions,
   descriptors, directory), then execs or _exits; it never returns from this frame. */
pid_t ablate_spawn(const char *file, char *const argv[], char *const envp[], const char *cwd, int out_fd,
                   int err_fd, int *error) {
  int report[2];
  if (pipe2(report, O_CLOEXEC) != 0) {
    *error = errno;
    return -1;
  }
  pid_t parent = getpid();
  pid_t pid = vfork();
  if (pid < 0) {
    *error = errno;
    close(report[0]);
    close(report[1]);
    return -1;
  }
  if (pid == 0) {
    int failure;
    setpgid(0, 0);
#ifdef __linux__
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(127);
#endif
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    signal(SIGPIPE, SIG_DFL);
    int null_fd = open("/dev/null", O_RDONLY);
    if (null_fd >= 0) dup2(null_fd, 0);
    if (out_fd >= 0) dup2(out_fd, 1);
    if (err_fd >= 0) dup2(err_fd, 2);
    if (cwd && chdir(cwd) != 0) {
      failure = errno;
      (void)!write(report[1], &failure, sizeof failure);
      _exit(127);
    }
    execvpe(file, argv, envp);
    failure = errno;
    (void)!write(report[1], &failure, sizeof failure);
    _exit(127);
  }
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

int ablate_exited(int status) { return WIFEXITED(status); }
int ablate_exit_code(int status) { return WEXITSTATUS(status); }
int ablate_signaled(int status) { return WIFSIGNALED(status); }
int ablate_term_signal(int status) { return WTERMSIG(status); }
