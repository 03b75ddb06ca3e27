#include "chapters/05_word2vec/evaluation.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "chapters/common/corpus.h"
#include "chapters/common/cosine.h"
#include "chapters/common/top_k.h"
#include "kernels/exercise.h"  // the student pack's stubs
#include "kernels/gemm.h"

namespace ffnn::ch05 {
namespace {

constexpr std::uintmax_t kMaxPairFileBytes = std::uintmax_t{64} << 20;

[[noreturn]] void Fail(const std::string& path, std::size_t line,
                       const std::string& what) {
  throw chapters::InputError(path + ":" + std::to_string(line) + ": " + what);
}

std::vector<std::string_view> Fields(std::string_view line) {
  std::vector<std::string_view> out;
  std::size_t at = 0;
  while (at < line.size()) {
    while (at < line.size() && (line[at] == ' ' || line[at] == '\t')) ++at;
    const std::size_t begin = at;
    while (at < line.size() && line[at] != ' ' && line[at] != '\t') ++at;
    if (at > begin) out.push_back(line.substr(begin, at - begin));
  }
  return out;
}

std::string Lower(std::string_view s) {
  return chapters::LowerCase(s, "a word");
}

// Ranks from 1, ties sharing the average of the ranks they span.
std::vector<double> Ranks(std::span<const double> x) {
  std::vector<std::size_t> order(x.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return x[a] < x[b]; });
  std::vector<double> rank(x.size());
  for (std::size_t i = 0; i < order.size();) {
    std::size_t j = i;
    while (j + 1 < order.size() && x[order[j + 1]] == x[order[i]]) ++j;
    const double average = (double(i) + double(j)) / 2 + 1;
    for (std::size_t t = i; t <= j; ++t) rank[order[t]] = average;
    i = j + 1;
  }
  return rank;
}

// Calls on_line(line_no, fields, line) for every line of a bounded, valid
// UTF-8 file (chapters::ForEachLine), the fields split at tabs and spaces;
// returns the number of lines.
template <class F>
std::size_t ForEachLine(const std::string& path, const F& on_line) {
  return chapters::ForEachLine(path, kMaxPairFileBytes,
                               [&](std::size_t line_no, std::string_view line) {
                                 on_line(line_no, Fields(line), line);
                               });
}

}  // namespace

std::vector<WordPair> ReadPairs(const std::string& path) {
  std::vector<WordPair> pairs;
  const std::size_t lines = ForEachLine(
      path, [&](std::size_t line_no, const auto& f, std::string_view) {
        if (f.empty() || f[0].front() == '#') return;
        if (f.size() != 3) {
          Fail(path, line_no,
               "expected 'word1 word2 score', found " +
                   std::to_string(f.size()) + " fields");
        }
        double score = 0;
        const auto r =
            std::from_chars(f[2].data(), f[2].data() + f[2].size(), score);
        if (r.ec != std::errc() || r.ptr != f[2].data() + f[2].size() ||
            !std::isfinite(score)) {
          Fail(path, line_no,
               "the score '" + std::string(f[2].substr(0, 20)) +
                   "' is not a finite number");
        }
        pairs.push_back({std::string(f[0]), std::string(f[1]), score});
      });
  if (pairs.empty()) Fail(path, lines, "no word pairs");
  return pairs;
}

//! [spearman]
double SpearmanRho(std::span<const double> x, std::span<const double> y) {
  if (x.size() != y.size() || x.size() < 2) {
    throw std::invalid_argument(
        "Spearman's rho needs two equally long samples of at least two "
        "values");
  }
  double sxy = 0, sxx = 0, syy = 0;
  // Exercise 5.4: Spearman's rho (2 points).
  // Slide: LMU, Feedforward Neural Networks and Word Embeddings, slide
  //   'Applications' (WordSim-353 scores a space by it).
  // Formula: rho is Pearson's correlation of the ranks: with r = Ranks(x),
  //   s = Ranks(y) (from 1, ties sharing their average rank) and rbar =
  //   (n + 1) / 2, sxy = sum_i (r_i - rbar)(s_i - rbar), sxx = sum_i
  //   (r_i - rbar)^2, syy likewise; rho = sxy / sqrt(sxx syy) below.
  // Shapes: x, y: (n), n >= 2; sxy, sxx, syy: scalars.
  // Builds on: nothing.
  // BEGIN SOLUTION ch05.4.spearman
  const std::vector<double> rx = Ranks(x), ry = Ranks(y);
  const double mean = (double(x.size()) + 1) / 2;  // of 1..n, ties or not
  for (std::size_t i = 0; i < x.size(); ++i) {
    sxy += (rx[i] - mean) * (ry[i] - mean);
    sxx += (rx[i] - mean) * (rx[i] - mean);
    syy += (ry[i] - mean) * (ry[i] - mean);
  }
  // END SOLUTION
  if (sxx == 0 || syy == 0) {
    throw std::invalid_argument(
        "Spearman's rho of a sample whose values are all equal is "
        "undefined");
  }
  return sxy / std::sqrt(sxx * syy);
}
//! [spearman]

