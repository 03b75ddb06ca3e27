#include "kernels/views.h"

#include <stdexcept>

namespace ffnn::kernels {

std::string ShapeString(std::size_t rows, std::size_t cols) {
  return "(" + std::to_string(rows) + ", " + std::to_string(cols) + ")";
}

void CheckSameLength(const char* op, const char* a_name, std::size_t a,
                     const char* b_name, std::size_t b) {
  if (a == b) return;
  throw std::invalid_argument(std::string(op) + ": " + a_name + " has shape (" +
                              std::to_string(a) + ") but " + b_name +
                              " has shape (" + std::to_string(b) + ")");
}

void CheckSameShape(const char* op, const char* a_name, std::size_t a_rows,
                    std::size_t a_cols, const char* b_name, std::size_t b_rows,
                    std::size_t b_cols) {
  if (a_rows == b_rows && a_cols == b_cols) return;
  throw std::invalid_argument(std::string(op) + ": " + a_name + " has shape " +
                              ShapeString(a_rows, a_cols) + " but " + b_name +
                              " has shape " + ShapeString(b_rows, b_cols));
}

void CheckStride(const char* op, const char* name, std::size_t cols,
                 std::size_t stride) {
  if (stride >= cols) return;
  throw std::invalid_argument(std::string(op) + ": " + name + " has " +
                              std::to_string(cols) + " columns but stride " +
                              std::to_string(stride));
}

}  // namespace ffnn::kernels
