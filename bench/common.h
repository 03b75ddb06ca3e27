// Shared pieces of the benchmark executables: sizes, buffers, counters.
//
// Every benchmark is named <kernel>/<simd|reference>/<size> so that
// scripts/bench_table.py can pair the SIMD kernel with its Eigen reference.
#ifndef FFNN_BENCH_COMMON_H_
#define FFNN_BENCH_COMMON_H_

#include <benchmark/benchmark.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace ffnn::bench {

// Vector lengths: 1Ki floats (4 KiB, L1), 64Ki (256 KiB, L2) and 32Mi
// (128 MiB per operand: beyond the 2 MiB L2 and, with two operands, the
// 105 MiB L3 of the benchmark machine).
inline const std::vector<int64_t> kVectorSizes = {1 << 10, 1 << 16, 1 << 25};
// The in-L1 sizes of the calls word2vec and the optimizers make: d = 100,
// 128 and 300 (and 1024 above).
inline const std::vector<int64_t> kSmallVectorSizes = {100, 128, 300};
inline const std::vector<int64_t> kGemmSizes = {64, 128, 256, 512, 1024};

// A 64-byte aligned buffer filled with a fixed pseudo-random sequence in
// [-1, 1) (xorshift, seeded: the same numbers every run).
template <class T>
struct Data {
  explicit Data(std::size_t count, uint64_t seed = 1)
      : n(count),
        p(static_cast<T*>(
            ::operator new[](count * sizeof(T) + 64, std::align_val_t(64)))) {
    uint64_t s = 0x9E3779B97F4A7C15ull * (seed + 1);
    for (std::size_t i = 0; i < n; ++i) {
      s ^= s << 13;
      s ^= s >> 7;
      s ^= s << 17;
      p[i] = static_cast<T>(static_cast<double>(s >> 11) * 0x1.0p-52 - 1.0);
    }
  }
  ~Data() { ::operator delete[](p, std::align_val_t(64)); }
  Data(const Data&) = delete;
  Data& operator=(const Data&) = delete;
  T* data() { return p; }
  std::size_t size() const { return n; }

  std::size_t n;
  T* p;
};

// Rate counters: FLOP/s and B/s per iteration (Google Benchmark prints them
// with SI prefixes; the JSON holds the raw rates).
inline void SetFlops(benchmark::State& state, double flops_per_iter) {
  state.counters["FLOP/s"] = benchmark::Counter(
      flops_per_iter, benchmark::Counter::kIsIterationInvariantRate,
      benchmark::Counter::kIs1000);
}
inline void SetBytes(benchmark::State& state, double bytes_per_iter) {
  state.counters["B/s"] = benchmark::Counter(
      bytes_per_iter, benchmark::Counter::kIsIterationInvariantRate,
      benchmark::Counter::kIs1000);
}

}  // namespace ffnn::bench

#endif  // FFNN_BENCH_COMMON_H_
