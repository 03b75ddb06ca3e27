#include "chapters/05_word2vec/worked_ch05.h"

#include <cmath>
#include <numbers>
#include <string>
#include <vector>

#include "chapters/05_word2vec/cooccurrence.h"

namespace ffnn::ch05 {
namespace {

using chapters::Example;
using chapters::Report;
using chapters::Source;
using namespace chapters::decks;

//! [rich_poor]
void RichPoorPlane(Report& r) {
  Example& e = r.Add("cooccurrence.rich_poor",
                     Source(kLmu, "Word cooccurrence in Wikipedia") + "; " +
                         Source(kLmu, "Semantic similarity"));
  e.Step("co-occurrence within k = 10 words in English Wikipedia (the slide)")
      .Step("each word is a vector over the dimension words (rich, poor)");
  for (const RichPoor& w : kRichPoor) {
    e.Step(std::string(w.word) + " = (cooc(rich, " + w.word + "), cooc(poor, " +
           w.word + ")) = (" + chapters::Format(w.rich) + ", " +
           chapters::Format(w.poor) + ")");
  }
  e.Step("similarity is the cosine of the angle between two vectors");
  for (std::size_t i = 0; i < kRichPoor.size(); ++i) {
    for (std::size_t j = i + 1; j < kRichPoor.size(); ++j) {
      const std::vector<double> a = {kRichPoor[i].rich, kRichPoor[i].poor},
                                b = {kRichPoor[j].rich, kRichPoor[j].poor};
      const double cos = Cosine(a, b);
      const std::string pair =
          std::string(kRichPoor[i].word) + ", " + kRichPoor[j].word;
      e.Add("cos(" + pair + ")", cos);
      e.Add("angle(" + pair + ") in degrees",
            std::acos(cos) * 180 / std::numbers::pi);
    }
  }
}
//! [rich_poor]

}  // namespace

Report BuildReport(const chapters::ChapterOptions&) {
  Report r("05_word2vec");
  RichPoorPlane(r);
  return r;
}

}  // namespace ffnn::ch05
