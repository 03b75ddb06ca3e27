// Phrases (Mikolov et al. 2013b, "Distributed Representations of Words and
// Phrases and their Compositionality", section 4; word2vec.c's
// word2phrase): a pair of words that occurs together far more often than
// chance becomes one token, "new york" -> "new_york", so that word2vec
// learns a vector for the phrase.
//
// The score of the bigram a b, from counts over the whole text of N tokens,
//   score(a, b) = (count(a b) - delta) / (count(a) count(b)) * N,
// with the discount delta = min_count (word2phrase's choice: rare pairs
// score below zero); a pair joins when score > threshold and both words
// occur at least min_count times. The text is read once to count and once
// to join, left to right: a word joined to the one before it cannot also
// join the one after it (word2phrase sets its count to 0), so one pass
// makes bigrams and a second pass over its output (with a lower threshold,
// as word2vec.c's demo-phrases.sh does) makes phrases of up to four words.
//
// Unlike word2phrase, a pair never spans a line end (word2phrase counts and
// may join the last word of a line with the first of the next; gensim's
// Phrases, like this, works within a sentence), and the output separates
// tokens by one space, one line per input line that holds a token.
#ifndef FFNN_CH05_PHRASES_H_
#define FFNN_CH05_PHRASES_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace ffnn::ch05 {

struct PhraseSettings {
  double threshold = 100;  // word2phrase's default
  int min_count = 5;       // word2phrase's default; also the discount
};

//! [phrase_score]
// (count(a b) - min_count) / (count(a) count(b)) * N, or 0 where a or b
// occurs fewer than min_count times (word2phrase's "oov").
inline double PhraseScore(std::int64_t ab, std::int64_t a, std::int64_t b,
                          std::int64_t N, int min_count) {
  if (a < min_count || b < min_count) return 0;
  return (static_cast<double>(ab) - min_count) / static_cast<double>(a) /
         static_cast<double>(b) * static_cast<double>(N);
}
//! [phrase_score]

struct PhraseResult {
  std::string text;         // the text with joined pairs
  std::size_t tokens = 0;   // N, tokens read
  std::size_t joined = 0;   // pairs joined
  std::size_t bigrams = 0;  // distinct bigrams counted
};

// One pass of word2phrase over text (tokens separated by whitespace, a line
// a sentence). Throws std::invalid_argument for a threshold that is not a
// finite number or a min_count below 1, and std::runtime_error
// "<name>: no words" for a text without a token.
PhraseResult JoinPhrases(std::string_view text, const PhraseSettings& s,
                         const std::string& name);

}  // namespace ffnn::ch05

#endif  // FFNN_CH05_PHRASES_H_
