// Kernel benchmarks, compiled twice into one executable (bench_kernels): with
// FFNN_BENCH_REFERENCE=0 against the SIMD kernels and with
// FFNN_BENCH_REFERENCE=1 against the Eigen reference. Each benchmark is
// named <kernel>/<side>/<size>; scripts/bench_table.py pairs the two sides.
// One executable lets Google Benchmark interleave the two sides at random
// (--benchmark_enable_random_interleaving), so a slow period of a shared
// machine hits both alike.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <utility>

#include "bench/common.h"
#if FFNN_BENCH_REFERENCE
#include "bench/side_reference.h"
#define FFNN_BENCH_SIDE reference_side
#else
#include "bench/side_simd.h"
#define FFNN_BENCH_SIDE simd_side
#endif

namespace ffnn::bench::FFNN_BENCH_SIDE {
namespace side = ::ffnn::bench::FFNN_BENCH_SIDE;
namespace {

// Input arrays are created once per (size, seed) and reused, so the 128 MiB
// operands of the out-of-cache runs are filled once.
float* Buffer(std::size_t n, uint64_t seed) {
  static std::map<std::pair<std::size_t, uint64_t>,
                  std::unique_ptr<Data<float>>>
      pool;
  auto& slot = pool[{n, seed}];
  if (!slot) slot = std::make_unique<Data<float>>(n, seed);
  return slot->data();
}

std::vector<int32_t> RandomIndices(std::size_t n, int32_t V, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<int32_t> dist(0, V - 1);
  std::vector<int32_t> idx(n);
  for (auto& i : idx) i = dist(rng);
  return idx;
}

// Indices drawn from a Zipf (s = 1) distribution over V words: p(r) is
// proportional to 1 / (r + 1), the rank-frequency law of real text, so a few
// rows are hot and most are cold, as in word2vec's updates.
std::vector<int32_t> ZipfIndices(std::size_t n, int32_t V, uint64_t seed) {
  std::vector<double> cdf(V);
  double total = 0;
  for (int32_t r = 0; r < V; ++r) cdf[r] = total += 1.0 / (r + 1);
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(0.0, total);
  std::vector<int32_t> idx(n);
  for (auto& i : idx) {
    i = static_cast<int32_t>(std::lower_bound(cdf.begin(), cdf.end(), u(rng)) -
                             cdf.begin());
    i = std::min(i, V - 1);
  }
  return idx;
}

// <kernel>/<side>/..., the side suffixed _t<threads> for threaded runs.
std::string Name(const char* kernel, int threads = 1) {
  std::string name = std::string(kernel) + "/" + side::kName;
  if (threads > 1) name += "_t" + std::to_string(threads);
  return name;
}

// The thread counts a threaded kernel is benchmarked at on this side.
std::vector<int> ThreadCounts() {
  if (side::kThreaded) return {1, 2};
  return {1};
}

// Long: the registration table, one entry per kernel and size class.
void RegisterVector() {
  // The in-cache calls of word2vec and the optimizers (d = 100, 128, 300;
  // 1024) and the streaming sizes.
  auto reg = [](const char* kernel, auto body) {
    auto* b = benchmark::RegisterBenchmark(Name(kernel).c_str(), body);
    for (int64_t n : kVectorSizes) b->Arg(n);
    return b;
  };
  auto reg_small = [&](const char* kernel, auto body) {
    auto* b = reg(kernel, body);
    for (int64_t n : kSmallVectorSizes) b->Arg(n);
  };
  reg_small("dot", [](benchmark::State& s) {
    const std::size_t n = s.range(0);
    const float *x = Buffer(n, 1), *y = Buffer(n, 2);
    for (auto _ : s) benchmark::DoNotOptimize(side::Dot(x, y, n));
    SetFlops(s, 2.0 * n);
    SetBytes(s, 8.0 * n);
  });
#if !FFNN_BENCH_REFERENCE
  // The checked entry point (shape check, span construction, dispatch),
  // beside dot's fast path: the difference is the fixed cost of a call.
  for (int64_t n : {int64_t{0}, int64_t{100}, int64_t{1024}}) {
    benchmark::RegisterBenchmark("call_cost/dot_span", [](benchmark::State& s) {
      const std::size_t len = s.range(0);
      const float *x = Buffer(len + 1, 1), *y = Buffer(len + 1, 2);
      for (auto _ : s) benchmark::DoNotOptimize(side::DotSpan(x, y, len));
    })->Arg(n);
    benchmark::RegisterBenchmark("call_cost/dot_fast", [](benchmark::State& s) {
      const std::size_t len = s.range(0);
      const float *x = Buffer(len + 1, 1), *y = Buffer(len + 1, 2);
      for (auto _ : s) benchmark::DoNotOptimize(side::Dot(x, y, len));
    })->Arg(n);
  }
#endif
  reg("sum", [](benchmark::State& s) {
    const std::size_t n = s.range(0);
    const float* x = Buffer(n, 1);
    for (auto _ : s) benchmark::DoNotOptimize(side::Sum(x, n));
    SetFlops(s, 1.0 * n);
    SetBytes(s, 4.0 * n);
  });
  reg("max", [](benchmark::State& s) {
    const std::size_t n = s.range(0);
    const float* x = Buffer(n, 1);
    for (auto _ : s) benchmark::DoNotOptimize(side::Max(x, n));
    SetBytes(s, 4.0 * n);
  });
  reg_small("axpy", [](benchmark::State& s) {
    const std::size_t n = s.range(0);
    const float* x = Buffer(n, 1);
    float* y = Buffer(n, 3);
    for (auto _ : s) {
      side::Axpy(1e-6f, x, y, n);
      benchmark::ClobberMemory();
    }
    SetFlops(s, 2.0 * n);
    SetBytes(s, 12.0 * n);
  });
  reg("add", [](benchmark::State& s) {
    const std::size_t n = s.range(0);
    const float *x = Buffer(n, 1), *y = Buffer(n, 2);
    float* o = Buffer(n, 4);
    for (auto _ : s) {
      side::Add(x, y, o, n);
      benchmark::ClobberMemory();
    }
    SetBytes(s, 12.0 * n);
  });
  // Activations: forward reads x, writes y; backward reads dy, y, writes dx.
  using Fwd = void (*)(const float*, float*, std::size_t);
  using Bwd = void (*)(const float*, const float*, float*, std::size_t);
  const std::pair<const char*, Fwd> fwd[] = {
      {"sigmoid", side::Sigmoid}, {"tanh", side::Tanh}, {"relu", side::Relu}};
  for (const auto& [name, f] : fwd) {
    reg(name, [f = f](benchmark::State& s) {
      const std::size_t n = s.range(0);
      const float* x = Buffer(n, 1);
      float* y = Buffer(n, 4);
      for (auto _ : s) {
        f(x, y, n);
        benchmark::ClobberMemory();
      }
      SetBytes(s, 8.0 * n);
    });
  }
  const std::pair<const char*, Bwd> bwd[] = {
      {"sigmoid_backward", side::SigmoidBackward},
      {"tanh_backward", side::TanhBackward},
      {"relu_backward", side::ReluBackward}};
  for (const auto& [name, f] : bwd) {
    reg_small(name, [f = f](benchmark::State& s) {
      const std::size_t n = s.range(0);
      const float *dy = Buffer(n, 1), *y = Buffer(n, 2);
      float* dx = Buffer(n, 4);
      for (auto _ : s) {
        f(dy, y, dx, n);
        benchmark::ClobberMemory();
      }
      SetBytes(s, 12.0 * n);
    });
  }
  reg_small("sgd", [](benchmark::State& s) {
    const std::size_t n = s.range(0);
    const float* g = Buffer(n, 1);
    float* theta = Buffer(n, 5);
    for (auto _ : s) {
      side::Sgd(1e-6f, g, theta, n);
      benchmark::ClobberMemory();
    }
    SetBytes(s, 12.0 * n);
  });
  reg("momentum", [](benchmark::State& s) {
    const std::size_t n = s.range(0);
    const float* g = Buffer(n, 1);
    float *v = Buffer(n, 6), *theta = Buffer(n, 5);
    for (auto _ : s) {
      side::Momentum(1e-6f, 0.5f, g, v, theta, n);
      benchmark::ClobberMemory();
    }
    SetBytes(s, 20.0 * n);
  });
  reg("adam", [](benchmark::State& s) {
    const std::size_t n = s.range(0);
    const float* g = Buffer(n, 1);
    float *m = Buffer(n, 6), *v = Buffer(n, 7), *theta = Buffer(n, 5);
    int64_t t = 0;
    for (auto _ : s) {
      side::Adam(1e-6f, ++t % 1000 + 1, g, m, v, theta, n);
      benchmark::ClobberMemory();
    }
    SetBytes(s, 28.0 * n);
  });
}

//! [lm_products]
// The neural LM's three products with the output matrix U (V x h), for a
// batch of B examples with hidden states H (B x h) and logit gradients
// G (B x V). Shapes are B x h x V.
//   lm_logits: Z (B x V) = H U^T          (NT: m = B, n = V, k = h)
//   lm_grad_u: dU (V x h) = G^T H         (TN: m = V, n = h, k = B)
//   lm_grad_h: dH (B x h) = G U           (NN: m = B, n = h, k = V)
void RegisterLanguageModel() {
  struct Product {
    const char* name;
    bool ta, tb;
  };
  const Product products[] = {{"lm_logits", false, true},
                              {"lm_grad_u", true, false},
                              {"lm_grad_h", false, false}};
  for (int threads : ThreadCounts()) {
    for (const Product& p : products) {
      auto* b = benchmark::RegisterBenchmark(
          Name(p.name, threads).c_str(), [p, threads](benchmark::State& s) {
            const std::size_t B = s.range(0), h = s.range(1), V = s.range(2);
            const float* H = Buffer(B * h, 1);
            const float* U = Buffer(V * h, 2);
            const float* G = Buffer(B * V, 3);
            float* out = Buffer(std::max(B * V, V * h), 4);
            for (auto _ : s) {
              if (!p.ta && p.tb)
                side::Gemm(false, true, B, V, h, H, U, out, threads);
              if (p.ta) side::Gemm(true, false, V, h, B, G, H, out, threads);
              if (!p.ta && !p.tb)
                side::Gemm(false, false, B, h, V, G, U, out, threads);
              benchmark::ClobberMemory();
            }
            SetFlops(s, 2.0 * B * h * V);
          });
      b->Args({128, 128, 11264})->Args({512, 256, 50000});
    }
  }
}
//! [lm_products]

void RegisterMatrix() {
  // gemv and ger: 256x256 (256 KiB, L2) and 8192x4096 (128 MiB, memory).
  for (bool trans : {false, true}) {
    auto* b = benchmark::RegisterBenchmark(
        Name(trans ? "gemv_t" : "gemv_n").c_str(),
        [trans](benchmark::State& s) {
          const std::size_t m = s.range(0), n = s.range(1);
          const float *A = Buffer(m * n, 1), *x = Buffer(trans ? m : n, 2);
          float* y = Buffer(trans ? n : m, 4);
          for (auto _ : s) {
            side::Gemv(trans, A, m, n, x, y);
            benchmark::ClobberMemory();
          }
          SetFlops(s, 2.0 * m * n);
          SetBytes(s, 4.0 * m * n);
        });
    b->Args({256, 256})->Args({8192, 4096});
  }
  benchmark::RegisterBenchmark(
      Name("ger").c_str(),
      [](benchmark::State& s) {
        const std::size_t m = s.range(0), n = s.range(1);
        const float *x = Buffer(m, 2), *y = Buffer(n, 3);
        float* A = Buffer(m * n, 4);
        for (auto _ : s) {
          side::Ger(x, m, y, n, A);
          benchmark::ClobberMemory();
        }
        SetFlops(s, 2.0 * m * n);
        SetBytes(s, 8.0 * m * n);
      })
      ->Args({256, 256})
      ->Args({8192, 4096});

  // gemm: square NN at every size, and NT / TN (the backward products) too.
  const std::pair<const char*, std::pair<bool, bool>> kinds[] = {
      {"gemm_nn", {false, false}},
      {"gemm_nt", {false, true}},
      {"gemm_tn", {true, false}}};
  for (int threads : ThreadCounts()) {
    for (const auto& [name, t] : kinds) {
      auto* b = benchmark::RegisterBenchmark(
          Name(name, threads).c_str(), [t = t, threads](benchmark::State& s) {
            const std::size_t n = s.range(0);
            const float *A = Buffer(n * n, 1), *B = Buffer(n * n, 2);
            float* C = Buffer(n * n, 4);
            for (auto _ : s) {
              side::Gemm(t.first, t.second, n, n, n, A, B, C, threads);
              benchmark::ClobberMemory();
            }
            SetFlops(s, 2.0 * n * n * n);
          });
      for (int64_t n : kGemmSizes) b->Arg(n);
    }
  }
  RegisterLanguageModel();
}

// Long: the registration table, one entry per kernel and size class.
void RegisterRows() {
  // Softmax over (rows, classes): one row of 4096 in L1 (the cost per
  // element against machine/exp_fp32), 256x1000 (1 MiB, L2) and 8192x1000
  // (32 MiB, L3/memory); the LM's batches of 128 rows of V = 11,264 and 512
  // rows of V = 50,000. Cross-entropy with one-hot target rows (dense) and
  // with class indices (softmax_xent_index, what the LM uses).
  auto shapes = [](benchmark::internal::Benchmark* b) {
    b->Args({1, 4096})
        ->Args({256, 1000})
        ->Args({8192, 1000})
        ->Args({128, 11264})
        ->Args({512, 50000});
  };
  auto target_of = [](std::size_t i, std::size_t c) { return (i * 7919) % c; };
  for (int threads : ThreadCounts()) {
    shapes(benchmark::RegisterBenchmark(
        Name("softmax", threads).c_str(), [threads](benchmark::State& s) {
          const std::size_t r = s.range(0), c = s.range(1);
          const float* x = Buffer(r * c, 1);
          float* y = Buffer(r * c, 4);
          for (auto _ : s) {
            side::Softmax(x, y, r, c, threads);
            benchmark::ClobberMemory();
          }
          SetBytes(s, 8.0 * r * c);
        }));
    shapes(benchmark::RegisterBenchmark(
        Name("softmax_xent", threads).c_str(),
        [threads, target_of](benchmark::State& s) {
          const std::size_t r = s.range(0), c = s.range(1);
          const float* z = Buffer(r * c, 1);
          std::vector<float> t(r * c, 0.f);
          for (std::size_t i = 0; i < r; ++i) t[i * c + target_of(i, c)] = 1.f;
          float* g = Buffer(r * c, 4);
          for (auto _ : s) {
            benchmark::DoNotOptimize(
                side::SoftmaxXent(z, t.data(), g, r, c, threads));
            benchmark::ClobberMemory();
          }
          SetBytes(s, 12.0 * r * c);
        }));
    shapes(benchmark::RegisterBenchmark(
        Name("softmax_xent_index", threads).c_str(),
        [threads, target_of](benchmark::State& s) {
          const std::size_t r = s.range(0), c = s.range(1);
          const float* z = Buffer(r * c, 1);
          std::vector<int32_t> t(r);
          for (std::size_t i = 0; i < r; ++i)
            t[i] = static_cast<int32_t>(target_of(i, c));
          float* g = Buffer(r * c, 4);
          for (auto _ : s) {
            benchmark::DoNotOptimize(
                side::SoftmaxXentIndex(z, t, g, r, c, threads));
            benchmark::ClobberMemory();
          }
          s.counters["ns/element"] =
              benchmark::Counter(static_cast<double>(r * c),
                                 benchmark::Counter::kIsIterationInvariantRate |
                                     benchmark::Counter::kInvert);
          SetBytes(s, 8.0 * r * c);
        }));
  }

  // Embeddings: a 100k x 128 table (51 MiB), 4096 random rows.
  const int32_t V = 100000;
  const std::size_t d = 128, n = 4096;
  benchmark::RegisterBenchmark(Name("gather").c_str(),
                               [=](benchmark::State& s) {
                                 const auto idx = RandomIndices(n, V, 9);
                                 const float* table = Buffer(V * d, 1);
                                 float* out = Buffer(n * d, 4);
                                 for (auto _ : s) {
                                   side::Gather(table, V, d, idx, out);
                                   benchmark::ClobberMemory();
                                 }
                                 SetBytes(s, 8.0 * n * d);
                               })
      ->Arg(static_cast<int64_t>(n));
  benchmark::RegisterBenchmark(Name("scatter_add").c_str(),
                               [=](benchmark::State& s) {
                                 const auto idx = RandomIndices(n, V, 9);
                                 const float* rows = Buffer(n * d, 2);
                                 float* table = Buffer(V * d, 5);
                                 for (auto _ : s) {
                                   side::ScatterAdd(rows, idx, d, table, V);
                                   benchmark::ClobberMemory();
                                 }
                                 SetBytes(s, 12.0 * n * d);
                               })
      ->Arg(static_cast<int64_t>(n));
  // Per context row: dot (2d), two axpys (4d); then the center (2d).
  auto sgns = [](const char* name, int32_t words, auto draw, uint64_t seed) {
    benchmark::RegisterBenchmark(
        Name(name).c_str(),
        [=](benchmark::State& s) {
          const std::size_t dim = s.range(0), k1 = 6, draws = 4096;
          const auto ctx = draw(draws * k1, words, seed);
          const auto centers_idx = draw(draws, words, seed + 1);
          float* table = Buffer(words * dim, seed + 2);
          float* centers = Buffer(words * dim, seed + 3);
          std::vector<float> u_grad(dim);
          std::size_t i = 0;
          for (auto _ : s) {
            benchmark::DoNotOptimize(side::Sgns(
                1e-4f, centers + centers_idx[i] * dim, dim, table, words,
                std::span<const int32_t>(ctx.data() + i * k1, k1),
                u_grad.data()));
            i = (i + 1) % draws;
          }
          SetFlops(s, k1 * 6.0 * dim + 2.0 * dim);
        })
        ->Arg(100)
        ->Arg(300);
  };
  // Negative sampling as word2vec runs it: d = 100 or 300, k = 5
  // negatives, a new (center, contexts) draw each step: uniform over the
  // 100k-row table, and as in real text, Zipf (s = 1) over V = 12,000.
  sgns("sgns", V, RandomIndices, 10);
  sgns("sgns_zipf", 12000, ZipfIndices, 20);
}

}  // namespace

void RegisterAll() {
  RegisterVector();
  RegisterMatrix();
  RegisterRows();
}

}  // namespace ffnn::bench::FFNN_BENCH_SIDE