namespace {

// The refusals of an evaluation whose rho cannot exist, from the scores of
// the covered pairs.
void RequireScorable(std::span<const double> covered_scores, std::size_t total,
                     const std::string& what) {
  if (covered_scores.size() < 2) {
    throw std::invalid_argument(
        what + std::to_string(covered_scores.size()) + " of " +
        std::to_string(total) +
        " pairs have both words in the vocabulary: no correlation to "
        "compute");
  }
  if (std::all_of(covered_scores.begin(), covered_scores.end(),
                  [&](double x) { return x == covered_scores[0]; })) {
    throw std::invalid_argument(
        what + "the " + std::to_string(covered_scores.size()) +
        " covered pairs all have the same score: their rank correlation "
        "(Spearman's rho) is undefined");
  }
}

}  // namespace

void RequireScorablePairs(const std::vector<std::string>& vocabulary,
                          const std::vector<WordPair>& pairs,
                          const std::string& what) {
  const std::unordered_set<std::string> words(vocabulary.begin(),
                                              vocabulary.end());
  std::vector<double> scores;
  for (const WordPair& p : pairs) {
    if (words.count(Lower(p.a)) && words.count(Lower(p.b))) {
      scores.push_back(p.score);
    }
  }
  RequireScorable(scores, pairs.size(), what + ": ");
}

PairScore EvaluatePairs(const chapters::WordVectors& v,
                        const std::vector<WordPair>& pairs) {
  std::unordered_map<std::string, std::size_t> row;
  for (std::size_t i = 0; i < v.words.size(); ++i) row.emplace(v.words[i], i);
  std::vector<double> cosines, scores;
  std::vector<double> a(v.dim), b(v.dim);
  for (const WordPair& p : pairs) {
    const auto ia = row.find(Lower(p.a)), ib = row.find(Lower(p.b));
    if (ia == row.end() || ib == row.end()) continue;
    std::copy_n(v.values.begin() + ia->second * v.dim, v.dim, a.begin());
    std::copy_n(v.values.begin() + ib->second * v.dim, v.dim, b.begin());
    cosines.push_back(chapters::Cosine(a, b));
    scores.push_back(p.score);
  }
  RequireScorable(scores, pairs.size(), "");
  return {SpearmanRho(cosines, scores), cosines.size(), pairs.size()};
}

std::vector<AnalogySection> ReadAnalogies(const std::string& path) {
  std::vector<AnalogySection> sections;
  std::size_t questions = 0;
  const std::size_t lines = ForEachLine(
      path, [&](std::size_t line_no, const auto& f, std::string_view line) {
        if (f.empty()) return;
        if (f[0].front() == ':') {
          std::string name(line.substr(line.find(':') + 1));
          name.erase(0, name.find_first_not_of(" \t"));
          if (name.empty())
            Fail(path, line_no, "a section line without a name");
          sections.push_back({name, {}});
          return;
        }
        if (f.size() != 4) {
          Fail(path, line_no,
               "expected 'a b c d' (a is to b as c is to d), found " +
                   std::to_string(f.size()) + " fields");
        }
        if (sections.empty()) sections.push_back({"(no section)", {}});
        sections.back().questions.push_back(
            {std::string(f[0]), std::string(f[1]), std::string(f[2]),
             std::string(f[3])});
        ++questions;
      });
  if (questions == 0) Fail(path, lines, "no questions");
  return sections;
}

namespace {

// The vectors' rows scaled to unit length (zero rows stay zero): (V, d).
std::vector<float> UnitRows(const chapters::WordVectors& v) {
  const std::size_t V = v.words.size(), d = v.dim;
  std::vector<float> E(v.values);
  for (std::size_t i = 0; i < V; ++i) {
    double n2 = 0;
    for (std::size_t j = 0; j < d; ++j)
      n2 += double(E[i * d + j]) * E[i * d + j];
    const float inv = n2 > 0 ? static_cast<float>(1 / std::sqrt(n2)) : 0.f;
    for (std::size_t j = 0; j < d; ++j) E[i * d + j] *= inv;
  }
  return E;
}

using Question = std::array<std::int32_t, 4>;  // a b c d as rows

// The questions of a section whose four words are in the vocabulary.
std::vector<Question> Covered(
    const AnalogySection& sec,
    const std::unordered_map<std::string, std::int32_t>& row) {
  std::vector<Question> covered;
  for (const auto& q : sec.questions) {
    Question ids{};
    bool ok = true;
    for (int k = 0; k < 4 && ok; ++k) {
      const auto it = row.find(Lower(q[k]));
      ok = it != row.end();
      if (ok) ids[k] = it->second;
    }
    if (ok) covered.push_back(ids);
  }
  return covered;
}

//! [three_cos_add]
// How many of the n questions are answered right by 3CosAdd on the unit
// rows E (V, d): Q (n, d) and S (n, V) are the caller's buffers.
std::size_t CorrectAnswers(std::span<const Question> questions,
                           std::span<const float> E, std::size_t V,
                           std::size_t d, std::span<float> Q,
                           std::span<float> S, int threads) {
  const std::size_t n = questions.size();
  // Query rows b^ - a^ + c^; the scores S = Q E^T in one product.
  for (std::size_t r = 0; r < n; ++r) {
    const auto& [a, b, c, want] = questions[r];
    for (std::size_t j = 0; j < d; ++j) {
      Q[r * d + j] = E[b * d + j] - E[a * d + j] + E[c * d + j];
    }
  }
  kernels::Gemm(
      1.0f, kernels::ConstMatView<float>(Q.data(), n, d), kernels::Trans::kNo,
      kernels::ConstMatView<float>(E.data(), V, d), kernels::Trans::kYes, 0.0f,
      kernels::MatView<float>(S.data(), n, V), threads);
  std::size_t correct = 0;
  for (std::size_t r = 0; r < n; ++r) {
    const auto& [a, b, c, want] = questions[r];
    std::int32_t best = -1;
    for (std::size_t x = 0; x < V; ++x) {
      const auto xi = static_cast<std::int32_t>(x);
      if (xi == a || xi == b || xi == c) continue;  // not a question word
      if (best < 0 || S[r * V + x] > S[r * V + best]) best = xi;
    }
    correct += best == want;
  }
  return correct;
}
//! [three_cos_add]

}  // namespace

