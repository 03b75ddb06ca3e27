#include "chapters/common/files.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <istream>

#include "chapters/common/errors.h"
#include "chapters/common/text.h"

namespace ffnn::chapters {
namespace fs = std::filesystem;
namespace {

// Writes are gathered into blocks of this size: a streamed model or vector
// file never needs a second copy of itself in memory.
constexpr std::size_t kWriteBlock = std::size_t{1} << 20;

std::string Errno() { return std::strerror(errno); }

// Writes all of `content` to fd; false on any error (errno tells).
bool WriteAll(int fd, std::string_view content) {
  while (!content.empty()) {
    const ssize_t n = ::write(fd, content.data(), content.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      if (n == 0) errno = ENOSPC;
      return false;
    }
    content.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

std::string Pid() { return std::to_string(static_cast<long>(::getpid())); }

// Removes "<name>.tmp.<pid>" and "<name>.old.<pid>" files next to `path`
// whose process is gone: a writer killed between naming its temporary file
// and renaming it, or while it held a backup (CommitTogether).
void RemoveStaleTemporaries(const fs::path& path) {
  std::error_code ec;
  const fs::path dir = path.has_parent_path() ? path.parent_path() : ".";
  const std::string name = path.filename().string();
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end;
       it.increment(ec)) {
    const std::string entry = it->path().filename().string();
    std::string pid;
    for (const char* kind : {".tmp.", ".old."}) {
      if (entry.rfind(name + kind, 0) == 0) {
        pid = entry.substr(name.size() + 5);
      }
    }
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

// The file a write of `path` lands in: a symbolic link's target, followed
// link by link (a dangling link's target too, which the write creates).
std::string Target(const std::string& path) {
  fs::path p = path;
  std::error_code ec;
  for (int hops = 0; hops < 40; ++hops) {  // the kernel's own limit
    if (!fs::is_symlink(fs::symlink_status(p, ec))) return p.string();
    const fs::path to = fs::read_symlink(p, ec);
    if (ec) return p.string();
    p = to.is_absolute() ? to : p.parent_path() / to;
  }
  return p.string();
}

std::string DirectoryOf(const std::string& path) {
  const fs::path parent = fs::path(path).parent_path();
  return parent.empty() ? "." : parent.string();
}

}  // namespace

struct AtomicFile::State {
  std::string path;    // as given, for messages
  std::string target;  // where the bytes go (a link's target)
  std::string tmp;     // the temporary file's name, once it has one
  std::string buffer;
  int fd = -1;
  bool direct = false;  // writing into an existing device or pipe
  bool named = false;   // tmp exists on disk
  bool staged = false;
  bool committed = false;

  [[noreturn]] void Fail(const std::string& why) const {
    throw FileError(path + ": " + why);
  }
  void Flush() {
    if (!buffer.empty() && !WriteAll(fd, buffer)) {
      Fail("write failed: " + Errno());
    }
    buffer.clear();
  }
  void Close() {
    if (fd >= 0) ::close(fd);
    fd = -1;
  }
  // Completes the temporary file and gives it its name.
  void Stage() {
    if (staged) return;
    Flush();
    if (!direct && !named) {
      const std::string self = "/proc/self/fd/" + std::to_string(fd);
      if (::linkat(AT_FDCWD, self.c_str(), AT_FDCWD, tmp.c_str(),
                   AT_SYMLINK_FOLLOW) != 0) {
        Fail("cannot name the temporary file " + tmp + ": " + Errno());
      }
      named = true;
    }
    Close();
    staged = true;
  }
  void Publish() {
    if (!direct && ::rename(tmp.c_str(), target.c_str()) != 0) {
      Fail("cannot rename the temporary file into place: " + Errno());
    }
    named = false;
    committed = true;
  }
  // Drops the temporary file (an uncommitted file, or a failed commit).
  void Discard() {
    Close();
    if (named && !committed) ::unlink(tmp.c_str());
    named = false;
  }
  ~State() { Discard(); }
};

AtomicFile::AtomicFile(const std::string& path)
    : state_(std::make_unique<State>()) {
  State& s = *state_;
  s.path = path;
  s.target = Target(path);
  struct stat st;
  if (::stat(s.target.c_str(), &st) == 0) {
    if (S_ISDIR(st.st_mode)) s.Fail("is a directory");
    if (!S_ISREG(st.st_mode)) {
      // A device or a pipe: written into, never replaced by a file.
      s.fd = ::open(s.target.c_str(), O_WRONLY | O_CLOEXEC | O_NOCTTY);
      if (s.fd < 0) s.Fail("cannot open for writing: " + Errno());
      s.direct = true;
      return;
    }
  }
  RemoveStaleTemporaries(s.target);
  s.tmp = s.target + ".tmp." + Pid();
  const std::string dir = DirectoryOf(s.target);
  // An unnamed file in the target's directory (O_TMPFILE): a process killed
  // while writing it leaves nothing behind. It is named through /proc.
  if (::access("/proc/self/fd", X_OK) == 0) {
    s.fd = ::open(dir.c_str(), O_TMPFILE | O_WRONLY | O_CLOEXEC, 0644);
  }
  if (s.fd < 0) {  // no O_TMPFILE here: a named temporary file
    s.fd =
        ::open(s.tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (s.fd < 0) s.Fail("cannot create a file in " + dir + ": " + Errno());
    s.named = true;
  }
}

AtomicFile::AtomicFile(AtomicFile&&) noexcept = default;
AtomicFile& AtomicFile::operator=(AtomicFile&&) noexcept = default;
AtomicFile::~AtomicFile() = default;

const std::string& AtomicFile::path() const { return state_->path; }

void AtomicFile::Write(std::string_view bytes) {
  State& s = *state_;
  if (s.staged) s.Fail("written after it was committed");
  if (s.buffer.size() + bytes.size() > kWriteBlock) {
    s.Flush();
    if (bytes.size() > kWriteBlock) {
      if (!WriteAll(s.fd, bytes)) s.Fail("write failed: " + Errno());
      return;
    }
  }
  s.buffer.append(bytes);
}

void AtomicFile::Commit() {
  state_->Stage();
  state_->Publish();
}

void CommitTogether(std::span<AtomicFile> files) {
  // On any failure, no temporary file stays behind, whoever owns the files.
  auto discard = [&](std::size_t from) {
    for (std::size_t j = from; j < files.size(); ++j)
      files[j].state_->Discard();
  };
  try {
    for (AtomicFile& f : files) f.state_->Stage();  // nothing visible yet
  } catch (...) {
    discard(0);
    throw;
  }
  // A backup (hard link) of each output that exists, so that a failed
  // rename can put the earlier outputs back.
  std::vector<std::string> backups(files.size());
  for (std::size_t i = 0; i < files.size(); ++i) {
    const AtomicFile::State& s = *files[i].state_;
    if (s.direct) continue;
    const std::string old = s.target + ".old." + Pid();
    if (::link(s.target.c_str(), old.c_str()) == 0) backups[i] = old;
  }
  std::size_t done = 0;
  try {
    for (; done < files.size(); ++done) files[done].state_->Publish();
  } catch (...) {
    for (std::size_t j = 0; j < done; ++j) {
      const AtomicFile::State& s = *files[j].state_;
      if (s.direct) continue;
      if (!backups[j].empty()) {
        ::rename(backups[j].c_str(), s.target.c_str());
        backups[j].clear();
      } else {
        ::unlink(s.target.c_str());
      }
    }
    for (const std::string& b : backups) {
      if (!b.empty()) ::unlink(b.c_str());
    }
    discard(done);
    throw;
  }
  for (const std::string& b : backups) {
    if (!b.empty()) ::unlink(b.c_str());
  }
}

void WriteFileAtomically(const std::string& path, std::string_view content) {
  AtomicFile f(path);
  f.Write(content);
  f.Commit();
}

void WriteFilesAtomically(
    const std::vector<std::pair<std::string, std::string>>& files) {
  std::vector<AtomicFile> out;
  out.reserve(files.size());
  for (const auto& [path, content] : files) {
    out.emplace_back(path);
    out.back().Write(content);
  }
  CommitTogether(out);
}

// ---- Checking outputs before any work --------------------------------------

namespace {

struct FileId {
  dev_t dev;
  ino_t ino;
  bool operator==(const FileId&) const = default;
};

bool Identify(const std::string& path, FileId& id, struct stat& st) {
  if (::stat(path.c_str(), &st) != 0) return false;
  id = {st.st_dev, st.st_ino};
  return true;
}

std::string Describe(const NamedPath& p) {
  return p.option.empty() ? p.path : p.path + " (" + p.option + ")";
}

// Whether a new file can be created in `dir`: an unnamed temporary file is
// created and dropped there (a real test: root passes access() on a
// read-only file system, not this), else access() answers.
bool CanCreateIn(const std::string& dir) {
  const int fd = ::open(dir.c_str(), O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600);
  if (fd >= 0) {
    ::close(fd);
    return true;
  }
  if (errno == EACCES || errno == EROFS || errno == EPERM) return false;
  return ::access(dir.c_str(), W_OK | X_OK) == 0;
}

}  // namespace

bool IsDeviceOrPipe(const std::string& path) {
  struct stat st;
  return ::stat(Target(path).c_str(), &st) == 0 && !S_ISREG(st.st_mode) &&
         !S_ISDIR(st.st_mode);
}

namespace {

// Every input file with its description, a directory standing for the
// files in it ("<file> (in <dir> (--corpus-dir))").
std::vector<std::pair<FileId, std::string>> InputFiles(
    std::span<const NamedPath> inputs) {
  std::vector<std::pair<FileId, std::string>> input_files;
  for (const NamedPath& in : inputs) {
    FileId id;
    struct stat st;
    if (in.path.empty() || !Identify(in.path, id, st)) continue;
    if (!S_ISDIR(st.st_mode)) {
      input_files.emplace_back(id, Describe(in));
      continue;
    }
    std::error_code ec;
    for (fs::directory_iterator it(in.path, ec), end; !ec && it != end;
         it.increment(ec)) {
      FileId f;
      struct stat fst;
      if (Identify(it->path().string(), f, fst) && !S_ISDIR(fst.st_mode)) {
        input_files.emplace_back(
            f, it->path().string() + " (in " + Describe(in) + ")");
      }
    }
  }
  return input_files;
}

}  // namespace

void CheckOutputs(std::span<const NamedPath> outputs,
                  std::span<const NamedPath> inputs) {
  const auto input_files = InputFiles(inputs);
  std::vector<std::pair<FileId, std::string>> seen_outputs;
  for (const NamedPath& out : outputs) {
    const std::string what = Describe(out);
    if (out.path.empty())
      throw FileError(what + ": an empty path names no file");
    FileId id;
    struct stat st;
    if (Identify(out.path, id, st)) {
      if (S_ISDIR(st.st_mode)) {
        throw FileError(what + ": is a directory, not a file");
      }
      for (const auto& [in_id, in_what] : input_files) {
        if (id == in_id) {
          throw FileError(what + ": is the input " + in_what +
                          "; refusing to overwrite it");
        }
      }
      if (!S_ISREG(st.st_mode)) {  // written into as it is, by each output
        if (::access(out.path.c_str(), W_OK) != 0) {
          throw FileError(what + ": not writable: " + Errno());
        }
        continue;
      }
      for (const auto& [out_id, out_what] : seen_outputs) {
        if (id == out_id) {
          throw FileError(what + ": is also the output " + out_what);
        }
      }
      seen_outputs.emplace_back(id, what);
    } else {
      // Not there yet: the same name twice is the same output twice.
      std::error_code ec;
      const std::string name = fs::weakly_canonical(out.path, ec).string();
      for (const NamedPath& other : outputs) {
        if (&other == &out || ec || name.empty()) break;
        std::error_code other_ec;
        if (!other.path.empty() &&
            fs::weakly_canonical(other.path, other_ec).string() == name) {
          throw FileError(what + ": is also the output " + Describe(other));
        }
      }
    }
    // The directory the file goes into must take a new file.
    std::string dir = DirectoryOf(Target(out.path));
    std::error_code ec;
    if (out.parent_created) {
      while (!fs::exists(dir, ec)) {
        const fs::path up = fs::path(dir).parent_path();
        if (up == fs::path(dir)) break;  // "/"
        dir = up.empty() ? "." : up.string();
      }
    }
    if (!fs::exists(dir, ec)) {
      throw FileError(what + ": the directory " + dir + " does not exist");
    }
    if (!fs::is_directory(dir, ec)) {
      throw FileError(what + ": " + dir + " is not a directory");
    }
    if (!CanCreateIn(dir)) {
      throw FileError(what + ": cannot write into " + dir + ": " + Errno());
    }
  }
}

std::string ReadFileBounded(const std::string& where,
                            std::uintmax_t max_bytes) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::exists(where, ec)) throw InputError(where + ": " + "no such file");
  // Not a device (/dev/urandom never ends), a directory or a pipe.
  if (!fs::is_regular_file(where, ec))
    throw InputError(where + ": " + "not a regular file");
  const auto size = fs::file_size(where, ec);
  if (ec) throw InputError(where + ": " + "cannot read: " + ec.message());
  if (size > max_bytes) {
    throw InputError(where + ": " + "larger than " +
                     std::to_string(max_bytes >> 20) + " MiB");
  }
  std::ifstream in(where, std::ios::binary);
  if (!in) throw InputError(where + ": " + "cannot open");
  // Read into a string of the file's size: one copy of the file in memory,
  // not the two a stringstream holds while it grows.
  std::string bytes(static_cast<std::size_t>(size), '\0');
  in.read(bytes.data(), static_cast<std::streamsize>(size));
  bytes.resize(static_cast<std::size_t>(in.gcount()));
  if (in.bad()) throw InputError(where + ": " + "cannot read");
  return bytes;
}

std::size_t ForEachLine(
    const std::string& path, std::uintmax_t max_bytes,
    const std::function<void(std::size_t, std::string_view)>& on_line) {
  const std::string text = ReadFileBounded(path, max_bytes);
  CheckUtf8(text, path);
  std::size_t line_no = 0;
  for (std::size_t at = 0; at < text.size();) {
    const std::size_t end = std::min(text.find('\n', at), text.size());
    std::string_view line(text.data() + at, end - at);
    at = end + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    on_line(line_no, line);
  }
  return line_no;
}

std::string ReadAtMost(std::istream& in, std::size_t max_bytes) {
  std::string text(max_bytes + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<std::size_t>(in.gcount()));
  return text;
}

}  // namespace ffnn::chapters
