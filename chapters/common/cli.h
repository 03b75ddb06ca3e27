// The command-line convention of the tools: --help prints the usage and
// exits 0; any other parse error is one line "<tool>: error: <what>" on
// stderr and exit status 2 (CLI11's own message spans several lines).
#ifndef FFNN_CHAPTERS_COMMON_CLI_H_
#define FFNN_CHAPTERS_COMMON_CLI_H_

#include <CLI/CLI.hpp>
#include <iostream>
#include <string>

namespace ffnn::chapters {

// Returns the exit status for a CLI11 parse error (see above).
inline int ExitOnParseError(const CLI::App& app, const CLI::ParseError& e,
                            const char* tool) {
  if (e.get_exit_code() == static_cast<int>(CLI::ExitCodes::Success)) {
    return app.exit(e);  // --help
  }
  std::string what = e.what();
  for (char& c : what) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  std::cerr << tool << ": error: " << what << "\n";
  return 2;
}

}  // namespace ffnn::chapters

#endif  // FFNN_CHAPTERS_COMMON_CLI_H_
