// ch01_perceptron: every worked example of chapter 1, computed step by step
// beside the slides' numbers. --json and --markdown print the same report
// for tools and for the book.
#include "chapters/01_perceptron/worked_ch01.h"
#include "chapters/common/worked.h"

int main(int argc, char** argv) {
  return ffnn::chapters::RunChapterMain(
      argc, argv,
      "Chapter 1: the neural unit, linear models and the perceptron",
      ffnn::ch01::BuildReport);
}
