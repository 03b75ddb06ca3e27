// nn-trace --spec FILE [--format json|markdown|latex] [--log-base B]
//          [--round N]
// The full worked solution of a small network for an exam question; see
// chapters/03_backprop/nn_trace.h for the spec. Bad input: one error line on
// stderr naming the field, exit status 2.
#include <CLI/CLI.hpp>
#include <cmath>
#include <cstdlib>
#include <iostream>
#include <limits>

#include "chapters/03_backprop/nn_trace.h"
#include "chapters/common/cli.h"
#include "chapters/common/errors.h"

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
      ->check(ffnn::chapters::FiniteIn(0, std::numeric_limits<double>::max()))
      ->check(CLI::Validator(
          [](std::string& s) -> std::string {
            // log_1 divides by log(1) = 0, and below 1 every cross-entropy
            // would be negative (log_b p > 0 for p < 1 when b < 1).
            const double b = std::strtod(s.c_str(), nullptr);
            return b > 1 ? ""
                         : "must be a finite number > 1 (below 1 every loss "
                           "would be negative), got '" +
                               s + "'";
          },
          "BASE"));
  app.add_option("--round", decimals,
                 "show markdown/latex numbers rounded to N decimals")
      ->check(CLI::Range(0, 15));
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return ffnn::chapters::ExitOnParseError(app, e, "nn-trace");
  }
  try {
    ffnn::chapters::SetActivity("working the spec's solution");
    std::cout << ffnn::ch03::TraceSpecText(ffnn::ch03::ReadSpecText(spec_path),
                                           format, decimals, log_base);
  } catch (...) {
    return ffnn::chapters::ReportError("nn-trace", std::current_exception());
  }
  return 0;
}
