// One step of word2vec on a toy table (the chapter's worked example): the
// negative-sampling loss and its plain SGD step as the deck writes them,
// and the skip-gram and CBOW steps as the trainer takes them, through the
// kernel. Tables are (V, d), row-major, in double.
#ifndef FFNN_CH05_SGNS_STEP_H_
#define FFNN_CH05_SGNS_STEP_H_

#include <cstddef>
#include <cstdint>
#include <span>

namespace ffnn::ch05 {

// L = -log sigma(u . v_ctx[0]) - sum_{j > 0} log sigma(-u . v_ctx[j]): the
// observed word ctx[0] (label 1) and the negatives (label 0), v the rows of
// the output table `out`.
double SgnsLoss(std::span<const double> u, std::span<const double> out,
                std::size_t d, std::span<const std::int32_t> ctx);

// One plain SGD step on that loss, as word2vec.c takes it: the context
// rows in order, each from the u it was given, then u by the sum of their
// gradients. Writes dL/du to u_grad; returns L.
double SgnsStep(double lr, std::span<double> u, std::span<double> out,
                std::size_t d, std::span<const std::int32_t> ctx,
                std::span<double> u_grad);

// Skip-gram: row `center` of the input table predicts ctx[0] against the
// negatives, by the kernel's step. Writes dL/du to u_grad; returns L.
double SkipGramStep(double lr, std::span<double> in, std::span<double> out,
                    std::size_t d, std::int32_t center,
                    std::span<const std::int32_t> ctx,
                    std::span<double> u_grad);

// CBOW: h, the mean of the input rows `context`, predicts ctx[0] against
// the negatives; then every context row moves by -lr h_grad. Writes the
// mean before the step to h and dL/dh to h_grad; returns L.
double CbowStep(double lr, std::span<double> in, std::span<double> out,
                std::size_t d, std::span<const std::int32_t> context,
                std::span<const std::int32_t> ctx, std::span<double> h,
                std::span<double> h_grad);

}  // namespace ffnn::ch05

#endif  // FFNN_CH05_SGNS_STEP_H_
