// Scratch files for the tests: a fresh temporary directory, removed at the
// end of the test.
#ifndef FFNN_TESTS_SUPPORT_FILES_H_
#define FFNN_TESTS_SUPPORT_FILES_H_

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

namespace ffnn::testing {

// The bytes of a file ("" if it cannot be read).
inline std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

struct TempDir {
  std::filesystem::path path;
  explicit TempDir(const std::string& name)
      : path(std::filesystem::temp_directory_path() /
             (name + "." + std::to_string(::getpid()))) {
    std::filesystem::remove_all(path);
    std::filesystem::create_directories(path);
  }
  ~TempDir() { std::filesystem::remove_all(path); }
  // Writes `bytes` to <path>/<file>; returns that path.
  std::string Write(const std::string& file, const std::string& bytes) const {
    std::ofstream(path / file, std::ios::binary) << bytes;
    return (path / file).string();
  }
};

}  // namespace ffnn::testing

#endif  // FFNN_TESTS_SUPPORT_FILES_H_
