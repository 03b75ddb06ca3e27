// Bad input: every public kernel entry point rejects mismatched shapes with
// std::invalid_argument whose message names the operation and both shapes,
// before touching memory.
#include <boost/test/unit_test.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "kernels/activations.h"
#include "kernels/blas.h"
#include "kernels/embedding.h"
#include "kernels/gemm.h"
#include "kernels/optim.h"
#include "kernels/softmax.h"

namespace ffnn::testing {
namespace {

namespace k = ffnn::kernels;

// Passes when f throws std::invalid_argument whose what() contains every one
// of `parts`.
template <class F>
void ExpectShapeError(const F& f, std::vector<std::string> parts) {
  try {
    f();
    BOOST_ERROR("no exception; expected one naming " << parts.front());
  } catch (const std::invalid_argument& e) {
    const std::string what = e.what();
    for (const auto& p : parts) {
      BOOST_TEST(what.find(p) != std::string::npos,
                 "'" << what << "' lacks '" << p << "'");
    }
  }
}

BOOST_AUTO_TEST_SUITE(shapes)

BOOST_AUTO_TEST_CASE(vector_kernels_name_both_lengths) {
  std::vector<float> a(3), b(4), c(3);
  ExpectShapeError([&] { k::Dot(std::span<const float>(a), b); },
                   {"Dot", "x has shape (3)", "y has shape (4)"});
  ExpectShapeError([&] { k::Axpy(1.f, a, b); }, {"Axpy", "(3)", "(4)"});
  ExpectShapeError([&] { k::Add(a, c, b); }, {"Add", "out", "(4)"});
  ExpectShapeError([&] { k::Sub(a, b, c); }, {"Sub", "(3)", "(4)"});
  ExpectShapeError([&] { k::Hadamard(a, b, c); }, {"Hadamard", "(4)"});
  ExpectShapeError([&] { k::Sigmoid(a, b); }, {"Sigmoid", "(3)", "(4)"});
  ExpectShapeError([&] { k::TanhBackward(a, b, c); },
                   {"TanhBackward", "dy has shape (3)", "y has shape (4)"});
  ExpectShapeError([&] { k::ReluBackward(a, c, b); }, {"dx", "(4)"});
  ExpectShapeError([&] { k::SgdStep(0.1f, a, b); }, {"SgdStep", "(3)", "(4)"});
  std::vector<float> m(3), v(4);
  ExpectShapeError([&] { k::AdamStep(0.1f, .9f, .999f, 1e-8f, 1, a, m, v, c); },
                   {"AdamStep", "v has shape (4)"});
  ExpectShapeError([&] { k::AdamStep(0.1f, .9f, .999f, 1e-8f, 0, a, m, m, c); },
                   {"AdamStep", "t must be >= 1"});
}

BOOST_AUTO_TEST_CASE(matrix_kernels_name_both_shapes) {
  std::vector<double> buf(64);
  const k::ConstMatView<double> A(buf.data(), 2, 3), B(buf.data(), 4, 5);
  const k::MatView<double> C(buf.data(), 2, 5);
  ExpectShapeError(
      [&] { k::Gemm(1.0, A, k::Trans::kNo, B, k::Trans::kNo, 0.0, C); },
      {"Gemm", "op(A) columns has shape (3)", "op(B) rows has shape (4)"});
  const k::ConstMatView<double> B2(buf.data(), 3, 5);
  ExpectShapeError(
      [&] {
        k::Gemm(1.0, A, k::Trans::kNo, B2, k::Trans::kNo, 0.0,
                k::MatView<double>(buf.data(), 3, 5));
      },
      {"Gemm", "C has shape (3, 5)", "op(A) op(B) has shape (2, 5)"});
  std::vector<double> x(2), y(2);
  ExpectShapeError([&] { k::Gemv(1.0, A, k::Trans::kNo, x, 0.0, y); },
                   {"Gemv", "A has shape (2, 3)", "(y, x) has shape (2, 2)"});
  ExpectShapeError(
      [&] { k::Ger(1.0, x, y, k::MatView<double>(buf.data(), 2, 3)); },
      {"Ger", "(2, 3)", "(2, 2)"});
  ExpectShapeError([&] { k::Softmax(A, k::MatView<double>(buf.data(), 3, 2)); },
                   {"Softmax", "x has shape (2, 3)", "y has shape (3, 2)"});
  ExpectShapeError(
      [&] {
        k::SoftmaxCrossEntropy(A, k::ConstMatView<double>(buf.data(), 2, 4),
                               k::MatView<double>(buf.data(), 2, 3));
      },
      {"SoftmaxCrossEntropy", "z has shape (2, 3)", "t has shape (2, 4)"});
  ExpectShapeError(
      [&] {
        k::Softmax(k::ConstMatView<double>(buf.data(), 2, 3, 2),
                   k::MatView<double>(buf.data(), 2, 3));
      },
      {"Softmax", "3 columns but stride 2"});
}

BOOST_AUTO_TEST_CASE(class_indices_and_thread_counts_are_checked) {
  std::vector<double> buf(64);
  const k::ConstMatView<double> z(buf.data(), 2, 3);
  const k::MatView<double> g(buf.data() + 8, 2, 3);
  const std::vector<int32_t> too_big = {0, 3}, negative = {-1, 0}, one = {0};
  ExpectShapeError(
      [&] { k::SoftmaxCrossEntropy(z, too_big, g); },
      {"SoftmaxCrossEntropy", "targets[1] = 3", "z with shape (2, 3)"});
  ExpectShapeError([&] { k::SoftmaxCrossEntropy(z, negative, g); },
                   {"SoftmaxCrossEntropy", "targets[0] = -1"});
  ExpectShapeError(
      [&] { k::SoftmaxCrossEntropy(z, one, g); },
      {"SoftmaxCrossEntropy", "z rows has shape (2)", "targets has shape (1)"});
  ExpectShapeError(
      [&] {
        k::Gemm(1.0, z, k::Trans::kNo, z, k::Trans::kYes, 0.0,
                k::MatView<double>(buf.data() + 16, 2, 2), 0);
      },
      {"Gemm", "threads must be >= 1, got 0"});
  ExpectShapeError([&] { k::Softmax(z, g, -2); },
                   {"Softmax", "threads must be >= 1, got -2"});
}

BOOST_AUTO_TEST_CASE(embedding_kernels_reject_bad_indices_and_shapes) {
  std::vector<float> table(5 * 4), out(2 * 4), u(4), g(4);
  const k::ConstMatView<float> T(table.data(), 5, 4);
  const std::vector<int32_t> bad = {1, 5}, neg = {-1, 0}, ok = {1, 2};
  ExpectShapeError(
      [&] { k::EmbeddingGather(T, bad, k::MatView<float>(out.data(), 2, 4)); },
      {"EmbeddingGather", "index[1] = 5", "table of shape (5, 4)"});
  ExpectShapeError(
      [&] {
        k::EmbeddingScatterAdd(1.f, k::ConstMatView<float>(out.data(), 2, 4),
                               neg, k::MatView<float>(table.data(), 5, 4));
      },
      {"EmbeddingScatterAdd", "index[0] = -1"});
  ExpectShapeError(
      [&] { k::EmbeddingGather(T, ok, k::MatView<float>(out.data(), 2, 3)); },
      {"EmbeddingGather", "out has shape (2, 3)", "(2, 4)"});
  ExpectShapeError(
      [&] {
        k::NegativeSamplingStep(0.1f, std::span<float>(u),
                                k::MatView<float>(table.data(), 5, 4),
                                std::span<const int32_t>(), g);
      },
      {"NegativeSamplingStep", "ctx has shape (0)"});
  std::vector<float> u3(3);
  ExpectShapeError(
      [&] {
        k::NegativeSamplingStep(0.1f, std::span<float>(u3),
                                k::MatView<float>(table.data(), 5, 4), ok, g);
      },
      {"NegativeSamplingStep", "u has shape (3)", "(4)"});
  std::vector<float> other(20), scratch(8), scores(4);
  auto window = [&](std::span<const int32_t> in_idx,
                    std::span<const int32_t> out_idx, float* out_table,
                    std::size_t scratch_rows) {
    k::NegativeSamplingWindowStep(
        0.1f, k::MatView<float>(table.data(), 5, 4), in_idx,
        k::MatView<float>(out_table, 5, 4), out_idx,
        k::MatView<float>(scratch.data(), scratch_rows, 4),
        std::span<float>(scores.data(), in_idx.size() * out_idx.size()));
  };
  ExpectShapeError([&] { window(ok, {}, other.data(), 2); },
                   {"NegativeSamplingWindowStep", "out_idx has shape (0)"});
  ExpectShapeError([&] { window(neg, ok, other.data(), 2); },
                   {"NegativeSamplingWindowStep", "index[0] = -1"});
  ExpectShapeError([&] { window(ok, ok, other.data(), 1); },
                   {"NegativeSamplingWindowStep", "scratch has shape (1, 4)"});
  ExpectShapeError([&] { window(ok, ok, table.data(), 2); },
                   {"NegativeSamplingWindowStep", "the same table"});
  // Hierarchical softmax: one code per point, each 0 or 1.
  const std::vector<uint8_t> codes2 = {0, 1}, codes1 = {0}, bad_codes = {0, 2};
  auto hs = [&](std::span<const int32_t> points,
                std::span<const uint8_t> codes) {
    k::HierarchicalSoftmaxStep(0.1f, std::span<float>(u),
                               k::MatView<float>(table.data(), 5, 4), points,
                               codes, g);
  };
  ExpectShapeError([&] { hs({}, {}); },
                   {"HierarchicalSoftmaxStep", "points has shape (0)"});
  ExpectShapeError([&] { hs(ok, codes1); },
                   {"HierarchicalSoftmaxStep", "codes has shape (1)", "(2)"});
  ExpectShapeError([&] { hs(ok, bad_codes); },
                   {"HierarchicalSoftmaxStep", "codes[1] = 2"});
  ExpectShapeError(
      [&] {
        k::HierarchicalSoftmaxWindowStep(
            0.1f, k::MatView<float>(table.data(), 5, 4), ok,
            k::MatView<float>(other.data(), 5, 4), neg, codes2,
            k::MatView<float>(scratch.data(), 2, 4), std::span<float>(scores));
      },
      {"HierarchicalSoftmaxWindowStep", "index[0] = -1"});
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace ffnn::testing
