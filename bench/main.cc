// bench_kernels: both sides of kernels_bench.cc in one executable.
#include <benchmark/benchmark.h>

namespace ffnn::bench {
namespace simd_side {
void RegisterAll();
}
namespace reference_side {
void RegisterAll();
}
}  // namespace ffnn::bench

int main(int argc, char** argv) {
  ffnn::bench::simd_side::RegisterAll();
  ffnn::bench::reference_side::RegisterAll();
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
