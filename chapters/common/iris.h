// Fisher's Iris data (data/iris.csv, see data/README.md).
#ifndef FFNN_CHAPTERS_COMMON_IRIS_H_
#define FFNN_CHAPTERS_COMMON_IRIS_H_

#include <string>
#include <vector>

#include "chapters/common/matrix.h"

namespace ffnn::chapters {

struct IrisData {
  Matrix X;                              // (150, 4): sepal l, w, petal l, w
  std::vector<int> labels;               // 0, 1, 2
  std::vector<std::string> class_names;  // setosa, versicolor, virginica
};

// Loads scikit-learn's iris.csv: a header "n,d,name0,name1,name2", then n
// rows of d numbers and a class index. Throws std::runtime_error naming the
// file and line on a missing or empty file, a malformed header or row, a
// non-finite number, a class outside the names, or a wrong row count.
IrisData LoadIris(const std::string& path);

}  // namespace ffnn::chapters

#endif  // FFNN_CHAPTERS_COMMON_IRIS_H_
