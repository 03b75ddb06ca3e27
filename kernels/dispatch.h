// Picks the exported per-target function for element type T (Name##F32 for
// float, Name##F64 for double) and calls it on the best target the CPU
// supports (HWY_DYNAMIC_DISPATCH).
#ifndef FFNN_KERNELS_DISPATCH_H_
#define FFNN_KERNELS_DISPATCH_H_

#include <type_traits>

#include "hwy/highway.h"

namespace ffnn::kernels::detail {

template <class T, class F32, class F64>
constexpr auto PickByType(F32 f32, F64 f64) {
  static_assert(std::is_same_v<T, float> || std::is_same_v<T, double>);
  if constexpr (std::is_same_v<T, float>) {
    return f32;
  } else {
    return f64;
  }
}

}  // namespace ffnn::kernels::detail

#define FFNN_DISPATCH(T, Name, ...)                           \
  ::ffnn::kernels::detail::PickByType<T>(                     \
      &HWY_DYNAMIC_DISPATCH(Name##F32),                       \
      &HWY_DYNAMIC_DISPATCH(Name##F64))(__VA_ARGS__)

#endif  // FFNN_KERNELS_DISPATCH_H_
