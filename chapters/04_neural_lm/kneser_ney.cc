#include "chapters/04_neural_lm/kneser_ney.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "kernels/exercise.h"  // the student pack's stubs

namespace ffnn::ch04 {
namespace {

// An n-gram key: word j of the n-gram (0 = first) as id + 1 in the 21-bit
// slot at bit 21 (4 - j), so keys of one order sort like their word
// sequences, a history is its n-gram with the last slot cleared, and 0 is
// the empty history.
constexpr int kSlotBits = 21;
constexpr int kMaxOrder = 5;
constexpr std::uint64_t kMaxVocab = (std::uint64_t{1} << kSlotBits) - 1;

int Shift(int slot) { return kSlotBits * (kMaxOrder - 1 - slot); }

}  // namespace

Discounts EstimateDiscounts(std::uint64_t n1, std::uint64_t n2,
                            std::uint64_t n3, std::uint64_t n4) {
  Discounts d;
  if (n1 == 0 || n2 == 0) return d;
  const double y = double(n1) / (double(n1) + 2.0 * double(n2));
  auto take = [](double value, double k, double& out) {
    if (std::isfinite(value) && value > 0 && value <= k) out = value;
  };
  take(1.0 - 2.0 * y * double(n2) / double(n1), 1, d.d1);
  if (n3 > 0) take(2.0 - 3.0 * y * double(n3) / double(n2), 2, d.d2);
  if (n3 > 0 && n4 > 0) take(3.0 - 4.0 * y * double(n4) / double(n3), 3, d.d3);
  return d;
}

KneserNey::Key KneserNey::Pack(std::span<const std::int32_t> words) {
  Key key = 0;
  for (std::size_t j = 0; j < words.size(); ++j) {
    key |= Key(static_cast<std::uint32_t>(words[j]) + 1)
           << Shift(static_cast<int>(j));
  }
  return key;
}

std::uint32_t KneserNey::Find(const std::vector<Entry>& v, Key k) {
  const auto it = std::lower_bound(
      v.begin(), v.end(), k, [](const Entry& e, Key x) { return e.key < x; });
  return it != v.end() && it->key == k ? it->count : 0;
}

const KneserNey::History* KneserNey::FindHistory(const std::vector<History>& v,
                                                 Key k) {
  const auto it = std::lower_bound(
      v.begin(), v.end(), k, [](const History& h, Key x) { return h.key < x; });
  return it != v.end() && it->key == k ? &*it : nullptr;
}

KneserNey::KneserNey(std::span<const std::int32_t> train,
                     std::size_t vocab_size, int order,
                     std::vector<Discounts> discounts)
    : order_(order), vocab_size_(vocab_size), levels_(order) {
  if (order < 1 || order > kMaxOrder) {
    throw std::invalid_argument("KneserNey: order must be 1 to 5, got " +
                                std::to_string(order));
  }
  if (vocab_size == 0 || vocab_size > kMaxVocab) {
    throw std::invalid_argument("KneserNey: vocabulary size " +
                                std::to_string(vocab_size) +
                                " outside 1 to 2^21 - 1");
  }
  for (const std::int32_t w : train) {
    if (w < 0 || static_cast<std::size_t>(w) >= vocab_size) {
      throw std::invalid_argument("KneserNey: word id " + std::to_string(w) +
                                  " outside the vocabulary");
    }
  }
  auto counted = [](std::vector<Key> keys) {  // sorted (key, count) runs
    std::sort(keys.begin(), keys.end());
    std::vector<Entry> out;
    for (std::size_t i = 0; i < keys.size();) {
      std::size_t j = i;
      while (j < keys.size() && keys[j] == keys[i]) ++j;
      out.push_back({keys[i], static_cast<std::uint32_t>(j - i)});
      i = j;
    }
    return out;
  };
  // Raw counts of the highest order; each lower order n counts the distinct
  // words before its n-grams: the suffixes of the distinct raw (n+1)-grams.
  std::vector<Entry> raw_above;
  for (int n = order; n >= 1; --n) {
    std::vector<Key> keys;
    for (std::size_t i = n - 1; i < train.size(); ++i) {
      keys.push_back(Pack(train.subspan(i + 1 - n, n)));
    }
    std::vector<Entry> raw = counted(std::move(keys));
    Level& level = levels_[n - 1];
    if (n == order) {
      level.counts = raw;
    } else {
      std::vector<Key> suffixes;
      suffixes.reserve(raw_above.size());
      const Key mask = (Key(1) << (kSlotBits * kMaxOrder)) - 1;
      for (const Entry& e : raw_above) {
        suffixes.push_back((e.key << kSlotBits) & mask);
      }
      level.counts = counted(std::move(suffixes));
    }
    raw_above = std::move(raw);
  }
  for (int n = 1; n <= order; ++n) {
    Level& level = levels_[n - 1];
    // Histories: the n-gram keys with the last slot cleared; entries of one
    // history are contiguous because keys sort word by word.
    const Key last = (Key(1) << kSlotBits) - 1;
    const Key clear = ~(last << Shift(n - 1));
    std::uint64_t nk[5] = {0, 0, 0, 0, 0};
    for (const Entry& e : level.counts) {
      const Key h = e.key & clear;
      if (level.histories.empty() || level.histories.back().key != h) {
        level.histories.push_back({h, 0, 0, 0, 0});
      }
      History& hist = level.histories.back();
      hist.total += e.count;
      if (e.count == 1)
        ++hist.n1;
      else if (e.count == 2)
        ++hist.n2;
      else
        ++hist.n3;
      if (e.count <= 4) ++nk[e.count];
    }
    level.discounts = discounts.size() == static_cast<std::size_t>(order)
                          ? discounts[n - 1]
                          : EstimateDiscounts(nk[1], nk[2], nk[3], nk[4]);
  }
}

//! [kn_prob]
double KneserNey::Prob(std::span<const std::int32_t> history,
                       std::int32_t w) const {
  const std::size_t context = std::min<std::size_t>(order_ - 1, history.size());
  const auto ctx = history.last(context);
  double p = 1.0 / static_cast<double>(vocab_size_);  // p_0: uniform
  std::vector<std::int32_t> gram;
  for (std::size_t n = 1; n <= context + 1; ++n) {
    const auto h = ctx.last(n - 1);  // the last n - 1 words
    const Level& level = levels_[n - 1];
    const History* hist = FindHistory(level.histories, Pack(h));
    if (hist == nullptr) continue;  // unseen history: p_n = p_(n-1)
    gram.assign(h.begin(), h.end());
    gram.push_back(w);
    const std::uint32_t c = Find(level.counts, Pack(gram));
    const Discounts& d = level.discounts;
    // Exercise 4.5: the interpolated Kneser-Ney probability (2 points).
    // Slide: none of the decks gives it; the nearest is LMU, Feedforward
    //   Neural Networks and Word Embeddings, slide 'Neural language model'
    //   ("back-off to smaller history"); the smoothing is Chen and
    //   Goodman's (1998).
    // Formula: p_n(w | h) = (max(c(h w) - D(c(h w)), 0) + gamma(h)
    //   p_(n-1)(w | h')) / c(h), with gamma(h) = D1 N1(h) + D2 N2(h) +
    //   D3+ N3+(h): c = c(h w), d.For(c) = D(c), d.d1, d.d2, d.d3 = D1,
    //   D2, D3+; hist->n1, n2, n3 = N1(h), N2(h), N3+(h) (how many words
    //   follow h once, twice, three times or more); hist->total =
    //   sum_w' c(h w') (continuation counts below the highest order);
    //   p holds p_(n-1)(w | h') on entry and receives p_n(w | h).
    // Shapes: scalars.
    // Builds on: nothing.
    // BEGIN SOLUTION ch04.5.kneser_ney
    const double gamma = d.d1 * hist->n1 + d.d2 * hist->n2 + d.d3 * hist->n3;
    p = (std::max(c - d.For(c), 0.0) + gamma * p) / double(hist->total);
    // END SOLUTION
  }
  return p;
}
//! [kn_prob]

std::vector<double> KneserNey::TokenProbs(std::span<const std::int32_t> stream,
                                          std::size_t skip) const {
  std::vector<double> p;
  for (std::size_t i = skip; i < stream.size(); ++i) {
    const std::size_t from =
        i >= std::size_t(order_ - 1) ? i - (order_ - 1) : 0;
    p.push_back(Prob(stream.subspan(from, i - from), stream[i]));
  }
  return p;
}

double KneserNey::Perplexity(std::span<const std::int32_t> stream,
                             std::size_t skip) const {
  double nll = 0;
  const std::vector<double> p = TokenProbs(stream, skip);
  if (p.empty()) {
    // No perplexity exists (the callers check their splits first).
    throw std::invalid_argument("KneserNey::Perplexity: no token to score");
  }
  for (const double x : p) nll -= std::log(x);
  return std::exp(nll / double(p.size()));
}

}  // namespace ffnn::ch04
