// Files the tools write: atomically, so that an interrupted run never leaves
// a half-written model or corpus behind.
#ifndef FFNN_CHAPTERS_COMMON_FILES_H_
#define FFNN_CHAPTERS_COMMON_FILES_H_

#include <stdexcept>
#include <string>
#include <string_view>

namespace ffnn::chapters {

struct FileError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Writes `content` to `path` through a temporary file in the same directory
// and a rename: readers see the old file or the new one, never a part. The
// temporary file is unnamed while it is written (O_TMPFILE, where the file
// system has it), so a process killed mid-write leaves no file behind; one
// killed in the instant between naming it and the rename leaves
// "<path>.tmp.<pid>", which the next write of `path` removes.
// Throws FileError "<path>: <why>" on failure (the temporary is removed).
void WriteFileAtomically(const std::string& path, std::string_view content);

}  // namespace ffnn::chapters

#endif  // FFNN_CHAPTERS_COMMON_FILES_H_
