// Chapter 4's checkpoints: LoadCheckpoint (magic, shape against the file's
// length before allocating, configuration, history, finite parameters),
// then the loaded model scores a short stream, and is saved again. On
// success the history is finite, the perplexity finite (else refused, as
// nplm eval refuses it) and at least 1, and saving reproduces the
// input's bytes exactly (a checkpoint has one encoding, so nothing was silently
// dropped, clamped or misread).
#include <cstddef>
#include <cstdint>
#include <string>

#include "chapters/04_neural_lm/checkpoint.h"
#include "chapters/04_neural_lm/train.h"
#include "chapters/common/corpus.h"
#include "tests/fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  using namespace ffnn;
  const std::string_view bytes = fuzz::Bytes(data, size);
  const std::string path = fuzz::ScratchFile("model.ckpt", bytes);
  fuzz::Refusing([&] {
    const ch04::TrainState state = ch04::LoadCheckpoint(path);
    // The history is printed by the tools: no NaN may get in.
    for (const ch04::EpochStats& e : state.history) {
      for (const double v : {e.train_ppl, e.valid_ppl, e.seconds,
                             e.tokens_per_s, e.output_gemm_s, e.softmax_s,
                             e.forward_backward_s, e.output_gflops}) {
        fuzz::RequireFinite(v, "LoadCheckpoint: a history value");
      }
    }
    const std::size_t V = state.params.shape.vocab;
    std::vector<std::int32_t> stream(2 * state.params.shape.context + 3);
    for (std::size_t i = 0; i < stream.size(); ++i) {
      stream[i] = static_cast<std::int32_t>((i * 7) % V);
    }
    // As nplm eval does: a model that overflows is refused, not printed.
    const double ppl =
        ch04::FinitePerplexity(ch04::Evaluate(state.params, stream, 1), path);
    fuzz::Require(ppl >= 1 - 1e-6, "Evaluate: a perplexity below 1");
    const std::string again = (fuzz::ScratchDir() / "again.ckpt").string();
    ch04::SaveCheckpoint(state, again);
    fuzz::Require(chapters::ReadFileBounded(again, size) == bytes,
                  "SaveCheckpoint(LoadCheckpoint(x)) != x");
  });
  return 0;
}
