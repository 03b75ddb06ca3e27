// The machine's own limits, the yardsticks of the kernel benchmarks:
//   machine/fma_peak_fp32: single-core FP32 FMA throughput (24 independent
//     FMA chains, enough to fill two FMA ports of 4-cycle latency);
//   machine/{read,scale,update,copy}: single-core streaming bandwidth on
//     128 MiB arrays (beyond every cache) for the access patterns of the
//     kernels: read only (dot, sum), read one + write one (activations),
//     read two + write one back (axpy, SGD), read two + write a third
//     (triad: add, backward passes), and memcpy.
//     Compiled with -march=native (bench/CMakeLists.txt);
//   machine/exp_fp32: the throughput of a vectorized single-precision exp,
//     Eigen's at -march=native, on 4096 floats in L1, in ns per element: the
//     yardstick of the softmax family, which computes one exp per element.
#include <benchmark/benchmark.h>
#include <immintrin.h>

#include <Eigen/Core>
#include <cstdint>
#include <cstring>
#include <vector>

#include "bench/common.h"

namespace {

using ffnn::bench::SetBytes;
using ffnn::bench::SetFlops;

void FmaPeak(benchmark::State& state) {
#if defined(__AVX512F__)
  using V = __m512;
  constexpr int kLanes = 16;
  auto set = [](float v) { return _mm512_set1_ps(v); };
  auto fma = [](V a, V b, V c) { return _mm512_fmadd_ps(a, b, c); };
#elif defined(__FMA__)
  using V = __m256;
  constexpr int kLanes = 8;
  auto set = [](float v) { return _mm256_set1_ps(v); };
  auto fma = [](V a, V b, V c) { return _mm256_fmadd_ps(a, b, c); };
#else
  using V = float;
  constexpr int kLanes = 1;
  auto set = [](float v) { return v; };
  auto fma = [](V a, V b, V c) { return a * b + c; };
#endif
  constexpr int kChains = 24, kSteps = 1000;
  V acc[kChains];
  for (int i = 0; i < kChains; ++i) acc[i] = set(1e-3f * i);
  const V b = set(0.9999f), c = set(1e-4f);
  for (auto _ : state) {
    for (int s = 0; s < kSteps; ++s) {
#pragma GCC unroll 24
      for (int i = 0; i < kChains; ++i) acc[i] = fma(acc[i], b, c);
    }
    for (auto& a : acc) benchmark::DoNotOptimize(a);
  }
  SetFlops(state, 2.0 * kLanes * kChains * kSteps);
}
BENCHMARK(FmaPeak)->Name("machine/fma_peak_fp32");

constexpr std::size_t kStreamFloats = std::size_t{1} << 25;  // 128 MiB

// Read: sums with four independent accumulators (vectorized explicitly,
// since the compiler may not reorder a float sum). One stream is the pattern
// of sum and max; two streams (read the same way from two arrays) the
// pattern of dot, which gives the prefetchers more to work with.
template <int kStreams>
void Read(benchmark::State& state) {
  std::vector<float> a(kStreamFloats, 1.f),
      b(kStreams == 2 ? kStreamFloats : 0, 1.f);
  for (auto _ : state) {
#if defined(__AVX512F__)
    __m512 s0 = _mm512_setzero_ps(), s1 = s0, s2 = s0, s3 = s0;
    for (std::size_t i = 0; i < kStreamFloats; i += 32) {
      s0 = _mm512_add_ps(s0, _mm512_loadu_ps(&a[i]));
      s1 = _mm512_add_ps(s1, _mm512_loadu_ps(&a[i + 16]));
      if constexpr (kStreams == 2) {
        s2 = _mm512_add_ps(s2, _mm512_loadu_ps(&b[i]));
        s3 = _mm512_add_ps(s3, _mm512_loadu_ps(&b[i + 16]));
      }
    }
    benchmark::DoNotOptimize(
        _mm512_add_ps(_mm512_add_ps(s0, s1), _mm512_add_ps(s2, s3)));
#else
    float s[8] = {};
    for (std::size_t i = 0; i < kStreamFloats; i += 8)
      for (int j = 0; j < 8; ++j) {
        s[j] += a[i + j];
        if constexpr (kStreams == 2) s[j] += b[i + j];
      }
    benchmark::DoNotOptimize(s);
#endif
  }
  SetBytes(state, 4.0 * kStreams * kStreamFloats);
}
BENCHMARK(Read<1>)
    ->Name("machine/read_1_stream")
    ->Unit(benchmark::kMillisecond);
BENCHMARK(Read<2>)
    ->Name("machine/read_2_streams")
    ->Unit(benchmark::kMillisecond);

// Read one array, write another (y = s x): the pattern of the activations.
// Counted as 8 bytes per element, as the kernels' benchmarks count it.
void Scale(benchmark::State& state) {
  std::vector<float> x(kStreamFloats, 1.f), y(kStreamFloats, 2.f);
  for (auto _ : state) {
    for (std::size_t i = 0; i < kStreamFloats; ++i) y[i] = 0.5f * x[i];
    benchmark::ClobberMemory();
  }
  SetBytes(state, 8.0 * kStreamFloats);
}
BENCHMARK(Scale)->Name("machine/scale")->Unit(benchmark::kMillisecond);

// Read two arrays and write one of them back (y = y + s x): the pattern of
// axpy and SGD, 12 bytes per element.
void Update(benchmark::State& state) {
  std::vector<float> x(kStreamFloats, 1.f), y(kStreamFloats, 2.f);
  for (auto _ : state) {
    for (std::size_t i = 0; i < kStreamFloats; ++i) y[i] += 1e-7f * x[i];
    benchmark::ClobberMemory();
  }
  SetBytes(state, 12.0 * kStreamFloats);
}
BENCHMARK(Update)->Name("machine/update")->Unit(benchmark::kMillisecond);

// Read two arrays, write a third (a = b + s c, STREAM's triad): the pattern
// of add and the activations' backward passes, 12 bytes per element.
void Triad(benchmark::State& state) {
  std::vector<float> a(kStreamFloats), b(kStreamFloats, 1.f),
      c(kStreamFloats, 2.f);
  for (auto _ : state) {
    for (std::size_t i = 0; i < kStreamFloats; ++i) a[i] = b[i] + 0.5f * c[i];
    benchmark::ClobberMemory();
  }
  SetBytes(state, 12.0 * kStreamFloats);
}
BENCHMARK(Triad)->Name("machine/triad")->Unit(benchmark::kMillisecond);

// memcpy, for reference (it may use non-temporal stores).
void Copy(benchmark::State& state) {
  std::vector<float> a(kStreamFloats, 1.f), b(kStreamFloats, 2.f);
  for (auto _ : state) {
    std::memcpy(b.data(), a.data(), kStreamFloats * sizeof(float));
    benchmark::ClobberMemory();
  }
  SetBytes(state, 8.0 * kStreamFloats);
}
BENCHMARK(Copy)->Name("machine/copy")->Unit(benchmark::kMillisecond);

void Exp(benchmark::State& state) {
  constexpr Eigen::Index kN = 4096;
  Eigen::ArrayXf x = Eigen::ArrayXf::LinSpaced(kN, -20.f, 0.f), y(kN);
  for (auto _ : state) {
    y = x.exp();
    benchmark::ClobberMemory();
  }
  state.counters["ns/element"] = benchmark::Counter(
      static_cast<double>(kN), benchmark::Counter::kIsIterationInvariantRate |
                                   benchmark::Counter::kInvert);
}
BENCHMARK(Exp)->Name("machine/exp_fp32");

}  // namespace

BENCHMARK_MAIN();
