// Chapter 4's worked examples beside the decks (ch04_neural_lm prints them).
#ifndef FFNN_CH04_WORKED_CH04_H_
#define FFNN_CH04_WORKED_CH04_H_

#include "chapters/common/worked.h"

namespace ffnn::ch04 {

// The report: embedding.lookup_table, lm.training_window and
// lm.forward_inference, with the deck's errata. Throws if a gradient check
// exceeds its bound (the target then exits 1).
chapters::Report BuildReport(const chapters::ChapterOptions& options);

// The bound on the forward-inference example's finite-difference gradient
// check (relative error as in chapters/common/gradcheck.h): the central
// differences' own error is ~1e-10 at this scale, a wrong term is >= 1e-3.
inline constexpr double kGradCheckBound = 1e-7;

}  // namespace ffnn::ch04

#endif  // FFNN_CH04_WORKED_CH04_H_
