// Eigen types of the reference implementation, templated on the scalar S so
// that float, double and Eigen's AutoDiffScalar all run through the same code.
// Matrices are row-major, like the kernels' MatView.
#ifndef FFNN_REFERENCE_TYPES_H_
#define FFNN_REFERENCE_TYPES_H_

#include <Eigen/Core>

namespace ffnn::reference {

template <class S>
using Vec = Eigen::Matrix<S, Eigen::Dynamic, 1>;
template <class S>
using Mat = Eigen::Matrix<S, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// Read-only and writable references: accept Vec/Mat and Eigen::Map of raw
// buffers alike, without a copy.
template <class S>
using VecIn = Eigen::Ref<const Vec<S>>;
template <class S>
using VecOut = Eigen::Ref<Vec<S>>;
template <class S>
using MatIn = Eigen::Ref<const Mat<S>, 0, Eigen::OuterStride<>>;
template <class S>
using MatOut = Eigen::Ref<Mat<S>, 0, Eigen::OuterStride<>>;

}  // namespace ffnn::reference

#endif  // FFNN_REFERENCE_TYPES_H_