std::vector<AnalogyScore> EvaluateAnalogies(
    const chapters::WordVectors& v, const std::vector<AnalogySection>& sections,
    int threads) {
  const std::size_t V = v.words.size(), d = v.dim;
  std::unordered_map<std::string, std::int32_t> row;
  for (std::size_t i = 0; i < V; ++i) {
    row.emplace(v.words[i], static_cast<std::int32_t>(i));
  }
  const std::vector<float> E = UnitRows(v);
  std::vector<AnalogyScore> out;
  AnalogyScore all{"overall"};
  // Questions per product: up to 256, fewer for a large vocabulary so that
  // the scores S stay within 64 MiB (3 million words: 5 at a time).
  const std::size_t batch = std::clamp<std::size_t>(
      (std::size_t{16} << 20) / std::max<std::size_t>(V, 1), 1, 256);
  std::vector<float> Q(batch * d), S(batch * V);  // Q: (n, d), S: (n, V)
  for (const AnalogySection& sec : sections) {
    AnalogyScore score{sec.name, 0, 0, sec.questions.size()};
    const std::vector<Question> covered = Covered(sec, row);
    score.covered = covered.size();
    for (std::size_t q0 = 0; q0 < covered.size(); q0 += batch) {
      const std::size_t n = std::min(batch, covered.size() - q0);
      score.correct += CorrectAnswers(std::span(covered).subspan(q0, n), E, V,
                                      d, Q, S, threads);
    }
    all.correct += score.correct;
    all.covered += score.covered;
    all.total += score.total;
    out.push_back(score);
  }
  if (all.covered == 0) {
    throw std::invalid_argument("none of the " + std::to_string(all.total) +
                                " questions has its four words in the "
                                "vocabulary");
  }
  out.push_back(all);
  return out;
}

std::vector<Neighbour> NearestNeighbours(const chapters::WordVectors& vectors,
                                         std::size_t word, std::size_t k) {
  const std::size_t d = vectors.dim;
  // Rows widened to double, as EvaluatePairs scores them.
  auto row = [&](std::size_t i) {
    return std::vector<double>(vectors.values.begin() + i * d,
                               vectors.values.begin() + (i + 1) * d);
  };
  const std::vector<double> a = row(word);
  std::vector<Neighbour> out;
  // Exercise 5.2: cosine and nearest neighbours (2 points).
  // Slide: LMU, Feedforward Neural Networks and Word Embeddings, slide
  //   'Semantic similarity' ("Similarity is the cosine of the angle
  //   between two word vectors").
  // Formula: cos(a, b) = a . b / (|a| |b|) (chapters::Cosine); the k
  //   words i != word of largest cos(v_word, v_i), best first, ties by the
  //   smaller id (chapters::TopK), each as {i, cos}; never the word itself,
  //   and at most V - 1 of them.
  // Shapes: vectors.values: (V, d), row-major; a = row(word): (d);
  //   out: (min(k, V - 1)).
  // Builds on: nothing.
  // BEGIN SOLUTION ch05.2.neighbours
  std::vector<double> cosines(vectors.words.size());
  for (std::size_t i = 0; i < cosines.size(); ++i) {
    cosines[i] = i == word ? -std::numeric_limits<double>::infinity()
                           : chapters::Cosine(a, row(i));
  }
  for (const std::int32_t i :
       chapters::TopK(cosines, std::min(k, cosines.size() - 1))) {
    out.push_back({static_cast<std::size_t>(i), cosines[i]});
  }
  // END SOLUTION
  return out;
}

}  // namespace ffnn::ch05
