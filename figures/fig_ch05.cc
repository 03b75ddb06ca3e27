// Chapter 5 figures: the LMU deck's rich-poor plane (silver, disease and
// society as co-occurrence vectors over the dimension words rich and poor).
#include <cmath>
#include <string>

#include "chapters/05_word2vec/worked_ch05.h"
#include "figures/plot.h"

namespace ffnn::figures {
namespace {

void RichPoorPlane(const std::string& dir) {
  Render(dir, "ch05_rich_poor", 640, 600, [&](Gnuplot& gp) {
    gp << "set title 'Co-occurrence within 10 words (LMU deck, from "
          "Wikipedia)'\nset grid\nset size ratio -1\n"
          "set xlabel 'cooc(rich, word)'\nset ylabel 'cooc(poor, word)'\n"
          "set xrange [0:260]\nset yrange [0:260]\nunset key\n";
    for (const ch05::RichPoor& w : ch05::kRichPoor) {
      gp << "set label '" << w.word << "' at " << w.rich + 6 << ","
         << w.poor + 6 << " font ',12'\n";
    }
    gp << "plot '-' u 1:2:3:4 w vectors head filled lw 2 lc rgb '#0072b2'\n";
    for (const ch05::RichPoor& w : ch05::kRichPoor) {
      gp << "0 0 " << w.rich << " " << w.poor << "\n";
    }
    gp << "e\n";
  });
}

}  // namespace
}  // namespace ffnn::figures

int main(int argc, char** argv) {
  return ffnn::figures::FigureMain(argc, argv, [](const std::string& dir) {
    ffnn::figures::RichPoorPlane(dir);
  });
}
