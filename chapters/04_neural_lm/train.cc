#include "chapters/04_neural_lm/train.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <random>

#include "chapters/common/errors.h"
#include "chapters/common/progress.h"
#include "kernels/blas.h"
#include "kernels/optim.h"
#include "kernels/parallel.h"

namespace ffnn::ch04 {
namespace k = ffnn::kernels;
namespace {

// Fills one batch: examples[first, last) of the shuffled order, each a
// position t of the stream whose context is stream[t - n, t).
void FillBatch(std::span<const std::int32_t> stream,
               const std::vector<std::size_t>& order, std::size_t first,
               std::size_t last, std::size_t n,
               std::vector<std::int32_t>& contexts,
               std::vector<std::int32_t>& targets) {
  contexts.resize((last - first) * n);
  targets.resize(last - first);
  for (std::size_t i = first; i < last; ++i) {
    const std::size_t t = order[i];
    std::copy(stream.begin() + (t - n), stream.begin() + t,
              contexts.begin() + (i - first) * n);
    targets[i - first] = stream[t];
  }
}

// The optimizer works on fixed chunks of every parameter block, spread over
// the threads. Chunks do not depend on the thread count, and partial sums
// are added in chunk order, so every thread count gives the same numbers.
constexpr std::size_t kChunk = std::size_t{1} << 16;

struct Chunk {
  std::size_t block, begin, end;
};

std::vector<Chunk> Chunks(NplmParams<float>& p) {
  std::vector<Chunk> chunks;
  auto blocks = p.Blocks();
  for (std::size_t b = 0; b < blocks.size(); ++b) {
    for (std::size_t i = 0; i < blocks[b].values.size(); i += kChunk) {
      chunks.push_back({b, i, std::min(blocks[b].values.size(), i + kChunk)});
    }
  }
  return chunks;
}

}  // namespace

double Score::Perplexity() const {
  if (tokens == 0) {
    throw NothingToScore("a perplexity of no scored token does not exist");
  }
  return std::exp(nll / double(tokens));
}

std::size_t ScoredTokens(std::size_t stream_tokens, std::size_t n) {
  const std::size_t context = std::max(kContextTokens, n);
  return stream_tokens > context ? stream_tokens - context : 0;
}

void RequireScoredTokens(std::span<const std::int32_t> stream, std::size_t n,
                         const std::string& what) {
  if (ScoredTokens(stream.size(), n) > 0) return;
  const std::size_t context = std::max(kContextTokens, n);
  throw NothingToScore(
      what + ": " + std::to_string(stream.size()) +
      " token(s) with the </s> of each line, none to score: the first " +
      std::to_string(context) + " only give context, so at least " +
      std::to_string(context + 1) + " are needed");
}

std::uint64_t TrainingBytes(const NplmShape& shape, std::size_t batch,
                            std::size_t train_tokens) {
  const std::uint64_t P = shape.Parameters();
  const std::uint64_t examples =
      train_tokens > shape.context ? train_tokens - shape.context : 0;
  const std::uint64_t B = std::min<std::uint64_t>(batch, examples);
  // ForwardBackward's workspace: X, dX (B, n d); H, dH, keep, Hd (B, h);
  // Z (B, V); and the batch's ids.
  auto step = [&](std::uint64_t rows) {
    return rows * (2 * shape.In() + 4 * shape.hidden + shape.vocab + 2) * 4 +
           rows * (shape.context + 1) * 4;
  };
  return 4 * P * 4                     // parameters, gradient, Adam's m and v
         + step(B) + step(512)         // a minibatch, an evaluation batch
         + examples * 8                // the shuffled order
         + (P / (1u << 16) + 8) * 32;  // the optimizer's chunks
}

double FinitePerplexity(const Score& score, const std::string& what) {
  const double ppl = score.Perplexity();
  if (!std::isfinite(ppl)) {
    throw std::runtime_error(what +
                             ": the perplexity is not finite (the model's "
                             "parameters overflow float arithmetic)");
  }
  return ppl;
}

// Calls f(contexts, targets, i, last) for the scored tokens of a stream
// (positions i >= kContextTokens, and >= n), kBatch of them at a time;
// [i, last) indexes the scored tokens.
template <class F>
void ForScoredBatches(std::size_t n, std::span<const std::int32_t> stream,
                      const F& f) {
  constexpr std::size_t kBatch = 512;
  const std::size_t first = std::max(kContextTokens, n);
  std::vector<std::size_t> order(stream.size() > first ? stream.size() - first
                                                       : 0);
  std::iota(order.begin(), order.end(), first);
  std::vector<std::int32_t> contexts, targets;
  for (std::size_t i = 0; i < order.size(); i += kBatch) {
    const std::size_t last = std::min(order.size(), i + kBatch);
    FillBatch(stream, order, i, last, n, contexts, targets);
    f(contexts, targets, i, last);
  }
}

Score Evaluate(const NplmParams<float>& p, std::span<const std::int32_t> stream,
               int threads) {
  NplmWorkspace<float> ws;
  Score score;
  ForScoredBatches(p.shape.context, stream,
                   [&](const std::vector<std::int32_t>& contexts,
                       const std::vector<std::int32_t>& targets, std::size_t i,
                       std::size_t last) {
                     score.nll += ForwardBackward<float>(p, contexts, targets,
                                                         nullptr, ws, threads);
                     score.tokens += last - i;
                   });
  return score;
}

std::vector<double> TokenLogProbs(const NplmParams<float>& p,
                                  std::span<const std::int32_t> stream,
                                  int threads) {
  NplmWorkspace<float> ws;
  std::vector<double> out;
  ForScoredBatches(p.shape.context, stream,
                   [&](const std::vector<std::int32_t>& contexts,
                       const std::vector<std::int32_t>& targets, std::size_t i,
                       std::size_t last) {
                     out.resize(last);
                     LogProbs<float>(
                         p, contexts, targets, ws,
                         std::span<double>(out).subspan(i, last - i), threads);
                   });
  return out;
}
std::size_t BestEpoch(std::span<const EpochStats> history, std::size_t first) {
  if (first >= history.size()) {
    throw std::invalid_argument("BestEpoch: no epoch from the first given");
  }
  std::size_t best = first;
  for (std::size_t i = first + 1; i < history.size(); ++i) {
    if (history[i].valid_ppl < history[best].valid_ppl) best = i;
  }
  return best;
}

bool StopEarly(std::span<const EpochStats> history, int patience) {
  return patience > 0 && !history.empty() &&
         history.size() - 1 - BestEpoch(history) >=
             static_cast<std::size_t>(patience);
}

namespace {

std::span<float> Part(std::vector<NplmParams<float>::Block>& blocks,
                      const Chunk& c) {
  return blocks[c.block].values.subspan(c.begin, c.end - c.begin);
}

// The factor that scales the gradient g to a global norm of at most clip
// (1: no clipping). The squared norm is summed chunk by chunk, in chunk
// order, so that it does not depend on the thread count.
float ClipScale(std::vector<NplmParams<float>::Block>& g,
                const std::vector<Chunk>& chunks, double clip, int threads) {
  std::vector<double> partial(chunks.size());
  k::ParallelFor(threads, chunks.size(), [&](std::size_t i) {
    const std::span<const float> gc = Part(g, chunks[i]);
    partial[i] = k::Dot(gc, gc);
  });
  double norm2 = 0;
  for (const double x : partial) norm2 += x;
  return clip > 0 && std::sqrt(norm2) > clip
             ? static_cast<float>(clip / std::sqrt(norm2))
             : 1.0f;
}

}  // namespace

//! [nplm_optimizer_step]
void OptimizerStep(TrainState& state, NplmParams<float>& grad, double lr,
                   int threads) {
  const TrainConfig& cfg = state.config;
  const std::vector<Chunk> chunks = Chunks(grad);
  auto theta = state.params.Blocks(), g = grad.Blocks(),
       m = state.adam_m.Blocks(), v = state.adam_v.Blocks();
  const float scale = ClipScale(g, chunks, cfg.clip, threads);
  ++state.step;
  const auto t = static_cast<std::int64_t>(state.step);
  k::ParallelFor(threads, chunks.size(), [&](std::size_t i) {
    const Chunk& c = chunks[i];
    if (cfg.freeze_embeddings && c.block == 0) return;  // C
    const std::span<float> gc = Part(g, c);
    // Decoupled weight decay on the weight matrices W, U and D (blocks
    // 1, 3, 5), not on biases or the embedding table, whose rare rows
    // would otherwise shrink at every step without a gradient.
    if (cfg.weight_decay > 0 && c.block % 2 == 1) {
      k::Scal(static_cast<float>(1.0 - lr * cfg.weight_decay), Part(theta, c));
    }
    if (scale != 1.0f) k::Scal(scale, gc);
    if (cfg.optimizer == "adam") {
      k::AdamStep(static_cast<float>(lr), 0.9f, 0.999f, 1e-8f, t,
                  std::span<const float>(gc), Part(m, c), Part(v, c),
                  Part(theta, c));
    } else {
      k::SgdStep(static_cast<float>(lr), std::span<const float>(gc),
                 Part(theta, c));
    }
  });
}
//! [nplm_optimizer_step]

namespace {

// What one epoch reuses from step to step.
struct EpochBuffers {
  explicit EpochBuffers(const NplmShape& s) : grad(s) {}
  NplmParams<float> grad;
  NplmWorkspace<float> ws;
  std::vector<std::int32_t> contexts, targets;
  std::vector<std::size_t> order;  // positions of the targets, shuffled
  double explode = 0;              // a mean loss above it is divergence
};

void CheckStepLoss(double mean, double explode, std::uint64_t step, int epoch,
                   double lr) {
  if (std::isfinite(mean) && mean <= explode) return;
  char what[160];
  std::snprintf(what, sizeof what,
                "training diverged at step %llu (epoch %d, learning "
                "rate %g): mean loss %g",
                static_cast<unsigned long long>(step), epoch, lr, mean);
  throw chapters::TrainingDiverged(what);
}

// A run can diverge in its last step, after the per-step check: the
// epoch's perplexities tell, before any checkpoint is written.
void CheckEpoch(const EpochStats& st, double explode, double lr) {
  if (std::log(st.train_ppl) <= explode && std::log(st.valid_ppl) <= explode) {
    return;
  }
  char what[200];
  std::snprintf(what, sizeof what,
                "training diverged in epoch %d (learning rate %g): "
                "training perplexity %g, validation perplexity %g",
                st.epoch, lr, st.train_ppl, st.valid_ppl);
  throw chapters::TrainingDiverged(what);
}

EpochStats StatsOf(int epoch, double nll, std::size_t seen, double seconds,
                   const StepTimes& times) {
  EpochStats st;
  st.epoch = epoch;
  st.seconds = seconds;
  st.tokens_per_s = double(seen) / st.seconds;
  st.train_ppl = std::exp(nll / double(seen));
  st.output_gemm_s = times.output_gemms;
  st.softmax_s = times.softmax;
  st.forward_backward_s = times.total;
  st.output_gflops = times.output_gemms > 0
                         ? times.output_flops / times.output_gemms / 1e9
                         : 0.0;
  return st;
}

void PrintEpoch(std::FILE* out, const EpochStats& st) {
  if (out == nullptr) return;
  std::fprintf(out,
               "epoch %d: train perplexity %.2f, validation perplexity "
               "%.2f, %.0f tokens/s, %s (products with U: %.0f%% of "
               "the time, %.0f GFLOP/s)\n",
               st.epoch, st.train_ppl, st.valid_ppl, st.tokens_per_s,
               chapters::Duration(st.seconds).c_str(),
               100.0 * st.output_gemm_s / st.seconds, st.output_gflops);
}

// The line that ends a run stopped early.
void PrintStoppedEarly(std::FILE* progress,
                       const std::vector<EpochStats>& history) {
  if (progress == nullptr) return;
  std::fprintf(progress,
               "stopping early: no better validation perplexity since "
               "epoch %d\n",
               history[BestEpoch(history)].epoch);
}

// One pass over the training examples in an order drawn from (seed,
// epoch), so that a resumed run shuffles as an uninterrupted one did.
//! [nplm_epoch]
EpochStats TrainEpoch(TrainState& state, std::span<const std::int32_t> train,
                      int epoch, int threads, EpochBuffers& b,
                      chapters::Progress& line) {
  const TrainConfig& cfg = state.config;
  NplmParams<float>& p = state.params;
  const std::size_t n = p.shape.context;
  std::iota(b.order.begin(), b.order.end(), n);
  std::mt19937_64 rng(cfg.seed * 0x9E3779B97F4A7C15ull +
                      static_cast<std::uint64_t>(epoch));
  std::shuffle(b.order.begin(), b.order.end(), rng);
  line.Start(
      "epoch " + std::to_string(epoch) + "/" + std::to_string(cfg.epochs),
      double(b.order.size()), "tokens");
  StepTimes times;
  b.ws.times = &times;
  double nll = 0;
  std::size_t seen = 0;
  for (std::size_t first = 0; first < b.order.size(); first += cfg.batch) {
    const std::size_t last = std::min(b.order.size(), first + cfg.batch);
    FillBatch(train, b.order, first, last, n, b.contexts, b.targets);
    if (cfg.dropout > 0) {
      DropoutMask(cfg.dropout, cfg.seed, state.step,
                  (last - first) * p.shape.hidden, b.ws.keep);
    }
    const double loss = ForwardBackward<float>(p, b.contexts, b.targets,
                                               &b.grad, b.ws, threads);
    const double lr = cfg.lr / (1.0 + cfg.lr_decay * double(state.step));
    CheckStepLoss(loss / double(last - first), b.explode, state.step + 1, epoch,
                  lr);
    nll += loss;
    seen += last - first;
    OptimizerStep(state, b.grad, lr, threads);
    line.Update(double(seen), nll / double(seen));
  }
  line.Finish();
  b.ws.times = nullptr;
  b.ws.keep.clear();  // no dropout in evaluation
  return StatsOf(epoch, nll, seen, line.Elapsed(), times);
}
//! [nplm_epoch]

}  // namespace

void Train(TrainState& state, std::span<const std::int32_t> train,
           std::span<const std::int32_t> valid, int threads,
           const std::function<void(const TrainState&)>& on_epoch,
           std::FILE* progress) {
  const TrainConfig& cfg = state.config;
  const std::size_t n = state.params.shape.context;
  if (train.size() <= n) {
    throw NothingToScore(
        "the training split has " + std::to_string(train.size()) +
        " token(s) with the </s> of each line, no (context, next word) "
        "example: at least " +
        std::to_string(n + 1) + " are needed");
  }
  RequireScoredTokens(valid, n, "the validation split");
  EpochBuffers b(state.params.shape);
  b.order.resize(train.size() - n);
  // A loss above three times that of a uniform guess means divergence.
  b.explode = 3.0 * std::log(double(state.params.shape.vocab));
  chapters::Progress line(progress);
  //! [nplm_train]
  for (int epoch = static_cast<int>(state.history.size()) + 1;
       epoch <= cfg.epochs; ++epoch) {
    EpochStats st = TrainEpoch(state, train, epoch, threads, b, line);
    st.valid_ppl = Evaluate(state.params, valid, threads).Perplexity();
    CheckEpoch(st, b.explode, cfg.lr);
    state.history.push_back(st);
    PrintEpoch(progress, st);
    if (on_epoch) on_epoch(state);
    if (StopEarly(state.history, cfg.patience)) {
      PrintStoppedEarly(progress, state.history);
      break;
    }
  }
  //! [nplm_train]
}

}  // namespace ffnn::ch04
