// Files the tools write: atomically, so that an interrupted run never leaves
// a half-written model or corpus behind; several files together or none;
// and never over one of the tool's own inputs.
#ifndef FFNN_CHAPTERS_COMMON_FILES_H_
#define FFNN_CHAPTERS_COMMON_FILES_H_

#include <cstdint>
#include <functional>
#include <iosfwd>
#include <memory>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ffnn::chapters {

struct FileError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// One output file, written through a temporary file in the same directory
// and a rename: readers see the old file or the new one, never a part. The
// temporary file is unnamed while it is written (O_TMPFILE, where the file
// system has it), so a process killed mid-write leaves no file behind; one
// killed in the instant between naming it and the rename leaves
// "<path>.tmp.<pid>", which the next write of `path` removes.
//
// A path that is a symbolic link is written through to its target. An
// existing path that is not a regular file (a device such as /dev/null, a
// pipe) is written into as it is, never replaced by a regular file.
//
// Nothing appears at `path` until Commit(); a file destroyed uncommitted
// (an exception on the way) leaves no trace. Every method throws FileError
// "<path>: <why>".
class AtomicFile {
 public:
  explicit AtomicFile(const std::string& path);
  AtomicFile(AtomicFile&&) noexcept;
  AtomicFile& operator=(AtomicFile&&) noexcept;
  ~AtomicFile();

  void Write(std::string_view bytes);  // buffered
  void Commit();
  const std::string& path() const;

 private:
  friend void CommitTogether(std::span<AtomicFile> files);
  struct State;
  std::unique_ptr<State> state_;
};

// Commits several files all together or not at all: every temporary file is
// completed and named first (any failure discards them all and no output
// changes), then each is renamed into place; should a rename still fail,
// the outputs renamed before it get their previous contents back. (A
// process killed between two renames can leave some outputs new and some
// old: no rename of several files is atomic on POSIX.)
void CommitTogether(std::span<AtomicFile> files);

// Writes `content` to `path` as one AtomicFile.
void WriteFileAtomically(const std::string& path, std::string_view content);

// Writes every (path, content) pair, all together or not at all
// (CommitTogether).
void WriteFilesAtomically(
    const std::vector<std::pair<std::string, std::string>>& files);

// A file a tool reads or writes, with the option that named it, for the
// messages: {"corpus.txt", "-train"}.
struct NamedPath {
  std::string path;
  std::string option;
  // For outputs: the directory may be missing and is created by the tool
  // (nplm corpus --out DIR); the nearest existing ancestor must then be a
  // writable directory.
  bool parent_created = false;
};

// The bytes of a regular file of at most max_bytes; throws InputError
// (errors.h) "<path>: ..." for a missing, unreadable or larger file, a
// directory, a device or a pipe.
std::string ReadFileBounded(const std::string& path, std::uintmax_t max_bytes);

// Calls on_line(line_no, line) for every line (from 1) of a file read by
// ReadFileBounded and checked to be UTF-8, CRLF endings allowed (the '\r'
// is not part of the line); returns the number of lines.
std::size_t ForEachLine(
    const std::string& path, std::uintmax_t max_bytes,
    const std::function<void(std::size_t, std::string_view)>& on_line);

// At most max_bytes + 1 bytes of a stream (stdin, a pipe or a device such
// as /dev/zero never ends): one byte more than allowed tells the caller the
// input is too large, without reading the rest.
std::string ReadAtMost(std::istream& in, std::size_t max_bytes);

// Whether `path` (through its links) is an existing file that is neither a
// regular file nor a directory: a device or a pipe, which writes go into.
bool IsDeviceOrPipe(const std::string& path);

// Checked before any work, so that a run that would end by destroying an
// input, or by failing to write its result, does not start. Throws
// FileError naming the output and its option when
// - an output is one of the inputs (the same file, however it is reached:
//   the same path, a symbolic or a hard link), or is a file inside an input
//   that is a directory;
// - an output's path is empty;
// - two outputs are the same file (a device or a pipe may take several);
// - an output is a directory;
// - an output cannot be written: its directory is missing, not a directory
//   or not writable; or, for an existing file that is not a regular file (a
//   device, a pipe), the file itself is not writable.
void CheckOutputs(std::span<const NamedPath> outputs,
                  std::span<const NamedPath> inputs);

}  // namespace ffnn::chapters

#endif  // FFNN_CHAPTERS_COMMON_FILES_H_
