#include "chapters/common/iris.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>

#include "chapters/common/errors.h"
#include "chapters/common/files.h"
#include "chapters/common/random.h"
#include "chapters/common/text.h"

namespace ffnn::chapters {
namespace {

constexpr std::uintmax_t kMaxIrisBytes = std::uintmax_t{16} << 20;

// At most 60 bytes of a line, for an error message.
std::string Abbreviated(const std::string& s) {
  return s.size() <= 60 ? s : s.substr(0, 57) + "...";
}

std::vector<std::string> SplitCsv(const std::string& line) {
  std::vector<std::string> fields;
  std::stringstream ss(line);
  std::string f;
  while (std::getline(ss, f, ',')) fields.push_back(f);
  if (!line.empty() && line.back() == ',') fields.emplace_back();
  return fields;
}

// Parses the whole field as a finite double, or throws.
double ParseNumber(const std::string& field, const std::string& where) {
  const char* begin = field.c_str();
  char* end = nullptr;
  errno = 0;
  const double v = std::strtod(begin, &end);
  if (end == begin || *end != '\0' || errno == ERANGE || !std::isfinite(v)) {
    throw InputError(where + ": '" + Abbreviated(field) +
                     "' is not a finite number");
  }
  return v;
}

}  // namespace

IrisData LoadIris(const std::string& path) {
  if (!std::ifstream(path)) {
    throw InputError(path + ": cannot open the Iris data");
  }
  // Bounded and checked before parsing: a class name is printed later.
  const std::string text = ReadFileBounded(path, kMaxIrisBytes);
  CheckUtf8(text, path);
  std::istringstream in(text);
  std::string line;
  if (!std::getline(in, line) || line.empty()) {
    throw InputError(path + ": empty file, expected a header line");
  }
  if (line.back() == '\r') line.pop_back();
  const auto header = SplitCsv(line);
  if (header.size() < 3) {
    throw InputError(path + ":1: malformed header '" + Abbreviated(line) +
                     "', expected n,d,class names");
  }
  const double n = ParseNumber(header[0], path + ":1");
  const double d = ParseNumber(header[1], path + ":1");
  if (n < 1 || d < 1 || n != std::floor(n) || d != std::floor(d)) {
    throw InputError(path +
                     ":1: row and column counts must be "
                     "positive integers");
  }
  // The chapters' networks take the 4 measurements and predict 3 classes.
  if (d != kIrisFeatures || header.size() - 2 != kIrisClasses) {
    throw InputError(
        path + ":1: the header declares " + Abbreviated(header[1]) +
        " measurements and " + std::to_string(header.size() - 2) +
        " classes; the Iris data has " + std::to_string(kIrisFeatures) +
        " and " + std::to_string(kIrisClasses));
  }
  // Every row takes at least 2 bytes per field: a header that promises
  // more rows than the file can hold is refused before allocating them.
  if (n * 2 * (d + 1) > double(text.size())) {
    throw InputError(path + ":1: the header promises " +
                     Abbreviated(header[0]) + " rows, more than the file's " +
                     std::to_string(text.size()) + " bytes can hold");
  }
  IrisData data;
  data.class_names.assign(header.begin() + 2, header.end());
  const auto rows = static_cast<std::size_t>(n),
             cols = static_cast<std::size_t>(d);
  data.X = Matrix(rows, cols);
  std::size_t r = 0;
  for (std::size_t line_no = 2; std::getline(in, line); ++line_no) {
    if (line.empty() || line == "\r") continue;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const std::string where = path + ":" + std::to_string(line_no);
    if (r == rows) {
      throw InputError(where + ": more rows than the header's " +
                       std::to_string(rows));
    }
    const auto fields = SplitCsv(line);
    if (fields.size() != cols + 1) {
      throw InputError(where + ": expected " + std::to_string(cols + 1) +
                       " fields, found " + std::to_string(fields.size()));
    }
    for (std::size_t j = 0; j < cols; ++j) {
      data.X(r, j) = ParseNumber(fields[j], where);
    }
    const double label = ParseNumber(fields[cols], where);
    if (label < 0 || label >= static_cast<double>(data.class_names.size()) ||
        label != std::floor(label)) {
      throw InputError(where + ": class '" + Abbreviated(fields[cols]) +
                       "' is not one of 0.." +
                       std::to_string(data.class_names.size() - 1));
    }
    data.labels.push_back(static_cast<int>(label));
    ++r;
  }
  if (r != rows) {
    throw InputError(path + ": the header promises " + std::to_string(rows) +
                     " rows, the file has " + std::to_string(r));
  }
  return data;
}

IrisSplit SplitIris(const std::string& data_dir) {
  const std::string path = data_dir + "/iris.csv";
  const IrisData iris = LoadIris(path);
  if (iris.X.rows <= 120) {
    throw InputError(path + ": " + std::to_string(iris.X.rows) +
                     " rows; the 120 / rest split needs more");
  }
  std::vector<std::size_t> idx(iris.X.rows);
  for (std::size_t i = 0; i < idx.size(); ++i) idx[i] = i;
  std::mt19937_64 rng(2024);
  Shuffle(idx.begin(), idx.end(), rng);
  const std::size_t n_train = 120, d = iris.X.cols;
  IrisSplit s{Matrix(n_train, d), Matrix(n_train, 3),
              Matrix(idx.size() - n_train, d), Matrix(idx.size() - n_train, 3)};
  for (std::size_t r = 0; r < idx.size(); ++r) {
    Matrix& X = r < n_train ? s.X_train : s.X_test;
    Matrix& Y = r < n_train ? s.Y_train : s.Y_test;
    const std::size_t row = r < n_train ? r : r - n_train;
    for (std::size_t j = 0; j < d; ++j) X(row, j) = iris.X(idx[r], j);
    Y(row, static_cast<std::size_t>(iris.labels[idx[r]])) = 1;
  }
  for (std::size_t j = 0; j < d; ++j) {
    double mean = 0, var = 0;
    for (std::size_t r = 0; r < n_train; ++r) mean += s.X_train(r, j) / n_train;
    for (std::size_t r = 0; r < n_train; ++r) {
      var += (s.X_train(r, j) - mean) * (s.X_train(r, j) - mean) / n_train;
    }
    const double sd = std::sqrt(var);
    // A constant measurement cannot be standardized (0 / 0).
    if (!(sd > 0)) {
      throw InputError(
          path + ": measurement " + std::to_string(j + 1) +
          " is the same in every training row and cannot be standardized");
    }
    for (std::size_t r = 0; r < n_train; ++r)
      s.X_train(r, j) = (s.X_train(r, j) - mean) / sd;
    for (std::size_t r = 0; r < s.X_test.rows; ++r)
      s.X_test(r, j) = (s.X_test(r, j) - mean) / sd;
  }
  return s;
}

}  // namespace ffnn::chapters
