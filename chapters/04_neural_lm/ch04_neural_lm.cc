// ch04_neural_lm: chapter 4's worked examples beside the slides (--json and
// --markdown print the same report for tools and for the book).
#include "chapters/04_neural_lm/worked_ch04.h"
#include "chapters/common/worked.h"

int main(int argc, char** argv) {
  return ffnn::chapters::RunChapterMain(
      argc, argv,
      "ch04_neural_lm: the embedding table and Bengio's neural language "
      "model, worked examples beside the slides",
      ffnn::ch04::BuildReport);
}
