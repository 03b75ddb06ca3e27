#include "chapters/common/matrix.h"

namespace ffnn::chapters {

Matrix::Matrix(std::initializer_list<std::initializer_list<double>> rows_init)
    : rows(rows_init.size()),
      cols(rows_init.size() ? rows_init.begin()->size() : 0) {
  for (const auto& r : rows_init) {
    if (r.size() != cols) {
      throw std::invalid_argument("Matrix: ragged rows (" +
                                  std::to_string(r.size()) + " vs " +
                                  std::to_string(cols) + " columns)");
    }
    data.insert(data.end(), r.begin(), r.end());
  }
}

}  // namespace ffnn::chapters
