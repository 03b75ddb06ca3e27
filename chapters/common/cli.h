// The command-line convention of the tools: --help prints the usage and
// exits 0; any other parse error is one line "<tool>: error: <what>" on
// stderr and exit status 2 (CLI11's own message spans several lines).
#ifndef FFNN_CHAPTERS_COMMON_CLI_H_
#define FFNN_CHAPTERS_COMMON_CLI_H_

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <iostream>
#include <sstream>
#include <string>
#include <string_view>

#include "chapters/common/threads.h"

namespace ffnn::chapters {

// An error message made one readable line: line breaks become spaces,
// other control bytes (NUL included) "\xNN". Beyond max_bytes, long words
// (paths, mostly) give up their middles first, longest first, keeping
// their first 16 bytes and their ends (the file's name); only if that is
// not enough does the middle of the line give way to " ... ". The cause
// ("is the input", "no such file") is in the short words between the
// paths and survives. Cuts fall on UTF-8 character boundaries.
inline std::string OneLine(std::string_view what, std::size_t max_bytes = 400) {
  std::string out;
  for (const char ch : what) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == '\n' || c == '\r' || c == '\t') {
      out += ' ';
    } else if (c < 0x20 || c == 0x7F) {
      static const char* const kHex = "0123456789abcdef";
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 15];
    } else {
      out += ch;
    }
  }
  auto inside = [&](std::size_t i) {  // a UTF-8 continuation byte
    return i < out.size() &&
           (static_cast<unsigned char>(out[i]) & 0xC0) == 0x80;
  };
  constexpr std::size_t kHead = 16, kShortest = 48;
  while (out.size() > max_bytes) {
    std::size_t best = 0, best_size = 0;
    for (std::size_t i = 0; i < out.size();) {
      const std::size_t end = std::min(out.find(' ', i), out.size());
      if (end - i > best_size) best = i, best_size = end - i;
      i = end + 1;
    }
    if (best_size <= kShortest) break;
    const std::size_t excess = out.size() - max_bytes;
    const std::size_t keep =
        best_size > kShortest + excess ? best_size - excess : kShortest;
    std::size_t head = best + kHead;
    while (inside(head)) --head;
    std::size_t tail = best + best_size - (keep - kHead - 3);
    while (inside(tail)) ++tail;
    out = out.substr(0, head) + "..." + out.substr(tail);
  }
  if (out.size() > max_bytes) {
    const std::string_view dots = " ... ";
    std::size_t head = max_bytes / 3;
    while (head > 0 && inside(head)) --head;
    std::size_t tail = out.size() - (max_bytes - max_bytes / 3 - dots.size());
    while (inside(tail)) ++tail;
    out = out.substr(0, head) + std::string(dots) + out.substr(tail);
  }
  return out;
}

// Prints "<tool>: error: <what>" as one line of at most 400 bytes on
// stderr.
inline void PrintError(std::string_view tool, std::string_view what) {
  const std::size_t prefix = tool.size() + 9;  // ": error: "
  std::cerr << tool
            << ": error: " << OneLine(what, prefix < 200 ? 400 - prefix : 200)
            << "\n";
}

// Returns the exit status for a CLI11 parse error (see above).
inline int ExitOnParseError(const CLI::App& app, const CLI::ParseError& e,
                            const char* tool) {
  if (e.get_exit_code() == static_cast<int>(CLI::ExitCodes::Success)) {
    return app.exit(e);  // --help
  }
  PrintError(tool, e.what());
  return 2;
}

// The check of every floating-point option: a finite number in [lo, hi].
// CLI11's Range alone lets NaN through (every comparison with NaN is
// false) and infinity where hi is infinite; this refuses both, and text
// that is not wholly a number, naming the option's value:
// "must be a finite number from 0 to 1, got 'nan'".
inline CLI::Validator FiniteIn(double lo, double hi) {
  std::ostringstream range;
  range << lo << " to " << hi;
  const std::string bounds = range.str();
  return CLI::Validator(
      [lo, hi, bounds](std::string& text) -> std::string {
        const std::string why =
            "must be a finite number from " + bounds + ", got '" + text + "'";
        char* end = nullptr;
        const double v = std::strtod(text.c_str(), &end);
        if (text.empty() || end != text.c_str() + text.size() ||
            !std::isfinite(v) || v < lo || v > hi) {
          return why;
        }
        return "";
      },
      "FLOAT in [" + bounds + "]");
}

// The --threads option of every tool (the chapter targets, nplm, w2v):
// an integer from 1 to kMaxThreads (ParseThreads's rule, so the same
// message everywhere: "--threads: '0' is not a thread count (...)"); when
// it is not given, FFNN_THREADS, else 1. The results never depend on it.
inline CLI::Option* AddThreadsOption(CLI::App& app, int& threads,
                                     const std::string& help = "threads") {
  return app
      .add_option("--threads", threads,
                  help +
                      " (default: FFNN_THREADS, else 1); results do not "
                      "depend on it")
      ->check(CLI::Validator(
          [](std::string& text) -> std::string {
            try {
              ParseThreads(text, "--threads");
              return "";
            } catch (const std::invalid_argument& e) {
              return std::string(e.what()).substr(sizeof "--threads: " - 1);
            }
          },
          "INT in [1, 256]"));
}

// The thread count after parsing: the option's value if it was given,
// else FFNN_THREADS (throws std::invalid_argument "FFNN_THREADS: ..." for
// a bad one), else 1.
inline int ResolveThreads(const CLI::Option* option, int given) {
  return option != nullptr && option->count() > 0 ? given
                                                  : ThreadsFromEnvironment();
}

}  // namespace ffnn::chapters

#endif  // FFNN_CHAPTERS_COMMON_CLI_H_
