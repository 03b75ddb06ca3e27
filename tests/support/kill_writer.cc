// kill_writer: SIGKILLs a tool at points spread over a complete run of it,
// and checks that the file it writes is always either the previous version
// or the complete new one (never a part of one), and that no temporary file
// is left once the tool has run again.
//
// Usage: kill_writer [--same-size] FILE -- COMMAND ARGS...
//   1. FILE is set to a "previous version"; COMMAND runs to completion
//      (exit 0) and takes T seconds; its FILE is the complete version, and
//      the names in FILE's directory are the run's normal outputs.
//   2. For each fraction f of T (0.2 to 1.05, denser near the end, where
//      the writes are): FILE is reset to the previous version, COMMAND (and
//      its children: its own process group) is killed at f T, and FILE
//      must be the previous version or the complete one (--same-size: of
//      the complete one's size, for outputs with timings in them).
//   3. COMMAND runs once more; the directory must hold the normal outputs
//      and nothing else.
// Exit status 0 if every check holds, 1 otherwise (one line per failure),
// 2 on bad usage.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace {

namespace fs = std::filesystem;

std::string Slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

void Put(const fs::path& p, const std::string& bytes) {
  std::ofstream(p, std::ios::binary | std::ios::trunc) << bytes;
}

std::set<std::string> Names(const fs::path& dir) {
  std::set<std::string> names;
  for (const auto& e : fs::directory_iterator(dir)) {
    names.insert(e.path().filename().string());
  }
  return names;
}

// Starts the command in its own process group; returns its pid.
pid_t Start(char** argv) {
  std::fflush(stdout);  // else the child writes the parent's buffer again
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::setpgid(0, 0);
    std::freopen("/dev/null", "w", stdout);
    std::freopen("/dev/null", "w", stderr);
    ::execvp(argv[0], argv);
    std::_Exit(127);
  }
  ::setpgid(pid, pid);
  return pid;
}

int Wait(pid_t pid) {
  int status = 0;
  ::waitpid(pid, &status, 0);
  return status;
}

}  // namespace

int main(int argc, char** argv) {
  int arg = 1;
  bool same_size = false;
  if (arg < argc && std::strcmp(argv[arg], "--same-size") == 0) {
    same_size = true;
    ++arg;
  }
  if (argc - arg < 3 || std::strcmp(argv[arg + 1], "--") != 0) {
    std::fprintf(stderr,
                 "kill_writer: error: usage: kill_writer [--same-size] FILE "
                 "-- COMMAND ARGS...\n");
    return 2;
  }
  const fs::path file = fs::absolute(argv[arg]);
  char** command = argv + arg + 2;
  const fs::path dir = file.parent_path();
  fs::create_directories(dir);
  const std::string previous = "the previous version\n";
  Put(file, previous);

  const auto t0 = std::chrono::steady_clock::now();
  const int status = Wait(Start(command));
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0)
          .count();
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::fprintf(stderr, "kill_writer: error: the complete run failed\n");
    return 1;
  }
  const std::string complete = Slurp(file);
  const std::set<std::string> outputs = Names(dir);
  if (complete == previous) {
    std::fprintf(stderr, "kill_writer: error: the run did not write %s\n",
                 file.c_str());
    return 1;
  }
  std::printf("complete run: %.2f s, %zu bytes\n", seconds, complete.size());

  int failures = 0;
  for (const double f :
       {0.2, 0.5, 0.7, 0.8, 0.85, 0.9, 0.93, 0.96, 0.98, 1.0, 1.02, 1.05}) {
    Put(file, previous);
    const pid_t pid = Start(command);
    std::this_thread::sleep_for(std::chrono::duration<double>(f * seconds));
    ::kill(-pid, SIGKILL);
    const int st = Wait(pid);
    const std::string now = Slurp(file);
    const bool whole = now == previous || now == complete ||
                       (same_size && now.size() == complete.size());
    std::printf("killed at %.2f T (%s): %s\n", f,
                WIFSIGNALED(st) ? "while running" : "after it finished",
                now == previous ? "previous version" : "new version");
    if (!whole) {
      std::fprintf(stderr,
                   "kill_writer: error: killed at %.2f T, %s holds %zu bytes, "
                   "neither version\n",
                   f, file.c_str(), now.size());
      ++failures;
    }
  }
  // The kills may have left temporaries with dead writers' pids in their
  // names; the next run's writes remove them.
  if (const int st = Wait(Start(command));
      !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
    std::fprintf(stderr, "kill_writer: error: the final run failed\n");
    return 1;
  }
  for (const std::string& name : Names(dir)) {
    if (!outputs.count(name)) {
      std::fprintf(stderr, "kill_writer: error: %s left behind\n",
                   name.c_str());
      ++failures;
    }
  }
  return failures == 0 ? 0 : 1;
}
