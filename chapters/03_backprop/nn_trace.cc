#include "chapters/03_backprop/nn_trace.h"

#include <cmath>
#include <cstdio>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <sstream>

#include "chapters/common/errors.h"
#include "chapters/common/files.h"
#include "chapters/common/worked.h"

namespace ffnn::ch03 {

using ch02::Activation;
using nlohmann::json;

namespace {

const json& Field(const json& obj, const std::string& key,
                  const std::string& where) {
  if (!obj.is_object()) throw SpecError(where, "expected a JSON object");
  const auto it = obj.find(key);
  if (it == obj.end()) throw SpecError(where + "." + key, "missing");
  return *it;
}

// What a JSON value is, in a few words: never the dump of a nested value
// (formatting a deeply nested one recursed until the stack overflowed).
std::string Kind(const json& v) {
  if (v.is_array()) return "an array of " + std::to_string(v.size());
  if (v.is_object()) return "an object";
  if (v.is_string()) {
    const auto& str = v.get_ref<const std::string&>();
    return str.size() <= 40
               ? v.dump()
               : "a string of " + std::to_string(str.size()) + " bytes";
  }
  return v.dump();  // null, true, false
}

double Number(const json& v, const std::string& where) {
  if (!v.is_number())
    throw SpecError(where, "expected a number, found " + Kind(v));
  const double d = v.get<double>();
  if (!std::isfinite(d)) throw SpecError(where, "not a finite number");
  return d;
}

Vector ParseVector(const json& v, const std::string& where) {
  if (!v.is_array() || v.empty())
    throw SpecError(where, "expected a non-empty array of numbers");
  Vector out;
  for (std::size_t i = 0; i < v.size(); ++i) {
    out.push_back(Number(v[i], where + "[" + std::to_string(i) + "]"));
  }
  return out;
}

Matrix ParseMatrix(const json& v, const std::string& where) {
  if (!v.is_array() || v.empty())
    throw SpecError(where, "expected a non-empty array of rows");
  Matrix m;
  for (std::size_t r = 0; r < v.size(); ++r) {
    const Vector row = ParseVector(v[r], where + "[" + std::to_string(r) + "]");
    if (r == 0) {
      m.cols = row.size();
    } else if (row.size() != m.cols) {
      throw SpecError(where, "ragged: row " + std::to_string(r) + " has " +
                                 std::to_string(row.size()) +
                                 " entries, row 0 has " +
                                 std::to_string(m.cols));
    }
    m.data.insert(m.data.end(), row.begin(), row.end());
    ++m.rows;
  }
  return m;
}

// Layer i of n from its JSON, checked against the layer before it
// (nullptr for the first): every defect names its field.
//! [parse_spec]
Layer ParseLayer(const json& l, std::size_t i, std::size_t n,
                 const Layer* previous) {
  const std::string at = "layers[" + std::to_string(i) + "]";
  Matrix W = ParseMatrix(Field(l, "W", at), at + ".W");
  Vector b = ParseVector(Field(l, "b", at), at + ".b");
  const json& g = Field(l, "activation", at);
  if (!g.is_string()) throw SpecError(at + ".activation", "expected a string");
  Activation act;
  try {
    act = ch02::ParseActivation(g.get<std::string>());
  } catch (const std::invalid_argument& e) {
    throw SpecError(at + ".activation", e.what());
  }
  if (b.size() != W.rows) {
    throw SpecError(at + ".b",
                    "has " + std::to_string(b.size()) + " entries but W has " +
                        std::to_string(W.rows) + " rows (one per unit)");
  }
  if (previous != nullptr && W.cols != previous->W.rows) {
    throw SpecError(at + ".W", "has " + std::to_string(W.cols) +
                                   " columns but layers[" +
                                   std::to_string(i - 1) + "] has " +
                                   std::to_string(previous->W.rows) + " units");
  }
  if (act == Activation::kSoftmax && i + 1 != n) {
    throw SpecError(at + ".activation",
                    "softmax is allowed only on the last layer");
  }
  return {std::move(W), std::move(b), act};
}
//! [parse_spec]

}  // namespace

Spec ParseSpec(const json& spec) {
  const json& layers_json = Field(spec, "layers", "spec");
  if (!layers_json.is_array() || layers_json.empty()) {
    throw SpecError("layers", "expected a non-empty array of layers");
  }
  std::vector<Layer> layers;
  for (std::size_t i = 0; i < layers_json.size(); ++i) {
    layers.push_back(ParseLayer(layers_json[i], i, layers_json.size(),
                                layers.empty() ? nullptr : &layers.back()));
  }
  const json& loss_json = Field(spec, "loss", "spec");
  if (!loss_json.is_string()) throw SpecError("loss", "expected a string");
  Loss loss;
  try {
    loss = ParseLoss(loss_json.get<std::string>());
  } catch (const std::invalid_argument& e) {
    throw SpecError("loss", e.what());
  }
  if (layers.back().g == Activation::kSoftmax && loss != Loss::kCrossEntropy) {
    throw SpecError("loss", "a softmax output layer needs cross_entropy");
  }
  Matrix X = ParseMatrix(Field(spec, "x", "spec"), "x");
  Matrix Y = ParseMatrix(Field(spec, "y", "spec"), "y");
  if (X.cols != layers.front().W.cols) {
    throw SpecError("x", "has " + std::to_string(X.cols) +
                             " columns but layers[0].W has " +
                             std::to_string(layers.front().W.cols));
  }
  if (Y.rows != X.rows || Y.cols != layers.back().W.rows) {
    throw SpecError("y", "has shape " + Y.Shape() + " but the network gives " +
                             Matrix(X.rows, layers.back().W.rows).Shape());
  }
  if (loss == Loss::kCrossEntropy || loss == Loss::kBinaryCrossEntropy) {
    for (std::size_t i = 0; i < Y.data.size(); ++i) {
      if (Y.data[i] < 0 || Y.data[i] > 1) {
        throw SpecError(
            "y[" + std::to_string(i / Y.cols) + "][" +
                std::to_string(i % Y.cols) + "]",
            "must lie in [0, 1] for " + std::string(LossName(loss)));
      }
    }
  }
  const double lr =
      Number(Field(spec, "learning_rate", "spec"), "learning_rate");
  return {Mlp(std::move(layers)), loss, std::move(X), std::move(Y), lr};
}

Solution Solve(const Spec& spec, double log_base) {
  Trace t = spec.net.Forward(spec.X);
  // From the logits where the output and the loss pair up, so that a
  // saturated output still has its finite loss and gradient.
  const double loss = TraceLoss(spec.net, t, spec.Y, spec.loss, log_base);
  if (!std::isfinite(loss)) {
    throw SpecError("loss",
                    "is not finite at this point (the forward pass "
                    "overflows, or a probability of 0 or 1 under a log)");
  }
  Gradients g = Backward(spec.net, t, spec.Y, spec.loss, log_base);
  Mlp updated = SgdUpdate(spec.net, g, spec.learning_rate);
  return {std::move(t), loss, std::move(g), std::move(updated)};
}

namespace {

nlohmann::ordered_json MatrixJson(const Matrix& m) {
  nlohmann::ordered_json rows = nlohmann::ordered_json::array();
  for (std::size_t r = 0; r < m.rows; ++r)
    rows.push_back(Vector(m.Row(r).begin(), m.Row(r).end()));
  return rows;
}

// v to `decimals` decimals, or as the chapter reports print it (-1).
std::string Num(double v, int decimals) {
  if (decimals < 0) return chapters::Format(v);
  // Sized for the number: %f writes every integer digit (309 of them near
  // the largest double), which a fixed buffer once cut off silently.
  std::ostringstream os;
  os << std::fixed << std::setprecision(decimals) << v;
  std::string out = os.str();
  // A small negative value rounds to "-0.00": print it as the 0 it shows.
  if (out[0] == '-' && out.find_first_not_of("-0.") == std::string::npos) {
    out.erase(0, 1);
  }
  return out;
}

// A matrix as the body rows of a Markdown table, under MdHeader's columns.
std::string MdMatrix(const Matrix& m, int d) {
  std::string s;
  for (std::size_t r = 0; r < m.rows; ++r) {
    s += "|";
    for (std::size_t c = 0; c < m.cols; ++c) s += " " + Num(m(r, c), d) + " |";
    s += "\n";
  }
  return s;
}
std::string MdHeader(std::size_t cols) {
  std::string s = "|";
  for (std::size_t c = 0; c < cols; ++c)
    s += " " + std::to_string(c + 1) + " |";
  s += "\n|";
  for (std::size_t c = 0; c < cols; ++c) s += "---|";
  return s + "\n";
}
// A number for math mode: "1e-07" would print as 1e-07 with a minus sign;
// it becomes 1 \times 10^{-7}.
std::string TexNum(double v, int d) {
  const std::string s = Num(v, d);
  const std::size_t e = s.find_first_of("eE");
  if (e == std::string::npos) return s;
  return s.substr(0, e) + " \\times 10^{" +
         std::to_string(std::stoi(s.substr(e + 1))) + "}";
}

// A matrix as a bracketed array: amsmath's bmatrix stops at MaxMatrixCols
// (10) columns, an array takes any width.
std::string TexMatrix(const Matrix& m, int d) {
  std::string s = "\\left[\\begin{array}{" + std::string(m.cols, 'c') + "} ";
  for (std::size_t r = 0; r < m.rows; ++r) {
    for (std::size_t c = 0; c < m.cols; ++c)
      s += (c ? " & " : "") + TexNum(m(r, c), d);
    s += r + 1 < m.rows ? " \\\\ " : " ";
  }
  return s + "\\end{array}\\right]";
}
Matrix Column(const Vector& v) {
  Matrix m(v.size(), 1);
  m.data = v;
  return m;
}

}  // namespace

std::string FirstNonFinite(const Solution& s) {
  auto matrix = [](const Matrix& m, const std::string& name) -> std::string {
    for (std::size_t r = 0; r < m.rows; ++r) {
      for (std::size_t c = 0; c < m.cols; ++c) {
        if (!std::isfinite(m(r, c))) {
          return name + "[" + std::to_string(r) + "][" + std::to_string(c) +
                 "]";
        }
      }
    }
    return "";
  };
  auto vector = [](const Vector& v, const std::string& name) -> std::string {
    for (std::size_t i = 0; i < v.size(); ++i) {
      if (!std::isfinite(v[i])) return name + "[" + std::to_string(i) + "]";
    }
    return "";
  };
  std::string bad;
  for (std::size_t i = 1; i < s.trace.a.size() && bad.empty(); ++i) {
    const std::string at = "layers[" + std::to_string(i) + "]";
    bad = matrix(s.trace.z[i], at + ".z");
    if (bad.empty()) bad = matrix(s.trace.a[i], at + ".a");
  }
  if (bad.empty() && !std::isfinite(s.loss)) bad = "loss";
  for (std::size_t k = 0; k < s.grads.W.size() && bad.empty(); ++k) {
    const std::string g = "grads[" + std::to_string(k) + "]",
                      u = "updated[" + std::to_string(k) + "]";
    bad = matrix(s.grads.W[k], g + ".W");
    if (bad.empty()) bad = vector(s.grads.b[k], g + ".b");
    if (bad.empty()) bad = matrix(s.updated.layers()[k].W, u + ".W");
    if (bad.empty()) bad = vector(s.updated.layers()[k].b, u + ".b");
  }
  return bad;
}

nlohmann::ordered_json ToJson(const Solution& s) {
  nlohmann::ordered_json out;
  out["layers"] = nlohmann::ordered_json::array();
  for (std::size_t i = 1; i < s.trace.a.size(); ++i) {
    out["layers"].push_back(
        {{"z", MatrixJson(s.trace.z[i])}, {"a", MatrixJson(s.trace.a[i])}});
  }
  out["loss"] = s.loss;
  out["grads"] = nlohmann::ordered_json::array();
  out["updated"] = nlohmann::ordered_json::array();
  for (std::size_t k = 0; k < s.grads.W.size(); ++k) {
    out["grads"].push_back(
        {{"W", MatrixJson(s.grads.W[k])}, {"b", s.grads.b[k]}});
    const Layer& l = s.updated.layers()[k];
    out["updated"].push_back({{"W", MatrixJson(l.W)}, {"b", l.b}});
  }
  return out;
}

std::string ToMarkdown(const Spec& spec, const Solution& s, int d,
                       double log_base) {
  std::ostringstream os;
  os << "## Forward pass\n\n";
  for (std::size_t i = 1; i < s.trace.a.size(); ++i) {
    const Layer& l = spec.net.layers()[i - 1];
    os << "### Layer " << i << " (" << ch02::ActivationName(l.g) << ")\n\n"
       << "z = W a + b, one row per example:\n\n"
       << MdHeader(s.trace.z[i].cols) << MdMatrix(s.trace.z[i], d)
       << "\na = " << ch02::ActivationName(l.g) << "(z):\n\n"
       << MdHeader(s.trace.a[i].cols) << MdMatrix(s.trace.a[i], d) << "\n";
  }
  os << "## Loss\n\n"
     << LossName(spec.loss) << " (mean over " << spec.X.rows << " example"
     << (spec.X.rows == 1 ? "" : "s")
     << (log_base ? ", log base " + Num(log_base, -1) : "") << "): **"
     << Num(s.loss, d) << "**\n\n## Gradients\n\n";
  for (std::size_t k = 0; k < s.grads.W.size(); ++k) {
    os << "### Layer " << k + 1 << "\n\ndL/dW:\n\n"
       << MdHeader(s.grads.W[k].cols) << MdMatrix(s.grads.W[k], d)
       << "\ndL/db:\n\n"
       << MdHeader(1) << MdMatrix(Column(s.grads.b[k]), d) << "\n";
  }
  os << "## Update (learning rate " << Num(spec.learning_rate, -1) << ")\n\n";
  for (std::size_t k = 0; k < s.grads.W.size(); ++k) {
    const Layer& l = s.updated.layers()[k];
    os << "### Layer " << k + 1 << "\n\nW - lr dL/dW:\n\n"
       << MdHeader(l.W.cols) << MdMatrix(l.W, d) << "\nb - lr dL/db:\n\n"
       << MdHeader(1) << MdMatrix(Column(l.b), d) << "\n";
  }
  return os.str();
}

std::string ToLatex(const Spec& spec, const Solution& s, int d,
                    double log_base) {
  // One row per line of the align*; rows are joined by \\, so the last one
  // does not end in an empty row. The equations go two to a row when every
  // pair's matrices have at most kSideBySideColumns columns together, and
  // one to a row otherwise: align* lines its columns up across all rows, so
  // one wide left equation would push every right one off the page.
  constexpr std::size_t kSideBySideColumns = 8;
  struct Equation {
    std::string tex;
    std::size_t cols;
  };
  std::vector<std::pair<Equation, Equation>> pairs;
  std::vector<std::string> rows;
  // lhs1 = m1 beside lhs2 = between m2.
  auto pair = [&](const std::string& lhs1, const Matrix& m1,
                  const std::string& lhs2, const std::string& between,
                  const Matrix& m2) {
    pairs.push_back({{lhs1 + " &= " + TexMatrix(m1, d), m1.cols},
                     {lhs2 + " &= " + between + TexMatrix(m2, d), m2.cols}});
  };
  for (std::size_t i = 1; i < s.trace.a.size(); ++i) {
    const Layer& l = spec.net.layers()[i - 1];
    const std::string n = std::to_string(i);
    pair("Z^{(" + n + ")}", s.trace.z[i], "A^{(" + n + ")}",
         "\\mathrm{" + std::string(ch02::ActivationName(l.g)) + "}(Z^{(" + n +
             ")}) = ",
         s.trace.a[i]);
  }
  std::string loss_name = LossName(spec.loss);  // "_" must be "\_" in LaTeX
  for (std::size_t at = 0; (at = loss_name.find('_', at)) != std::string::npos;
       at += 2) {
    loss_name.replace(at, 1, "\\_");
  }
  const std::string loss_note =
      "\\text{" + loss_name +
      (log_base ? ", log base " + Num(log_base, -1) : "") + "}";
  const std::size_t forward_pairs = pairs.size();
  for (std::size_t k = 0; k < s.grads.W.size(); ++k) {
    const Layer& l = s.updated.layers()[k];
    const std::string n = std::to_string(k + 1);
    pair("\\frac{\\partial L}{\\partial W^{(" + n + ")}}", s.grads.W[k],
         "\\frac{\\partial L}{\\partial b^{(" + n + ")}}", "",
         Column(s.grads.b[k]));
    pair("W^{(" + n + ")}_{\\text{new}}", l.W, "b^{(" + n + ")}_{\\text{new}}",
         "", Column(l.b));
  }
  bool side_by_side = true;
  for (const auto& [left, right] : pairs) {
    side_by_side &= left.cols + right.cols <= kSideBySideColumns;
  }
  for (std::size_t i = 0; i < pairs.size(); ++i) {
    if (i == forward_pairs) {  // the loss, its name in the right column
      rows.push_back("L &= " + TexNum(s.loss, d) +
                     (side_by_side ? " & & " : " \\quad ") + loss_note);
    }
    if (side_by_side) {
      rows.push_back(pairs[i].first.tex + " & " + pairs[i].second.tex);
    } else {
      rows.push_back(pairs[i].first.tex);
      rows.push_back(pairs[i].second.tex);
    }
  }
  // amsmath's align* never breaks across pages unless allowed: a tall
  // network would run off the page's foot. The group keeps the setting to
  // this display.
  std::string out =
      "% nn-trace: forward pass, loss, gradients and update (amsmath)\n"
      "{\\allowdisplaybreaks\n"
      "\\begin{align*}\n";
  for (std::size_t i = 0; i < rows.size(); ++i) {
    out += rows[i] + (i + 1 < rows.size() ? " \\\\\n" : "\n");
  }
  return out + "\\end{align*}}\n";
}

std::string TraceSpecText(std::string_view text, std::string_view format,
                          int decimals, double log_base) {
  if (text.size() > kMaxSpecBytes) {
    throw SpecError("spec", "larger than 1 MiB");
  }
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    throw SpecError("spec", "empty input");
  }
  json parsed;
  try {
    // Rejects ill-formed UTF-8, and numbers a double cannot hold (1e999):
    // JSON has no NaN or infinity literals, so this is where non-finite
    // input ends.
    parsed = json::parse(text);
  } catch (const nlohmann::json::exception& e) {  // parse, overflow
    throw SpecError("spec",
                    "invalid JSON: " + chapters::WithoutJsonPrefix(e.what()));
  }
  const Spec spec = ParseSpec(parsed);
  const Solution solution = Solve(spec, log_base);
  if (const std::string bad = FirstNonFinite(solution); !bad.empty()) {
    throw SpecError(bad,
                    "is not finite (the network saturates or overflows at "
                    "these weights); no solution printed");
  }
  if (format == "json") return ToJson(solution).dump(2) + "\n";
  if (format == "markdown") {
    return ToMarkdown(spec, solution, decimals, log_base);
  }
  if (format == "latex") return ToLatex(spec, solution, decimals, log_base);
  throw SpecError("--format", "must be json, markdown or latex");
}

std::string ReadSpecText(const std::string& path) {
  if (path == "-") return chapters::ReadAtMost(std::cin, kMaxSpecBytes);
  std::ifstream in(path, std::ios::binary);
  if (!in) throw SpecError("--spec", "cannot open '" + path + "'");
  return chapters::ReadAtMost(in, kMaxSpecBytes);
}

}  // namespace ffnn::ch03
