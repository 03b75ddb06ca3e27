// nn-trace: the full worked solution (forward pass, loss, gradients, one
// gradient-descent update) of a small network given as a JSON spec, for
// instructors who write exam questions.
//
// Spec: {"layers": [{"W": [[...]], "b": [...], "activation": "identity|
// sigmoid|tanh|relu|softmax"}, ...], "loss": "cross_entropy|
// binary_cross_entropy|mse|half_sse", "x": [[...]], "y": [[...]],
// "learning_rate": 0.5}. W has one row per unit; x and y one example per row;
// the loss is the mean over the examples.
#ifndef FFNN_CHAPTERS_03_BACKPROP_NN_TRACE_H_
#define FFNN_CHAPTERS_03_BACKPROP_NN_TRACE_H_

#include <cstddef>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <string_view>

#include "chapters/03_backprop/backprop.h"

namespace ffnn::ch03 {

// A bad spec: `field` names where (e.g. "layers[1].W"), what() says what.
class SpecError : public std::runtime_error {
 public:
  SpecError(std::string field, const std::string& message)
      : std::runtime_error(field + ": " + message), field_(std::move(field)) {}
  const std::string& field() const { return field_; }

 private:
  std::string field_;
};

struct Spec {
  Mlp net;
  Loss loss;
  Matrix X, Y;
  double learning_rate;
};

// Validates everything: ragged or empty matrices, shape mismatches between
// layers and with x and y, unknown activations or losses, softmax before the
// last layer or without cross_entropy, targets outside [0, 1] for a
// cross-entropy, non-finite numbers. Throws SpecError.
Spec ParseSpec(const nlohmann::json& spec);

struct Solution {
  Trace trace;
  double loss;
  Gradients grads;
  Mlp updated;
};
Solution Solve(const Spec& spec, double log_base = 0);

// The name of the first value of a solution that is NaN or infinite
// ("layers[1].a[0][2]", "loss", "grads[0].W[1][0]", "updated[0].b[1]"),
// or "" if every value is finite.
std::string FirstNonFinite(const Solution& s);

// The answer as JSON (full precision), or as Markdown / LaTeX tables with
// the displayed numbers rounded to `decimals` (-1: 6 significant digits).
nlohmann::ordered_json ToJson(const Solution& s);
std::string ToMarkdown(const Spec& spec, const Solution& s, int decimals,
                       double log_base);
std::string ToLatex(const Spec& spec, const Solution& s, int decimals,
                    double log_base);

// Specs are small: nn-trace reads at most this many bytes, so that a device
// (/dev/urandom) or a huge file cannot exhaust the memory.
inline constexpr std::size_t kMaxSpecBytes = std::size_t{1} << 20;

// All of nn-trace after its options: the spec's text (at most
// kMaxSpecBytes) to the answer in `format` ("json", "markdown" or "latex").
// The spec's text from a file, or from stdin for "-": at most
// kMaxSpecBytes + 1 bytes, so that TraceSpecText refuses a larger one (a
// device such as /dev/zero included) without reading it all. Throws
// SpecError("--spec", "cannot open '<path>'").
std::string ReadSpecText(const std::string& path);

// Throws SpecError for any bad spec, and for an answer with a NaN or an
// infinity in it, so no such answer is ever printed. The tool and its
// fuzz target (tests/fuzz/fuzz_nn_trace_spec.cc) share this path.
std::string TraceSpecText(std::string_view text, std::string_view format,
                          int decimals, double log_base);

}  // namespace ffnn::ch03

#endif  // FFNN_CHAPTERS_03_BACKPROP_NN_TRACE_H_
