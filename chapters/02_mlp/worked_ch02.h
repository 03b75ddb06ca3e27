// Chapter 2's worked examples beside the decks (ch02_mlp prints them).
#ifndef FFNN_CH02_WORKED_CH02_H_
#define FFNN_CH02_WORKED_CH02_H_

#include "chapters/common/worked.h"

namespace ffnn::ch02 {

// The report: XNOR and XOR by composition, softmax, the Iris forward pass and
// its loss, with the decks' errata. The target exits 1 if a slide value
// disagrees or a check exceeds its bound.
chapters::Report BuildReport(const chapters::ChapterOptions& options);

}  // namespace ffnn::ch02

#endif  // FFNN_CH02_WORKED_CH02_H_
