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

inline constexpr std::size_t kIrisFeatures = 4, kIrisClasses = 3;

// Loads scikit-learn's iris.csv: a header "n,4,name0,name1,name2", then n
// rows of 4 numbers and a class index. Throws InputError naming the file
// and line on a missing, empty, larger than 16 MiB or invalid UTF-8 file, a
// malformed header or row, another number of measurements or classes, a
// row count the file cannot hold (checked before allocating), a non-finite
// number, a class outside the names, or a wrong row count.
IrisData LoadIris(const std::string& path);

// Iris, split 120 / 30 with a seeded shuffle (seed 2024), features z-scored
// with the training set's mean and deviation, labels one-hot. Throws
// InputError for a file of at most 120 rows or a constant measurement.
struct IrisSplit {
  Matrix X_train, Y_train, X_test, Y_test;
};
IrisSplit SplitIris(const std::string& data_dir);

}  // namespace ffnn::chapters

#endif  // FFNN_CHAPTERS_COMMON_IRIS_H_
