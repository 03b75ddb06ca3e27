// What every fuzz target shares: scratch files (the readers take paths, so
// a target feeds them the way a user does), the rule for which exceptions
// count as a clean refusal, and checks that abort on a finding.
//
// A finding is anything but (a) success with finite, consistent results or
// (b) one of the bad-input exceptions the tools turn into exit status 2.
// Crashes, sanitizer reports, hangs, memory beyond libFuzzer's -rss_limit_mb
// and any other exception (std::bad_alloc, std::length_error, a JSON library
// error...) abort, so libFuzzer saves the input.
#ifndef FFNN_TESTS_FUZZ_FUZZ_SUPPORT_H_
#define FFNN_TESTS_FUZZ_FUZZ_SUPPORT_H_

#include <unistd.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <typeinfo>

#include "chapters/03_backprop/nn_trace.h"
#include "chapters/common/corpus.h"
#include "chapters/common/files.h"

namespace ffnn::fuzz {

// libFuzzer's input as text.
inline std::string_view Bytes(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// Aborts with a message: libFuzzer (or the replay driver) reports the input.
[[noreturn]] inline void Finding(std::string_view what) {
  std::fprintf(stderr, "fuzz finding: %.*s\n", int(what.size()), what.data());
  std::abort();
}

inline void Require(bool ok, std::string_view what) {
  if (!ok) Finding(what);
}

inline void RequireFinite(double v, std::string_view what) {
  if (!std::isfinite(v)) Finding(std::string(what) + " is not finite");
}

// A directory of this process's scratch files, removed at exit.
inline const std::filesystem::path& ScratchDir() {
  static const std::filesystem::path dir = [] {
    // tmpfs when there is one: each input is written once per run.
    std::filesystem::path base = std::filesystem::exists("/dev/shm")
                                     ? "/dev/shm"
                                     : std::filesystem::temp_directory_path();
    std::filesystem::path d =
        base / ("ffnn_fuzz." + std::to_string(::getpid()));
    std::filesystem::create_directories(d);
    std::atexit([] {
      std::error_code ec;
      std::filesystem::remove_all(ScratchDir(), ec);
    });
    return d;
  }();
  return dir;
}

// Writes bytes to <scratch>/<name> and returns the path.
inline std::string ScratchFile(const std::string& name,
                               std::string_view bytes) {
  const std::string path = (ScratchDir() / name).string();
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), std::streamsize(bytes.size()));
  if (!out) Finding("cannot write the scratch file " + path);
  return path;
}

// Runs body(). The bad-input exceptions the tools report with exit status 2
// (InputError, FileError, SpecError, std::invalid_argument, and the
// checkpoint reader's std::runtime_error) end the run normally; anything
// else is a finding.
template <class Body>
void Refusing(Body&& body) {
  try {
    body();
  } catch (const chapters::InputError&) {
  } catch (const chapters::FileError&) {
  } catch (const ch03::SpecError&) {
  } catch (const std::invalid_argument&) {
  } catch (const std::runtime_error& e) {
    // Only the plain runtime_error the checkpoint reader throws; its
    // subclasses (overflow_error, range_error) are arithmetic going wrong.
    if (typeid(e) != typeid(std::runtime_error)) {
      Finding(std::string("unexpected ") + typeid(e).name() + ": " + e.what());
    }
  } catch (const std::exception& e) {
    Finding(std::string("unexpected exception: ") + e.what());
  }
}

}  // namespace ffnn::fuzz

#endif  // FFNN_TESTS_FUZZ_FUZZ_SUPPORT_H_
