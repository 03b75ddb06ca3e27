#include "chapters/common/files.h"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <fstream>

namespace ffnn::chapters {
namespace {

// Writes all of `content` to fd; false on any error.
bool WriteAll(int fd, std::string_view content) {
  while (!content.empty()) {
    const ssize_t n = ::write(fd, content.data(), content.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    content.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

// Removes "<name>.tmp.<pid>" files next to `path` whose process is gone: a
// writer killed between naming its temporary file and renaming it.
void RemoveStaleTemporaries(const std::filesystem::path& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path dir = path.has_parent_path() ? path.parent_path() : ".";
  const std::string prefix = path.filename().string() + ".tmp.";
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end;
       it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.rfind(prefix, 0) != 0) continue;
    const std::string pid = name.substr(prefix.size());
    if (pid.empty() || pid.find_first_not_of("0123456789") != pid.npos ||
        pid.size() > 9) {
      continue;
    }
    if (::kill(static_cast<pid_t>(std::stol(pid)), 0) != 0 && errno == ESRCH) {
      std::error_code ignored;
      fs::remove(it->path(), ignored);
    }
  }
}

}  // namespace

void WriteFileAtomically(const std::string& path, std::string_view content) {
  namespace fs = std::filesystem;
  const std::string tmp =
      path + ".tmp." + std::to_string(static_cast<long>(::getpid()));
  std::error_code ec;
  RemoveStaleTemporaries(path);
  // An unnamed file in the target's directory (O_TMPFILE): a process killed
  // while writing it leaves nothing behind. It gets a name (tmp) only when
  // complete, and the rename follows at once.
  const fs::path parent = fs::path(path).parent_path();
  const std::string dir = parent.empty() ? "." : parent.string();
  const int fd = ::open(dir.c_str(), O_TMPFILE | O_WRONLY | O_CLOEXEC, 0644);
  bool named = false;
  if (fd >= 0) {
    const bool written = WriteAll(fd, content);
    const std::string self = "/proc/self/fd/" + std::to_string(fd);
    named = written && ::linkat(AT_FDCWD, self.c_str(), AT_FDCWD, tmp.c_str(),
                                AT_SYMLINK_FOLLOW) == 0;
    ::close(fd);
    if (!written) throw FileError(path + ": write failed (disk full?)");
  }
  if (!named) {
    // No O_TMPFILE here (or no /proc to link it through): a named
    // temporary file.
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) throw FileError(path + ": cannot create " + tmp);
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
    out.flush();
    if (!out) {
      out.close();
      fs::remove(tmp, ec);
      throw FileError(path + ": write failed (disk full?)");
    }
  }
  fs::rename(tmp, path, ec);
  if (ec) {
    fs::remove(tmp, ec);
    throw FileError(path + ": cannot rename the temporary file into place");
  }
}

}  // namespace ffnn::chapters
