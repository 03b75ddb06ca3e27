// Picks the exported per-target function for element type T (Name##F32 for
// float, Name##F64 for double) and calls it on the best target the CPU
// supports: HWY_DYNAMIC_DISPATCH, except that the chosen target is read
// through a reference resolved once (ChosenTarget()) instead of a call into
// libhwy on every kernel call. The target is still read on every call, so
// hwy::SetSupportedTargetsForTest keeps working.
#ifndef FFNN_KERNELS_DISPATCH_H_
#define FFNN_KERNELS_DISPATCH_H_

#include <type_traits>

#include "hwy/highway.h"

namespace ffnn::kernels::detail {

// libhwy's chosen-target cache; GetChosenTarget() is an exported function,
// the reference to its result never changes.
#if !defined(__EMSCRIPTEN__)
inline hwy::ChosenTarget& ChosenTarget() {
  static hwy::ChosenTarget& chosen = hwy::GetChosenTarget();
  return chosen;
}
#endif

// Looks up only the dispatch table for T, so the other element type's table
// is never touched.
template <class T, class GetF32, class GetF64>
auto PickByType(const GetF32& get_f32, const GetF64& get_f64) {
  static_assert(std::is_same_v<T, float> || std::is_same_v<T, double>);
  if constexpr (std::is_same_v<T, float>) {
    return get_f32();
  } else {
    return get_f64();
  }
}

}  // namespace ffnn::kernels::detail

#if defined(__EMSCRIPTEN__)
// The WebAssembly build (tools/live) has no run-time dispatch: libhwy's
// compiled parts are not built for it, and a WASM module runs on one
// target, the one it was compiled for (WASM with -msimd128, else EMU128).
#define FFNN_DISPATCH_POINTER(T, Name)                \
  ::ffnn::kernels::detail::PickByType<T>(             \
      [] { return &HWY_STATIC_DISPATCH(Name##F32); }, \
      [] { return &HWY_STATIC_DISPATCH(Name##F64); })
#else
// The function pointer HWY_DYNAMIC_DISPATCH would call, for element type T.
#define FFNN_DISPATCH_POINTER(T, Name)                                      \
  ::ffnn::kernels::detail::PickByType<T>(                                   \
      [] {                                                                  \
        return HWY_DISPATCH_TABLE(                                          \
            Name##F32)[::ffnn::kernels::detail::ChosenTarget().GetIndex()]; \
      },                                                                    \
      [] {                                                                  \
        return HWY_DISPATCH_TABLE(                                          \
            Name##F64)[::ffnn::kernels::detail::ChosenTarget().GetIndex()]; \
      })
#endif

#define FFNN_DISPATCH(T, Name, ...) \
  (*FFNN_DISPATCH_POINTER(T, Name))(__VA_ARGS__)

#endif  // FFNN_KERNELS_DISPATCH_H_
