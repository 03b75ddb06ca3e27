// ResolveVectorOps: one table from the dispatch tables of three translation
// units, after making sure the chosen target is initialized (before the first
// dispatched call, entry 0 of every table is Highway's initializing stub,
// which would work but cost a target look-up on every call).
#include "kernels/fast.h"

#include "hwy/targets.h"

namespace ffnn::kernels {
namespace {

template <class T>
VectorOps<T> Resolve() {
#if !defined(__EMSCRIPTEN__)  // static dispatch there (dispatch.h)
  hwy::ChosenTarget& chosen = hwy::GetChosenTarget();
  if (!chosen.IsInitialized()) chosen.Update(hwy::SupportedTargets());
#endif
  VectorOps<T> ops{};
  detail::ResolveBlas(ops);
  detail::ResolveActivations(ops);
  detail::ResolveOptim(ops);
  return ops;
}

}  // namespace

VectorOps<float> ResolveVectorOpsF32() { return Resolve<float>(); }
VectorOps<double> ResolveVectorOpsF64() { return Resolve<double>(); }

}  // namespace ffnn::kernels
