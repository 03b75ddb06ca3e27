// ch02_mlp: every worked example of chapter 2 (feedforward networks),
// computed step by step on the kernel layer beside the slides' numbers.
#include "chapters/02_mlp/worked_ch02.h"
#include "chapters/common/worked.h"

int main(int argc, char** argv) {
  return ffnn::chapters::RunChapterMain(argc, argv,
                                        "Chapter 2: feedforward networks (MLP)",
                                        ffnn::ch02::BuildReport);
}
