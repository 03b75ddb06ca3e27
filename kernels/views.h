// Non-owning views that the kernels take, and the shape checks every public
// entry point performs before it touches memory.
//
// Vectors are std::span. Matrices are row-major MatView: element (i, j) lives
// at data[i * stride + j], so a view can name a block of a larger matrix.
#ifndef FFNN_KERNELS_VIEWS_H_
#define FFNN_KERNELS_VIEWS_H_

#include <cassert>
#include <cstddef>
#include <span>
#include <string>
#include <type_traits>

namespace ffnn::kernels {

//! [matview]
// A row-major matrix view: rows x cols, row i starts at data + i * stride.
template <class T>
struct MatView {
  T* data = nullptr;
  std::size_t rows = 0;
  std::size_t cols = 0;
  std::size_t stride = 0;  // elements between row starts, >= cols

  MatView() = default;
  MatView(T* d, std::size_t r, std::size_t c) : MatView(d, r, c, c) {}
  MatView(T* d, std::size_t r, std::size_t c, std::size_t s)
      : data(d), rows(r), cols(c), stride(s) {}
  // A view of mutable data converts to a view of const data.
  template <class U>
  requires std::is_same_v<const U, T> MatView(
      const MatView<U>& other)  // NOLINT(google-explicit-constructor)
      : MatView(other.data, other.rows, other.cols, other.stride) {}

  T* Row(std::size_t i) const { return data + i * stride; }
  T& operator()(std::size_t i, std::size_t j) const {
    assert(i < rows && j < cols);
    return data[i * stride + j];
  }
};
//! [matview]

template <class T>
using ConstMatView = MatView<const T>;

// Whether a matrix operand is used as stored or transposed.
enum class Trans { kNo, kYes };

// "(3, 4)" for error messages.
std::string ShapeString(std::size_t rows, std::size_t cols);

// Throws std::invalid_argument "<op>: <a_name> has shape <a> but <b_name> has
// shape <b>" when the shapes differ. Vectors are shapes (n).
void CheckSameLength(const char* op, const char* a_name, std::size_t a,
                     const char* b_name, std::size_t b);
void CheckSameShape(const char* op, const char* a_name, std::size_t a_rows,
                    std::size_t a_cols, const char* b_name, std::size_t b_rows,
                    std::size_t b_cols);
// Throws when a view's stride is smaller than its row length.
void CheckStride(const char* op, const char* name, std::size_t cols,
                 std::size_t stride);

template <class T>
void CheckView(const char* op, const char* name, const MatView<T>& m) {
  CheckStride(op, name, m.cols, m.stride);
}

}  // namespace ffnn::kernels

#endif  // FFNN_KERNELS_VIEWS_H_
