// Seeded test data in deliberately misaligned buffers.
//
// A Buffer of n elements at offset `off` lives at the END of an allocation of
// off + n elements, so any read past element n - 1 leaves the allocation and
// AddressSanitizer (the asan preset) reports it; the `off` elements in front
// hold a sentinel that must survive every kernel call.
#ifndef FFNN_TESTS_SUPPORT_BUFFERS_H_
#define FFNN_TESTS_SUPPORT_BUFFERS_H_

#include <cstddef>
#include <memory>
#include <random>
#include <span>
#include <vector>

namespace ffnn::testing {

template <class T>
class Buffer {
 public:
  static constexpr T kSentinel = T(-12345.25);

  Buffer(std::size_t n, std::size_t off)
      : n_(n), off_(off), storage_(new T[off + n]) {
    for (std::size_t i = 0; i < off; ++i) storage_[i] = kSentinel;
    for (std::size_t i = 0; i < n; ++i) data()[i] = T(0);
  }
  T* data() { return storage_.get() + off_; }
  const T* data() const { return storage_.get() + off_; }
  std::size_t size() const { return n_; }
  std::span<T> span() { return {data(), n_}; }
  std::span<const T> cspan() const { return {data(), n_}; }
  T& operator[](std::size_t i) { return data()[i]; }
  const T& operator[](std::size_t i) const { return data()[i]; }
  bool FrontIntact() const {
    for (std::size_t i = 0; i < off_; ++i) {
      if (storage_[i] != kSentinel) return false;
    }
    return true;
  }
  std::vector<T> ToVector() const { return {data(), data() + n_}; }

 private:
  std::size_t n_, off_;
  std::unique_ptr<T[]> storage_;
};

// Fills with uniform values in [lo, hi) from a seeded generator.
template <class T>
void FillUniform(std::span<T> x, std::mt19937_64& rng, double lo = -1.0,
                 double hi = 1.0) {
  std::uniform_real_distribution<double> dist(lo, hi);
  for (T& v : x) v = static_cast<T>(dist(rng));
}

// Lengths for the differential tests: every length up to 40 (all tails of
// every vector width up to 16 lanes, plus unrolled loops), then lengths
// around powers of two and odd sizes up to 1100.
inline std::vector<std::size_t> TestLengths() {
  std::vector<std::size_t> n;
  for (std::size_t i = 0; i <= 40; ++i) n.push_back(i);
  for (std::size_t v : {63, 64, 65, 127, 128, 129, 255, 257, 511, 512, 513, 777,
                        1023, 1024, 1025, 1099, 1100}) {
    n.push_back(v);
  }
  return n;
}

// Misalignments (in elements) applied to every buffer start.
inline std::vector<std::size_t> TestOffsets() { return {0, 1, 3}; }

}  // namespace ffnn::testing

#endif  // FFNN_TESTS_SUPPORT_BUFFERS_H_
