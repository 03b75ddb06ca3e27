// Counter-based random streams for the chapters' reproducible training:
// splitmix64 (Steele, Lea and Flood 2014), whose output depends only on
// its starting state, so a stream keyed by (seed, step) or (seed, epoch,
// block) gives the same numbers whichever thread draws them.
#ifndef FFNN_CHAPTERS_COMMON_RANDOM_H_
#define FFNN_CHAPTERS_COMMON_RANDOM_H_

#include <cstdint>
#include <utility>

namespace ffnn::chapters {

class SplitMix64 {
 public:
  explicit SplitMix64(std::uint64_t state) : state_(state) {}
  std::uint64_t Next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  // The top 53 bits as a number in [0, 1).
  double Uniform() { return double(Next() >> 11) * 0x1.0p-53; }

 private:
  std::uint64_t state_;
};

// The standard library's distributions and std::shuffle are
// implementation-defined: libstdc++ (the native build) and libc++ (the
// book's WebAssembly) draw different numbers from the same engine. The
// chapters that run in the browser draw through these instead, defined
// here from the engine's raw 64-bit output (std::mt19937_64's is fixed by
// the standard), so a seed gives the same numbers on every platform.

// A uniform integer in [0, n), n >= 1, by rejection: no modulo bias.
template <class Engine>
std::uint64_t UniformBelow(Engine& g, std::uint64_t n) {
  static_assert(Engine::min() == 0 && Engine::max() == ~std::uint64_t{0});
  const std::uint64_t limit =
      ~std::uint64_t{0} - (~std::uint64_t{0} % n + 1) % n;
  std::uint64_t x;
  do {
    x = g();
  } while (x > limit);
  return x % n;
}

// A uniform double in [a, b) from the engine's top 53 bits.
template <class Engine>
double UniformReal(Engine& g, double a, double b) {
  return a + (b - a) * (double(g() >> 11) * 0x1.0p-53);
}

// Fisher-Yates from the back, as Knuth's Algorithm P.
template <class It, class Engine>
void Shuffle(It first, It last, Engine& g) {
  for (auto n = last - first; n > 1; --n) {
    using std::swap;
    swap(first[n - 1], first[UniformBelow(g, std::uint64_t(n))]);
  }
}

}  // namespace ffnn::chapters

#endif  // FFNN_CHAPTERS_COMMON_RANDOM_H_
