// ch05_word2vec: chapter 5's worked examples beside the slides (--json and
// --markdown print the same report for tools and for the book).
#include "chapters/05_word2vec/worked_ch05.h"
#include "chapters/common/worked.h"

int main(int argc, char** argv) {
  return ffnn::chapters::RunChapterMain(
      argc, argv,
      "ch05_word2vec: word embeddings, from co-occurrence counts to "
      "word2vec, worked examples beside the slides",
      ffnn::ch05::BuildReport, ffnn::ch05::ChapterInputs());
}
