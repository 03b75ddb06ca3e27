#include "chapters/05_word2vec/phrases.h"

#include <cmath>
#include <stdexcept>
#include <unordered_map>

#include "chapters/05_word2vec/training_text.h"

namespace ffnn::ch05 {
namespace {

// "a b" as one key: a space never occurs inside a token.
std::string Bigram(std::string_view a, std::string_view b) {
  std::string key(a);
  key += ' ';
  key += b;
  return key;
}

}  // namespace

PhraseResult JoinPhrases(std::string_view text, const PhraseSettings& s,
                         const std::string& name) {
  if (!std::isfinite(s.threshold)) {
    throw std::invalid_argument("-threshold must be a finite number");
  }
  if (s.min_count < 1) {
    throw std::invalid_argument("-min-count must be at least 1");
  }
  // Pass 1: the counts of every word and of every pair within a line.
  std::unordered_map<std::string_view, std::int64_t> count;
  std::unordered_map<std::string, std::int64_t> pair_count;
  std::string_view last;
  PhraseResult r;
  ScanText(
      text,
      [&](std::string_view w) {
        ++count[w];
        ++r.tokens;
        if (!last.empty()) ++pair_count[Bigram(last, w)];
        last = w;
      },
      [&] { last = {}; });
  if (r.tokens == 0) throw std::runtime_error(name + ": no words");
  r.bigrams = pair_count.size();
  const auto N = static_cast<std::int64_t>(r.tokens);
  //! [join_phrases]
  // Pass 2: left to right, each word joins the one before it when their
  // score passes the threshold; a joined word's count counts as 0 for the
  // next pair, so no token joins both neighbours in one pass.
  std::string_view prev;
  std::int64_t prev_count = 0;  // pa; 0 at a line's start or after a join
  bool line_start = true;
  ScanText(
      text,
      [&](std::string_view w) {
        std::int64_t w_count = count[w];  // pb
        const auto ab =
            line_start ? pair_count.end() : pair_count.find(Bigram(prev, w));
        const double score =
            ab == pair_count.end()
                ? 0
                : PhraseScore(ab->second, prev_count, w_count, N, s.min_count);
        if (!line_start && score > s.threshold) {
          r.text += '_';
          ++r.joined;
          w_count = 0;
        } else if (!line_start) {
          r.text += ' ';
        }
        r.text += w;
        prev = w;
        prev_count = w_count;
        line_start = false;
      },
      [&] {
        if (!line_start) r.text += '\n';
        line_start = true;
      });
  //! [join_phrases]
  return r;
}

}  // namespace ffnn::ch05
