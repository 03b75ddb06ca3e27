// nn-trace --spec FILE [--format json|markdown|latex] [--log-base B]
//          [--round N]
// The full worked solution of a small network for an exam question; see
// chapters/03_backprop/nn_trace.h for the spec. Bad input: one error line on
// stderr naming the field, exit status 2.
#include <CLI/CLI.hpp>
#include <fstream>
#include <iostream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <sstream>

#include "chapters/03_backprop/nn_trace.h"

int main(int argc, char** argv) {
  CLI::App app{
      "nn-trace: forward pass, loss, gradients and one update of a "
      "network given as JSON"};
  std::string spec_path, format = "json";
  double log_base = 0;
  int decimals = -1;
  app.add_option("--spec", spec_path, "the JSON spec ('-' reads stdin)")
      ->required();
  app.add_option("--format", format, "json, markdown or latex")
      ->check(CLI::IsMember({"json", "markdown", "latex"}));
  app.add_option("--log-base", log_base,
                 "base of the logarithm in the cross-entropies (default e)")
      ->check(CLI::PositiveNumber);
  app.add_option("--round", decimals,
                 "show markdown/latex numbers rounded to N decimals")
      ->check(CLI::Range(0, 15));
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : 2;
  }
  try {
    std::string text;
    if (spec_path == "-") {
      text.assign(std::istreambuf_iterator<char>(std::cin), {});
    } else {
      std::ifstream in(spec_path, std::ios::binary);
      if (!in)
        throw ffnn::ch03::SpecError("--spec",
                                    "cannot open '" + spec_path + "'");
      text.assign(std::istreambuf_iterator<char>(in), {});
    }
    if (text.find_first_not_of(" \t\r\n") == std::string::npos) {
      throw ffnn::ch03::SpecError("spec", "empty input");
    }
    nlohmann::json json;
    try {
      // Rejects ill-formed UTF-8, and numbers a double cannot hold (1e999):
      // JSON has no NaN or infinity literals, so this is where non-finite
      // input ends.
      json = nlohmann::json::parse(text);
    } catch (const nlohmann::json::exception& e) {  // parse, overflow
      throw ffnn::ch03::SpecError("spec",
                                  std::string("invalid JSON: ") + e.what());
    }
    const ffnn::ch03::Spec spec = ffnn::ch03::ParseSpec(json);
    const ffnn::ch03::Solution solution = ffnn::ch03::Solve(spec, log_base);
    if (format == "json") {
      std::cout << ffnn::ch03::ToJson(solution).dump(2) << "\n";
    } else if (format == "markdown") {
      std::cout << ffnn::ch03::ToMarkdown(spec, solution, decimals, log_base);
    } else {
      std::cout << ffnn::ch03::ToLatex(spec, solution, decimals, log_base);
    }
  } catch (const ffnn::ch03::SpecError& e) {
    std::cerr << "nn-trace: error: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "nn-trace: error: " << e.what() << "\n";
    return 2;
  }
  return 0;
}
