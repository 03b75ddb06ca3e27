// Chapter 5's worked examples beside the decks (ch05_word2vec prints them).
#ifndef FFNN_CH05_WORKED_CH05_H_
#define FFNN_CH05_WORKED_CH05_H_

#include <array>

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

// The report: cooccurrence.rich_poor.
chapters::Report BuildReport(const chapters::ChapterOptions& options);

}  // namespace ffnn::ch05

#endif  // FFNN_CH05_WORKED_CH05_H_
