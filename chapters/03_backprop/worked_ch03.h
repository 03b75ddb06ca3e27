// Chapter 3's worked examples beside the decks (ch03_backprop prints them).
#ifndef FFNN_CH03_WORKED_CH03_H_
#define FFNN_CH03_WORKED_CH03_H_

#include "chapters/common/worked.h"

namespace ffnn::ch03 {

// The report: computation graphs, the chain rule, backpropagation through the
// UCL and Iris networks, XOR online against batch, the optimizers and the
// learning-rate sweep on Iris, with the decks' errata. The target exits 1 if a
// slide value disagrees or a check exceeds its bound.
chapters::Report BuildReport(const chapters::ChapterOptions& options);

}  // namespace ffnn::ch03

#endif  // FFNN_CH03_WORKED_CH03_H_
