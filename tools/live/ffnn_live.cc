// ffnn-live [REQUEST.json | -]: the book's live panels on the command line,
// the native twin of the WebAssembly module the pages call
// (tools/live/live.h). Prints the response; exit 0 when it is {"ok": true},
// 2 (with the one error line on stderr) when the request is refused.
#include <CLI/CLI.hpp>
#include <iostream>

#include "chapters/common/cli.h"
#include "chapters/common/errors.h"
#include "chapters/common/files.h"
#include "tools/live/live.h"

int main(int argc, char** argv) {
  CLI::App app{"ffnn-live: a live panel's request, answered natively"};
  std::string path = "-";
  app.add_option("request", path, "the request's JSON ('-' reads stdin)");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return ffnn::chapters::ExitOnParseError(app, e, "ffnn-live");
  }
  try {
    ffnn::chapters::SetActivity("reading the request");
    // Call refuses more than kMaxRequestBytes; one byte more tells it so.
    const std::string request =
        path == "-"
            ? ffnn::chapters::ReadAtMost(std::cin, ffnn::live::kMaxRequestBytes)
            : ffnn::chapters::ReadFileBounded(path,
                                              ffnn::live::kMaxRequestBytes);
    const std::string response = ffnn::live::Call(request);
    std::cout << response << "\n";
    const auto parsed = nlohmann::json::parse(response);
    if (!parsed["ok"].get<bool>()) {
      ffnn::chapters::PrintError("ffnn-live",
                                 parsed["error"].get<std::string>());
      return 2;
    }
  } catch (...) {
    return ffnn::chapters::ReportError("ffnn-live", std::current_exception());
  }
  return 0;
}
