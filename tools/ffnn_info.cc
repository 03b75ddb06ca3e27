// ffnn_info: which Highway targets this build compiled, which ones the CPU
// supports, and which one the kernels dispatch to. Handy when a benchmark
// number looks wrong, or on a new machine.
#include <cstdint>
#include <cstdio>

#include "hwy/highway.h"
#include "hwy/targets.h"
#include "kernels/blas.h"

int main() {
  std::printf("Highway %d.%d.%d\n", HWY_MAJOR, HWY_MINOR, HWY_PATCH);
  std::printf("compiled targets:");
  for (int64_t t = HWY_TARGETS; t != 0; t &= t - 1) {
    std::printf(" %s", hwy::TargetName(t & ~(t - 1)));
  }
  std::printf("\nsupported by this CPU:");
  for (int64_t t : hwy::SupportedAndGeneratedTargets()) {
    std::printf(" %s", hwy::TargetName(t));
  }
  // The first supported target in the list is the best; dispatch picks it.
  const auto targets = hwy::SupportedAndGeneratedTargets();
  std::printf("\nkernels dispatch to: %s\n",
              targets.empty() ? "none" : hwy::TargetName(targets.front()));
  // A one-line self-check through the dispatched kernel.
  const float x[] = {1, 2, 3}, y[] = {4, 5, 6};
  std::printf("self-check: dot([1,2,3], [4,5,6]) = %g (expected 32)\n",
              static_cast<double>(ffnn::kernels::Dot(x, y)));
  return ffnn::kernels::Dot(x, y) == 32.0f ? 0 : 1;
}
