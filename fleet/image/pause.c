/*
 * The pause process of the fleet's pod sandboxes: holds the pod's namespaces, reaps the
 * children it inherits, and exits on SIGTERM or SIGINT. Built statically (gcc -static), so
 * its image holds this one file.
 */
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

static void stop(int sig) {
  (void)sig;
  _exit(0);
}

static void reap(int sig) {
  (void)sig;
  while (waitpid(-1, 0, WNOHANG) > 0) {
  }
}

int main(void) {
  signal(SIGTERM, stop);
  signal(SIGINT, stop);
  signal(SIGCHLD, reap);
  for (;;) pause();
}
