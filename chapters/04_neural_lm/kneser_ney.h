// The n-gram baseline the decks call "previous approaches": interpolated
// modified Kneser-Ney smoothing (Chen & Goodman 1998, "An empirical study of
// smoothing techniques for language modeling", section 3.4 and 4.1.6).
//
// For the highest order N the counts c are the raw counts; for every lower
// order n < N they are continuation counts, c(w_{1..n}) = N1+(. w_{1..n}),
// the number of distinct words seen before w_{1..n}. At every order
//   p_n(w | h) = [max(c(h w) - D_n(c(h w)), 0)
//                 + (D_n1 N1(h .) + D_n2 N2(h .) + D_n3+ N3+(h .)) p_{n-1}(w |
//                 h')]
//                / sum_w' c(h w'),
// h' the history without its first word, N_k(h .) the number of words with
// c(h w) = k (3+: at least 3), and p_n(w | h) = p_{n-1}(w | h') when h was
// never seen. The unigram level interpolates with the uniform distribution
// over the vocabulary: p_0(w) = 1 / V. The discounts of each order come from
// the count-of-counts n_k of the counts used at that order:
//   Y = n1 / (n1 + 2 n2), D1 = 1 - 2 Y n2 / n1, D2 = 2 - 3 Y n3 / n2,
//   D3+ = 3 - 4 Y n4 / n3,
// and fall back to 0.5 where the n_k leave them undefined (tiny corpora).
//
// The stream is the language-model stream of chapter 4: </s> after every
// sentence, contexts crossing sentence boundaries, no <s>.
#ifndef FFNN_CH04_KNESER_NEY_H_
#define FFNN_CH04_KNESER_NEY_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace ffnn::ch04 {

// D1, D2, D3+ of one order.
struct Discounts {
  double d1 = 0.5, d2 = 0.5, d3 = 0.5;
  double For(std::uint32_t count) const {
    return count == 0 ? 0.0 : count == 1 ? d1 : count == 2 ? d2 : d3;
  }
};

// Chen & Goodman's estimate from the count-of-counts n1..n4 (0.5 where it is
// undefined or falls outside (0, k] for D_k).
Discounts EstimateDiscounts(std::uint64_t n1, std::uint64_t n2,
                            std::uint64_t n3, std::uint64_t n4);

class KneserNey {
 public:
  // Counts every n-gram of `train` (ids in [0, vocab_size)) up to `order`
  // (1..5). `discounts`, if not empty, overrides the estimates (one entry
  // per order, unigram first); the tests use it to work an example by hand.
  // Throws std::invalid_argument on a bad order, an id outside the
  // vocabulary, or a vocabulary of more than 2^21 words.
  KneserNey(std::span<const std::int32_t> train, std::size_t vocab_size,
            int order, std::vector<Discounts> discounts = {});

  int order() const { return order_; }
  std::size_t vocab_size() const { return vocab_size_; }
  const Discounts& discounts(int n) const { return levels_[n - 1].discounts; }

  // p(w | history), the history's last order - 1 words used (fewer if it is
  // shorter).
  double Prob(std::span<const std::int32_t> history, std::int32_t w) const;

  // exp of the mean negative log-probability of stream[i] given the words
  // before it, over i >= skip (the first `skip` tokens only give context).
  // Throws std::invalid_argument when no token is left to score.
  double Perplexity(std::span<const std::int32_t> stream,
                    std::size_t skip) const;

  // p(stream[i] | the words before it) for every i >= skip, in order.
  std::vector<double> TokenProbs(std::span<const std::int32_t> stream,
                                 std::size_t skip) const;

 private:
  __extension__ typedef unsigned __int128 Key;
  struct Entry {
    Key key;
    std::uint32_t count;
  };
  struct History {
    Key key;
    std::uint64_t total;       // sum over w of c(h w)
    std::uint32_t n1, n2, n3;  // words with c(h w) = 1, 2, >= 3
  };
  struct Level {
    std::vector<Entry> counts;       // sorted by key
    std::vector<History> histories;  // sorted by key
    Discounts discounts;
  };

  static Key Pack(std::span<const std::int32_t> words);
  static std::uint32_t Find(const std::vector<Entry>& v, Key k);
  static const History* FindHistory(const std::vector<History>& v, Key k);

  int order_;
  std::size_t vocab_size_;
  std::vector<Level> levels_;  // levels_[n - 1]: order n
};

}  // namespace ffnn::ch04

#endif  // FFNN_CH04_KNESER_NEY_H_
