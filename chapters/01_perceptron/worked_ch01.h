// Chapter 1's worked examples beside the decks (ch01_perceptron prints them).
#ifndef FFNN_CH01_WORKED_CH01_H_
#define FFNN_CH01_WORKED_CH01_H_

#include "chapters/common/worked.h"

namespace ffnn::ch01 {

// The report: the neural unit, the activations and their derivatives, logistic
// regression and the perceptron's training on the DL4NLP points, with the
// decks' errata. The target exits 1 if a
// slide value disagrees or a check exceeds its bound.
chapters::Report BuildReport(const chapters::ChapterOptions& options);

}  // namespace ffnn::ch01

#endif  // FFNN_CH01_WORKED_CH01_H_
