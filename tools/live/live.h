// The book's live panels: the worked examples of chapters 1-3 and nn-trace,
// recomputed by the chapter libraries for inputs a reader edits. One entry
// point, Call(request) -> response, both JSON text, compiled twice: to
// WebAssembly for the book (tools/live/wasm_main.cc, the page's live.js
// calls it) and natively as ffnn-live (the tests run both on the same
// requests and compare).
//
// Request:  {"example": NAME, "inputs": {...}}; numbers may be given as JSON
//           numbers or as the text of a field ("0.5", "1e-3"), which is
//           parsed here, so the page and the command line refuse the same
//           things with the same words.
// Response: {"ok": true, "example": NAME, "outputs": {...},
//            "notes": [...]} or {"ok": false, "error": "<field>: <what>"}.
//
// Examples (their inputs default to the slide's, see Defaults):
//   neuron      ch01 unit.sigmoid_example: w (3), x (3), b -> z, sigma(z)
//   perceptron  ch01 perceptron.training_trace: eta, w (3), points
//               [[x1, x2, y], ...], max_epochs -> every step, final w
//   composition ch02 xor.relu_network / xnor.sigmoid_composition: network,
//               W1 (2x2), b1 (2), W2 (1x2), b2 (1) -> truth table, a grid
//               of the output over [-0.5, 1.5]^2 (decision regions)
//   iris        ch02 iris.forward and ch03's backward pass (nn-trace's
//               Solve): W1, b1, W2, b2, x, y, learning_rate -> nn-trace's
//               JSON
//   optimizers  ch03 optimizers: lr per optimizer, epochs, batch, seed ->
//               loss curves, test accuracy
//   nn_trace    spec (text), decimals, log_base -> markdown, latex and json
//               text, or nn-trace's own error line
//   kernels     the kernel test vectors (KernelVectors) -> every result
//   bench       kernel ("dot", "gemm"), type ("f32", "f64"), n, reps ->
//               ns per call
#ifndef FFNN_TOOLS_LIVE_LIVE_H_
#define FFNN_TOOLS_LIVE_LIVE_H_

#include <string>
#include <string_view>

#include "nlohmann/json.hpp"

namespace ffnn::live {

// Requests are small, but a spec (at most nn-trace's 1 MiB) grows when
// written as a JSON string (a control character becomes \u00XX): room for
// the largest spec nn-trace accepts, escaped.
inline constexpr std::size_t kMaxRequestBytes = std::size_t{8} << 20;

// Never throws: a bad request, a bad input or a failed computation is an
// {"ok": false, "error": ...} response naming the field.
std::string Call(std::string_view request_text);

// Each example's inputs as on its slide ({} for an unknown name); the page
// starts from these and "reset to the slide" returns to them.
nlohmann::ordered_json Defaults(std::string_view example);

// The kernel layer on fixed test vectors (a seeded sequence at awkward
// sizes 1, 3, 7, 17, 33, 100, 257 and a start one element past an aligned
// one): Dot, Sum, Max, Axpy, Gemv, Gemm, Softmax, Sigmoid, Tanh and an Adam
// step, in float and in double. Native and WASM builds must agree within
// the kernels' stated error contracts (tests/book/check_live.py).
nlohmann::ordered_json KernelVectors();

}  // namespace ffnn::live

#endif  // FFNN_TOOLS_LIVE_LIVE_H_
