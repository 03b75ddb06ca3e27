// ch03_backprop: every worked example of chapter 3 (backpropagation).
#include "chapters/03_backprop/worked_ch03.h"
#include "chapters/common/worked.h"

int main(int argc, char** argv) {
  return ffnn::chapters::RunChapterMain(
      argc, argv, "Chapter 3: backpropagation", ffnn::ch03::BuildReport);
}
