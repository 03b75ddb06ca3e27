// Chapter 5's worked examples beside the decks (ch05_word2vec prints them).
#ifndef FFNN_CH05_WORKED_CH05_H_
#define FFNN_CH05_WORKED_CH05_H_

#include <array>
#include <vector>

#include "chapters/common/worked.h"

namespace ffnn::ch05 {

// The LMU deck's co-occurrence counts within k = 10 words in Wikipedia
// (Schuetze's example): each word as a vector over the dimension words
// (rich, poor).
struct RichPoor {
  const char* word;
  double rich, poor;
};
inline constexpr std::array<RichPoor, 3> kRichPoor = {
    {{"silver", 186, 34}, {"disease", 17, 162}, {"society", 143, 228}}};

// The LMU deck's "Applications" pairs (similarity.deck_pairs).
inline constexpr std::array<std::array<const char*, 2>, 4> kDeckPairs = {
    {{"coast", "shore"},
     {"rich", "money"},
     {"happiness", "disease"},
     {"close", "open"}}};
// Its checks on the trained vectors: coast-shore (WordSim-353 9.10) must be
// closer than happiness-disease (unrelated) by more than this margin, and
// the vectors' WordSim-353 rho at least kBookRhoBound (the book's settings
// give 0.37 to 0.39 over seeds; a broken trainer gives about 0).
inline constexpr double kDeckPairsMargin = 0.0;
inline constexpr double kBookRhoBound = 0.30;

// The chapter's input beyond data/: --vectors, the trained word vectors
// (default: the build's book vectors).
std::vector<chapters::ChapterInput> ChapterInputs();

// The report: cooccurrence.rich_poor, similarity.deck_pairs (reading
// options.Input("vectors")) and
// cbow_skipgram.one_step. Throws if
// a check exceeds its bound (the target then exits 1).
chapters::Report BuildReport(const chapters::ChapterOptions& options);

// Bounds of the one-step example's checks. The kernel's SGNS step against
// its reference twin: element-wise updates after dot products of length 4
// in double, 4 (d + 4) u ~ 1e-14 relative (kernels/embedding.h) on values
// below 1. The gradient against central differences: their own error is
// ~1e-10 here (chapters/common/gradcheck.h), a wrong term >= 1e-3.
inline constexpr double kReferenceBound = 1e-14;
inline constexpr double kGradCheckBound = 1e-7;

}  // namespace ffnn::ch05

#endif  // FFNN_CH05_WORKED_CH05_H_
