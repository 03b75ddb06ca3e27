// Counter-based random streams for the chapters' reproducible training:
// splitmix64 (Steele, Lea and Flood 2014), whose output depends only on
// its starting state, so a stream keyed by (seed, step) or (seed, epoch,
// block) gives the same numbers whichever thread draws them.
#ifndef FFNN_CHAPTERS_COMMON_RANDOM_H_
#define FFNN_CHAPTERS_COMMON_RANDOM_H_

#include <cstdint>

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

}  // namespace ffnn::chapters

#endif  // FFNN_CHAPTERS_COMMON_RANDOM_H_
