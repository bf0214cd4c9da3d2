// Runs a command under a fresh Xvfb, as `xvfb-run -a` does, but safe when tests run in parallel:
//  - Xvfb picks a free display number itself (-displayfd: it takes the display's lock file
//    atomically), where xvfb-run -a looks for a free number first and races with its neighbours;
//  - no authority file in a temporary directory (xvfb-run's clean-up of it fails under load,
//    exit 5, and then leaves its Xvfb running): the server listens on its local socket only;
//  - the server is always stopped and waited for, whatever happens to the command, and dies with
//    this process if it is killed (a test's timeout): no Xvfb is ever left behind.
//
//   viz_xvfb_exec WxHxDEPTH COMMAND [ARGS...]
//
// Exit code: the command's (128 + signal if it was killed); 125 when Xvfb cannot be started.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace {

constexpr int kCannotStart = 125;
constexpr int kStartTimeoutMs = 60000;  // Xvfb starts in well under a second, but the machine may be loaded

// The children, for the signal handler: a signal to this process goes on to the command, and the
// server is stopped once the command is gone.
volatile sig_atomic_t g_command = 0;

void forward(int sig) {
    if (g_command > 0) kill(pid_t(g_command), sig);
}

// In a child: die with the parent (a test killed at its timeout takes its server along).
void die_with_parent(pid_t parent) {
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(127);  // the parent was already gone
}

// The display number Xvfb writes on `fd` once it accepts connections; -1 if it does not.
int read_display(int fd) {
    std::string text;
    char buf[32];
    for (;;) {
        pollfd p{fd, POLLIN, 0};
        int ready = poll(&p, 1, kStartTimeoutMs);
        if (ready < 0 && errno == EINTR) continue;
        if (ready <= 0) return -1;
        ssize_t n = read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return -1;
        text.append(buf, size_t(n));
        if (text.find('\n') != std::string::npos) return std::atoi(text.c_str());
    }
}

// Stops the server and waits for it (SIGKILL if it does not go within two seconds).
void stop(pid_t server) {
    kill(server, SIGTERM);
    for (int i = 0; i < 200; ++i) {
        if (waitpid(server, nullptr, WNOHANG) == server) return;
        usleep(10000);
    }
    kill(server, SIGKILL);
    waitpid(server, nullptr, 0);
}

int exit_code(int status) {
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
    return kCannotStart;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 3) {
        std::fprintf(stderr, "usage: %s WxHxDEPTH COMMAND [ARGS...]\n", argv[0]);
        return 2;
    }
    pid_t self = getpid();
    int pipe_fds[2];
    if (pipe(pipe_fds) != 0) {
        std::perror("pipe");
        return kCannotStart;
    }
    pid_t server = fork();
    if (server < 0) {
        std::perror("fork");
        return kCannotStart;
    }
    if (server == 0) {
        die_with_parent(self);
        close(pipe_fds[0]);
        int null = open("/dev/null", O_RDWR);  // Xvfb's warnings (xkbcomp, fonts) are noise here
        if (null >= 0) {
            dup2(null, STDIN_FILENO);
            dup2(null, STDOUT_FILENO);
            dup2(null, STDERR_FILENO);
        }
        std::string fd = std::to_string(pipe_fds[1]);
        execlp("Xvfb", "Xvfb", "-displayfd", fd.c_str(), "-nolisten", "tcp", "-screen", "0", argv[1], static_cast<char*>(nullptr));
        _exit(127);
    }
    close(pipe_fds[1]);
    int display = read_display(pipe_fds[0]);
    close(pipe_fds[0]);
    if (display < 0) {
        std::fprintf(stderr, "%s: Xvfb did not start\n", argv[0]);
        stop(server);
        return kCannotStart;
    }

    struct sigaction action {};
    action.sa_handler = forward;
    sigemptyset(&action.sa_mask);
    for (int sig : {SIGTERM, SIGINT, SIGHUP}) sigaction(sig, &action, nullptr);
    pid_t command = fork();
    if (command < 0) {
        std::perror("fork");
        stop(server);
        return kCannotStart;
    }
    if (command == 0) {
        die_with_parent(self);
        std::string value = ":" + std::to_string(display);
        setenv("DISPLAY", value.c_str(), 1);
        unsetenv("XAUTHORITY");
        execvp(argv[2], argv + 2);
        std::fprintf(stderr, "%s: cannot run %s: %s\n", argv[0], argv[2], std::strerror(errno));
        _exit(127);
    }
    g_command = command;
    int status = 0;
    while (waitpid(command, &status, 0) < 0 && errno == EINTR) {}
    g_command = 0;
    stop(server);
    return exit_code(status);
}
