// The live panels' computations: each example parses its inputs (with the
// field's name in every refusal), calls the chapter library the chapter
// target calls, and returns what the chapter target prints.
#include "tools/live/live.h"

#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <vector>

#include "chapters/01_perceptron/perceptron.h"
#include "chapters/02_mlp/mlp.h"
#include "chapters/03_backprop/nn_trace.h"
#include "chapters/03_backprop/optimizers.h"
#include "chapters/common/errors.h"
#include "chapters/common/iris.h"
#include "kernels/activations.h"
#include "kernels/blas.h"
#include "kernels/gemm.h"
#include "kernels/optim.h"
#include "kernels/softmax.h"

#ifndef FFNN_DATA_DIR
#define FFNN_DATA_DIR "data"
#endif
#ifndef FFNN_SPECS_DIR
#define FFNN_SPECS_DIR "chapters/03_backprop/specs"
#endif

namespace ffnn::live {
namespace {

using json = nlohmann::ordered_json;
using chapters::Matrix;
using Vector = std::vector<double>;

// A refusal of one input: what() is "<field>: <what>".
struct InputRefused : std::runtime_error {
  InputRefused(const std::string& field, const std::string& what)
      : std::runtime_error(field + ": " + what) {}
};

// A value quoted in a refusal, on one line: a string's control characters
// escaped as JSON escapes them (a pasted spec has newlines).
std::string Shown(const json& v) {
  std::string s = v.dump(-1, ' ', false, json::error_handler_t::replace);
  if (v.is_string()) s = s.substr(1, s.size() - 2);
  if (s.size() > 40) s = s.substr(0, 37) + "...";
  return "'" + s + "'";
}

// A number in [lo, hi] from a JSON number or the text of a field.
double Number(const json& v, const std::string& field, double lo, double hi) {
  double x = NAN;
  if (v.is_number()) {
    x = v.get<double>();
  } else if (v.is_string()) {
    // Decimal notation only: strtod would also read "0x10", "inf" and
    // "nan", which no one types for a weight.
    const std::string s = v.get<std::string>();
    const bool decimal =
        !s.empty() && s.find_first_not_of("0123456789+-.eE") == s.npos;
    char* end = nullptr;
    x = decimal ? std::strtod(s.c_str(), &end) : NAN;
    if (decimal && *end != '\0') x = NAN;
  }
  if (!std::isfinite(x) || x < lo || x > hi) {
    char range[96];
    std::snprintf(range, sizeof range, "a number from %g to %g", lo, hi);
    throw InputRefused(field,
                       "must be " + std::string(range) + ", got " + Shown(v));
  }
  return x;
}

int Integer(const json& v, const std::string& field, int lo, int hi) {
  const double x = Number(v, field, lo, hi);
  if (x != std::floor(x)) {
    throw InputRefused(field, "must be a whole number, got " + Shown(v));
  }
  return static_cast<int>(x);
}

const json& Field(const json& inputs, const std::string& key) {
  if (!inputs.contains(key)) throw InputRefused(key, "missing");
  return inputs.at(key);
}

// Weights and data of the small examples: well inside the doubles, so no
// product or sum of a few of them overflows.
constexpr double kBig = 1e6;

Vector Numbers(const json& inputs, const std::string& key, std::size_t n,
               double lo = -kBig, double hi = kBig) {
  const json& v = Field(inputs, key);
  if (!v.is_array() || v.size() != n) {
    throw InputRefused(key, "must be a list of " + std::to_string(n) +
                                " numbers, got " + Shown(v));
  }
  Vector out(n);
  for (std::size_t i = 0; i < n; ++i) {
    out[i] = Number(v[i], key + "[" + std::to_string(i + 1) + "]", lo, hi);
  }
  return out;
}

Matrix NumberRows(const json& inputs, const std::string& key, std::size_t rows,
                  std::size_t cols, double lo = -kBig, double hi = kBig) {
  const json& v = Field(inputs, key);
  if (!v.is_array() || v.size() != rows) {
    throw InputRefused(
        key, "must have " + std::to_string(rows) + " rows, got " + Shown(v));
  }
  Matrix m(rows, cols);
  for (std::size_t i = 0; i < rows; ++i) {
    const std::string row = key + "[" + std::to_string(i + 1) + "]";
    if (!v[i].is_array() || v[i].size() != cols) {
      throw InputRefused(row, "must be a row of " + std::to_string(cols) +
                                  " numbers, got " + Shown(v[i]));
    }
    for (std::size_t j = 0; j < cols; ++j) {
      m(i, j) =
          Number(v[i][j], row + "[" + std::to_string(j + 1) + "]", lo, hi);
    }
  }
  return m;
}

json Rows(const Matrix& m) {
  json out = json::array();
  for (std::size_t i = 0; i < m.rows; ++i) {
    json row = json::array();
    for (std::size_t j = 0; j < m.cols; ++j) row.push_back(m(i, j));
    out.push_back(row);
  }
  return out;
}

// ---- chapter 1 ------------------------------------------------------------

json Neuron(const json& in, json& notes) {
  const Vector w = Numbers(in, "w", 3), x = Numbers(in, "x", 3);
  const double b = Number(Field(in, "b"), "b", -kBig, kBig);
  const double z = ch01::Preactivation(w, x, b);  // w . x + b
  const double a = ch01::Sigmoid(z);
  if (a == 1.0 || a == 0.0) {
    notes.push_back("sigma(z) rounds to " + std::string(a == 1 ? "1" : "0") +
                    " in double precision: the unit is saturated, and its "
                    "gradient sigma(z)(1 - sigma(z)) is 0");
  }
  return {{"z", z}, {"sigma(z)", a}};
}

json Perceptron(const json& in, json& notes) {
  const double eta = Number(Field(in, "eta"), "eta", 1e-6, 1e3);
  const Vector w = Numbers(in, "w", 3);
  const int max_epochs =
      Integer(Field(in, "max_epochs"), "max_epochs", 1, 1000);
  const json& points = Field(in, "points");
  if (!points.is_array() || points.empty() || points.size() > 12) {
    throw InputRefused("points",
                       "must be a list of 1 to 12 points [x1, x2, "
                       "y], got " +
                           Shown(points));
  }
  std::vector<Vector> X;
  std::vector<int> y;
  for (std::size_t i = 0; i < points.size(); ++i) {
    const std::string field = "points[" + std::to_string(i + 1) + "]";
    if (!points[i].is_array() || points[i].size() != 3) {
      throw InputRefused(field, "must be [x1, x2, y], got " + Shown(points[i]));
    }
    // Named as the page's fields are: points[i][1] is x1, [2] x2, [3] y.
    const double x1 = Number(points[i][0], field + "[1]", -1e3, 1e3);
    const double x2 = Number(points[i][1], field + "[2]", -1e3, 1e3);
    const double label = Number(points[i][2], field + "[3]", -1, 1);
    if (label != 1 && label != -1) {
      throw InputRefused(field + "[3]", "the label y must be +1 or -1, got " +
                                            Shown(points[i][2]));
    }
    X.push_back({1, x1, x2});  // the constant 1 first: w0 is the bias
    y.push_back(static_cast<int>(label));
  }
  const ch01::PerceptronRun run =
      ch01::TrainPerceptron(X, y, w, eta, max_epochs);
  json steps = json::array();
  for (const ch01::PerceptronStep& s : run.steps) {
    steps.push_back({{"epoch", s.epoch},
                     {"index", s.index},
                     {"score", s.score},
                     {"loss", s.loss},
                     {"updated", s.updated},
                     {"w", s.w}});
  }
  if (!run.converged) {
    notes.push_back(run.cycle_length > 0
                        ? "the weights repeat: epochs from " +
                              std::to_string(run.cycle_from_epoch) +
                              " form a cycle of " +
                              std::to_string(run.cycle_length) +
                              ", so the data are not linearly separable "
                              "along this path and training never ends"
                        : "no epoch without an update in " +
                              std::to_string(max_epochs) + " epochs");
  }
  return {{"w", run.w},
          {"epochs", run.epochs},
          {"converged", run.converged},
          {"cycle_from_epoch", run.cycle_from_epoch},
          {"cycle_length", run.cycle_length},
          {"steps", steps}};
}

// ---- chapter 2 ------------------------------------------------------------

// The composition networks: XOR with ReLU (J&M, DL4NLP) and XNOR from
// sigmoid units (LMU), every weight editable.
json Composition(const json& in, json& notes) {
  const json& kind = Field(in, "network");
  const bool xor_relu = kind == "xor_relu";
  if (!xor_relu && kind != "xnor") {
    throw InputRefused("network",
                       "must be 'xor_relu' or 'xnor', got " + Shown(kind));
  }
  const ch02::Activation hidden =
      xor_relu ? ch02::Activation::kRelu : ch02::Activation::kSigmoid;
  const ch02::Activation out =
      xor_relu ? ch02::Activation::kIdentity : ch02::Activation::kSigmoid;
  const ch02::Mlp net(
      {{NumberRows(in, "W1", 2, 2), Numbers(in, "b1", 2), hidden},
       {NumberRows(in, "W2", 1, 2), Numbers(in, "b2", 1), out}});
  // The truth table, then a 41 x 41 grid over [-0.5, 1.5]^2, in one batch.
  constexpr int kGrid = 41;
  Matrix X(4 + kGrid * kGrid, 2);
  for (int i = 0; i < 4; ++i) X(i, 0) = i / 2, X(i, 1) = i % 2;
  for (int r = 0; r < kGrid; ++r) {
    for (int c = 0; c < kGrid; ++c) {
      X(4 + r * kGrid + c, 0) = -0.5 + 2.0 * c / (kGrid - 1);
      X(4 + r * kGrid + c, 1) = 1.5 - 2.0 * r / (kGrid - 1);
    }
  }
  const ch02::Trace t = net.Forward(X);
  json table = json::array();
  const bool target[4] = {!xor_relu, xor_relu, xor_relu, !xor_relu};
  bool correct = true;
  for (int i = 0; i < 4; ++i) {
    const double yhat = t.a[2](i, 0);
    // True at 0.5 and above: XOR's output is the number itself (0 or 1 on
    // the slide), XNOR's a probability.
    const bool says = yhat >= 0.5;
    correct = correct && says == target[i];
    table.push_back({{"x1", X(i, 0)},
                     {"x2", X(i, 1)},
                     {"z1", {t.z[1](i, 0), t.z[1](i, 1)}},
                     {"h", {t.a[1](i, 0), t.a[1](i, 1)}},
                     {"z2", t.z[2](i, 0)},
                     {"yhat", yhat},
                     {"target", target[i] ? 1 : 0}});
  }
  if (!correct) {
    notes.push_back(std::string("these weights no longer compute ") +
                    (xor_relu ? "XOR" : "XNOR") +
                    ": some row of the truth table is on the wrong side "
                    "of 0.5");
  }
  json grid = json::array();
  for (int k = 4; k < 4 + kGrid * kGrid; ++k) grid.push_back(t.a[2](k, 0));
  return {
      {"table", table},
      {"correct", correct},
      {"grid", {{"size", kGrid}, {"from", -0.5}, {"to", 1.5}, {"yhat", grid}}}};
}

// ---- chapter 3 ------------------------------------------------------------

// The Iris walk-through: forward, loss, backward and one update, by
// nn-trace's own path (so its answer is the command's, number for number).
json Iris(const json& in, json&) {
  const json spec = {
      {"layers",
       {{{"W", Rows(NumberRows(in, "W1", 2, 2))},
         {"b", Numbers(in, "b1", 2)},
         {"activation", "relu"}},
        {{"W", Rows(NumberRows(in, "W2", 3, 2))},
         {"b", Numbers(in, "b2", 3)},
         {"activation", "softmax"}}}},
      {"loss", "cross_entropy"},
      {"x", Rows(NumberRows(in, "x", 1, 2))},
      // Checked here, not by nn-trace, so the refusal names the page's
      // field (nn-trace counts from 0).
      {"y", Rows(NumberRows(in, "y", 1, 3, 0, 1))},
      // Any finite rate, as nn-trace takes (negative: a step uphill).
      {"learning_rate",
       Number(Field(in, "learning_rate"), "learning_rate", -1e3, 1e3)}};
  try {
    const std::string answer = ch03::TraceSpecText(spec.dump(), "json", -1, 0);
    json out = json::parse(answer);
    out["spec"] = spec;
    return out;
  } catch (const ch03::SpecError& e) {
    throw InputRefused(e.field(),
                       std::string(e.what()).substr(e.field().size() + 2));
  }
}

json Optimizers(const json& in, json& notes) {
  static const chapters::IrisSplit data = chapters::SplitIris(FFNN_DATA_DIR);
  const int epochs = Integer(Field(in, "epochs"), "epochs", 1, 300);
  const int batch = Integer(Field(in, "batch"), "batch", 1, 120);
  const int seed = Integer(Field(in, "seed"), "seed", 0, 1000000);
  const json& lrs = Field(in, "lr");
  const ch02::Mlp init = ch02::RandomMlp({4, 16, 3}, ch02::Activation::kTanh,
                                         ch02::Activation::kSoftmax, 5);
  json runs = json::array();
  for (const ch03::Optimizer opt :
       {ch03::Optimizer::kSgd, ch03::Optimizer::kMomentum,
        ch03::Optimizer::kAdagrad, ch03::Optimizer::kRmsprop,
        ch03::Optimizer::kAdam}) {
    const std::string name = ch03::OptimizerName(opt);
    const double lr = Number(Field(lrs, name), "lr." + name, 1e-6, 1e3);
    const ch03::TrainResult t =
        ch03::Train(init, data.X_train, data.Y_train, data.X_test, data.Y_test,
                    {opt, lr, epochs, std::size_t(batch), std::uint64_t(seed)});
    if (t.diverged) {
      char rate[32];
      std::snprintf(rate, sizeof rate, "%g", lr);
      notes.push_back(name + " (lr " + rate + ") diverged at epoch " +
                      std::to_string(t.diverged_epoch) +
                      ": the loss stopped being finite or exploded, and "
                      "training stopped there");
    }
    runs.push_back({{"optimizer", name},
                    {"lr", lr},
                    {"train_loss", t.train_loss},
                    {"test_loss", t.test_loss},
                    {"test_accuracy", t.test_accuracy},
                    {"diverged", t.diverged},
                    {"diverged_epoch", t.diverged_epoch}});
  }
  return {{"runs", runs}};
}

// nn-trace's --log-base: "e" (0, the natural logarithm) or a finite
// number > 1.
double LogBase(const json& b) {
  if (b == "e") return 0;
  try {
    const double x = Number(b, "log_base", 1, 1e300);
    if (x > 1) return x;
  } catch (const InputRefused&) {
  }
  throw InputRefused("log_base",
                     "must be 'e' or a finite number > 1 (below "
                     "1 every loss would be negative), got " +
                         Shown(b));
}

// nn-trace in the browser: the answer in all three formats, or the
// command's own error line.
json NnTrace(const json& in, json&) {
  const json& spec = Field(in, "spec");
  if (!spec.is_string()) {
    throw InputRefused("spec", "must be the spec's JSON text");
  }
  const int decimals = in.contains("decimals")
                           ? Integer(in["decimals"], "decimals", -1, 15)
                           : -1;
  const double log_base = in.contains("log_base") ? LogBase(in["log_base"]) : 0;
  json out;
  try {
    chapters::SetActivity("working the spec's solution");  // as nn-trace
    const std::string text = spec.get<std::string>();
    for (const char* format : {"markdown", "latex", "json"}) {
      out[format] = ch03::TraceSpecText(text, format, decimals, log_base);
    }
  } catch (...) {
    // Exactly what `nn-trace --spec` prints for this spec.
    return {{"error", "nn-trace: error: " +
                          chapters::Describe(std::current_exception())}};
  }
  return out;
}

// ---- the kernels ------------------------------------------------------------

// A fixed sequence in [-1, 1) (a 64-bit LCG), so both builds see the same
// numbers.
template <class T>
std::vector<T> TestVector(std::size_t n, std::uint64_t seed) {
  std::vector<T> v(n);
  std::uint64_t s = seed * 0x9E3779B97F4A7C15ULL + 1;
  for (T& x : v) {
    s = s * 6364136223846793005ULL + 1442695040888963407ULL;
    x = static_cast<T>(static_cast<double>(s >> 11) * 0x1.0p-52 - 1.0);
  }
  return v;
}

template <class T>
json KernelVectorsOf() {
  json out = json::array();
  for (const std::size_t n : {1, 3, 7, 17, 33, 100, 257}) {
    // One element past the start: a misaligned operand.
    std::vector<T> xs = TestVector<T>(n + 1, 1), ys = TestVector<T>(n + 1, 2);
    const std::span<const T> x(xs.data() + 1, n), y(ys.data() + 1, n);
    json r = {{"n", n}};
    T abs_dot = 0;
    for (std::size_t i = 0; i < n; ++i) abs_dot += std::abs(x[i] * y[i]);
    r["dot"] = kernels::Dot(x, y);
    r["abs_dot"] = abs_dot;
    r["sum"] = kernels::Sum(x);
    r["max"] = kernels::Max(x);
    std::vector<T> v(ys.begin() + 1, ys.end());
    kernels::Axpy(T(0.75), x, std::span<T>(v));
    r["axpy"] = v;
    kernels::Sigmoid(x, std::span<T>(v));
    r["sigmoid"] = v;
    kernels::Tanh(x, std::span<T>(v));
    r["tanh"] = v;
    std::vector<T> z = TestVector<T>(n, 3);
    for (T& e : z) e *= 8;  // logits over a wide range
    kernels::Softmax(kernels::ConstMatView<T>(z.data(), 1, n),
                     kernels::MatView<T>(v.data(), 1, n));
    r["softmax"] = v;
    // A: (5, n); y5 = A x.
    const std::vector<T> A = TestVector<T>(5 * n, 4);
    std::vector<T> y5(5, T(0));
    kernels::Gemv(T(1), kernels::ConstMatView<T>(A.data(), 5, n),
                  kernels::Trans::kNo, x, T(0), std::span<T>(y5));
    r["gemv"] = y5;
    // C: (5, 7) = A (5, n) B (n, 7).
    const std::vector<T> B = TestVector<T>(n * 7, 5);
    std::vector<T> C(5 * 7, T(0));
    kernels::Gemm(T(1), kernels::ConstMatView<T>(A.data(), 5, n),
                  kernels::Trans::kNo, kernels::ConstMatView<T>(B.data(), n, 7),
                  kernels::Trans::kNo, T(0),
                  kernels::MatView<T>(C.data(), 5, 7));
    r["gemm"] = C;
    std::vector<T> theta(xs.begin() + 1, xs.end()), m(n, T(0)), s2(n, T(0));
    kernels::AdamStep(T(0.01), T(0.9), T(0.999), T(1e-8), 1, y, std::span<T>(m),
                      std::span<T>(s2), std::span<T>(theta));
    r["adam"] = theta;
    out.push_back(r);
  }
  return out;
}

json Bench(const json& in, json&) {
  const json& kernel = Field(in, "kernel");
  if (kernel != "dot" && kernel != "gemm") {
    throw InputRefused("kernel",
                       "must be 'dot' or 'gemm', got " + Shown(kernel));
  }
  const json& type = Field(in, "type");
  if (type != "f32" && type != "f64") {
    throw InputRefused("type", "must be 'f32' or 'f64', got " + Shown(type));
  }
  const int n =
      Integer(Field(in, "n"), "n", 1, kernel == "dot" ? 1 << 20 : 512);
  const int reps = Integer(Field(in, "reps"), "reps", 1, 1000000);
  // A page's call must end: at most 2e10 flops (seconds, not hours).
  const double work = (kernel == "dot" ? 2.0 * n : 2.0 * n * n * n) * reps;
  if (work > 2e10) {
    char what[120];
    std::snprintf(what, sizeof what,
                  "n and reps ask for %.3g flops, more than the 2e10 a "
                  "call may take",
                  work);
    throw InputRefused("reps", what);
  }
  const auto run = [&](auto zero) -> json {
    using T = decltype(zero);
    const std::size_t size = kernel == "dot" ? n : std::size_t(n) * n;
    const std::vector<T> a = TestVector<T>(size, 6), b = TestVector<T>(size, 7);
    std::vector<T> c(size, T(0));
    volatile T sink = 0;
    const auto start = std::chrono::steady_clock::now();
    for (int r = 0; r < reps; ++r) {
      if (kernel == "dot") {
        sink =
            sink + kernels::Dot(std::span<const T>(a), std::span<const T>(b));
      } else {
        kernels::Gemm(
            T(1), kernels::ConstMatView<T>(a.data(), n, n), kernels::Trans::kNo,
            kernels::ConstMatView<T>(b.data(), n, n), kernels::Trans::kNo, T(0),
            kernels::MatView<T>(c.data(), n, n));
      }
    }
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
            .count();
    const double flops = kernel == "dot" ? 2.0 * n : 2.0 * n * n * n;
    return {{"ns_per_call", 1e9 * seconds / reps},
            {"gflops", flops * reps / seconds / 1e9}};
  };
  return type == "f32" ? run(0.0f) : run(0.0);
}

json Kernels(const json&, json&) {
  return {{"f32", KernelVectorsOf<float>()},
          {"f64", KernelVectorsOf<double>()}};
}

// A panel's starting point: {"example": NAME} -> Defaults(NAME).
json SlideInputs(const json& in, json&) {
  const json& name = Field(in, "example");
  const json d = name.is_string() ? Defaults(name.get<std::string>()) : json();
  if (d.empty())
    throw InputRefused("example", "no defaults for " + Shown(name));
  return d;
}

using Example = json (*)(const json& inputs, json& notes);

Example Find(std::string_view name) {
  static const std::pair<std::string_view, Example> kExamples[] = {
      {"neuron", Neuron},           {"perceptron", Perceptron},
      {"composition", Composition}, {"iris", Iris},
      {"optimizers", Optimizers},   {"nn_trace", NnTrace},
      {"kernels", Kernels},         {"bench", Bench},
      {"defaults", SlideInputs}};
  for (const auto& [n, f] : kExamples) {
    if (n == name) return f;
  }
  return nullptr;
}

// A slide's two-layer network as a panel's fields W1, b1, W2, b2.
json TwoLayers(const ch02::Mlp& net) {
  const auto& L = net.layers();
  return {{"W1", Rows(L[0].W)},
          {"b1", L[0].b},
          {"W2", Rows(L[1].W)},
          {"b2", L[1].b}};
}

}  // namespace

json Defaults(std::string_view example) {
  if (example == "neuron") {
    return {{"w", {0.2, 0.3, 0.9}}, {"x", {0.5, 0.6, 0.1}}, {"b", 0.5}};
  }
  if (example == "perceptron") {
    const ch01::LabeledSet d = ch01::Dl4nlpTrainingPoints();
    json points = json::array();
    for (std::size_t i = 0; i < d.X.size(); ++i) {
      points.push_back({d.X[i][1], d.X[i][2], d.y[i]});
    }
    return {{"eta", 0.5},
            {"w", {0, -1, 1}},
            {"points", points},
            {"max_epochs", 100}};
  }
  if (example == "composition") {
    json d = {{"network", "xor_relu"}};
    d.update(TwoLayers(ch02::XorReluNetwork()));
    return d;
  }
  if (example == "composition.xnor") {
    json d = {{"network", "xnor"}};
    d.update(TwoLayers(ch02::XnorNetwork()));
    return d;
  }
  if (example == "iris") {
    json d = TwoLayers(ch02::IrisSlideNetwork());
    d["x"] = {{1.8, 0.5}};
    d["y"] = {{1, 0, 0}};
    d["learning_rate"] = 0.5;
    return d;
  }
  if (example == "optimizers") {
    // The chapter target's runs (worked_ch03.cc, "optimizers").
    return {{"lr",
             {{"SGD", 0.1},
              {"momentum", 0.02},
              {"Adagrad", 0.1},
              {"RMSProp", 0.005},
              {"Adam", 0.01}}},
            {"epochs", 100},
            {"batch", 16},
            {"seed", 1}};
  }
  if (example == "nn_trace") {
    // The example specs of chapter 3, the first shown.
    json specs = json::object();
    for (const char* name : {"iris_walkthrough.json", "ucl_2_2_1.json"}) {
      specs[name] =
          ch03::ReadSpecText(std::string(FFNN_SPECS_DIR) + "/" + name);
    }
    return {{"spec", specs["iris_walkthrough.json"]},
            {"decimals", 2},
            {"log_base", "e"},
            {"specs", specs}};
  }
  return json::object();
}

nlohmann::ordered_json KernelVectors() {
  json notes;
  return Kernels({}, notes);
}

std::string Call(std::string_view request_text) {
  json response;
  try {
    if (request_text.size() > kMaxRequestBytes) {
      throw InputRefused(
          "request", "is " + std::to_string(request_text.size()) +
                         " bytes, more than the " +
                         std::to_string(kMaxRequestBytes) + " a panel sends");
    }
    chapters::SetActivity("reading the request");
    json request;
    try {
      request = json::parse(request_text);
    } catch (const json::exception& e) {
      // A field the page could not encode (a lone UTF-16 surrogate).
      throw InputRefused("request", "not valid JSON: " +
                                        chapters::WithoutJsonPrefix(e.what()));
    }
    if (!request.is_object() || !request.contains("example") ||
        !request["example"].is_string()) {
      throw InputRefused("request",
                         "must be {\"example\": NAME, "
                         "\"inputs\": {...}}");
    }
    const std::string name = request["example"];
    const Example example = Find(name);
    if (!example) throw InputRefused("example", "unknown: " + Shown(name));
    const json inputs = request.value("inputs", json::object());
    if (!inputs.is_object()) throw InputRefused("inputs", "must be an object");
    json notes = json::array();
    json outputs = example(inputs, notes);
    response = {{"ok", true},
                {"example", name},
                {"outputs", outputs},
                {"notes", notes}};
  } catch (...) {
    response = {{"ok", false},
                {"error", chapters::Describe(std::current_exception())}};
  }
  // A refusal may quote the request's bytes, which need not be UTF-8.
  return response.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace ffnn::live
