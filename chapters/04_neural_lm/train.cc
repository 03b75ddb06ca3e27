#include "chapters/04_neural_lm/train.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <limits>
#include <numeric>
#include <random>
#include <string_view>
#include <unordered_map>

#include "chapters/common/corpus.h"
#include "chapters/common/files.h"
#include "chapters/common/memory.h"
#include "kernels/blas.h"
#include "kernels/optim.h"
#include "kernels/parallel.h"

namespace ffnn::ch04 {
namespace k = ffnn::kernels;
namespace {

using Clock = std::chrono::steady_clock;

double Seconds(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

std::string Duration(double s) {
  char buf[32];
  const long t = std::lround(s);
  std::snprintf(buf, sizeof buf, "%ldm%02lds", t / 60, t % 60);
  return buf;
}

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

void CheckForwardPass(const NplmParams<float>& p, const std::string& what) {
  const NplmShape& sh = p.shape;
  const std::size_t in = sh.In();
  // Each float sum of k terms is within k u of the sum of their absolute
  // values (u = 2^-24): the bounds are widened by that much.
  auto widen = [](double sum_abs, std::size_t terms) {
    return sum_abs * (1 + double(terms + 1) * 0x1p-24);
  };
  double x_max = 0;  // every input is a row of C
  for (const float v : p.C) x_max = std::max(x_max, double(std::fabs(v)));
  constexpr double kMax = std::numeric_limits<float>::max();
  double a_max = 0;
  for (std::size_t j = 0; j < sh.hidden; ++j) {
    double sum = std::fabs(double(p.b[j]));
    for (std::size_t i = 0; i < in; ++i) {
      sum += std::fabs(double(p.W[j * in + i])) * x_max;
    }
    a_max = std::max(a_max, widen(sum, in));
  }
  double hi = -kMax * 2, lo = kMax * 2;  // of the logits over all contexts
  for (std::size_t v = 0; v < sh.vocab; ++v) {
    double r = 0;  // |z_v - c_v| <= r: |tanh| <= 1
    for (std::size_t j = 0; j < sh.hidden; ++j) {
      r += std::fabs(double(p.U[v * sh.hidden + j]));
    }
    if (sh.direct) {
      for (std::size_t i = 0; i < in; ++i) {
        r += std::fabs(double(p.D[v * in + i])) * x_max;
      }
    }
    const double c = p.c[v];
    const double slack = widen(r + std::fabs(c), sh.hidden + in) -
                         (r + std::fabs(c));  // rounding room
    hi = std::max(hi, c + r + slack);
    lo = std::min(lo, c - r - slack);
  }
  char bound[200];
  if (!(a_max <= kMax)) {
    std::snprintf(bound, sizeof bound, "hidden preactivations up to %.3g",
                  a_max);
  } else if (!(hi <= kMax && lo >= -kMax)) {
    std::snprintf(bound, sizeof bound, "logits from %.3g to %.3g", lo, hi);
  } else if (!(hi - lo <= kMax)) {
    std::snprintf(bound, sizeof bound,
                  "logits %.3g apart (the softmax subtracts the largest)",
                  hi - lo);
  } else {
    return;
  }
  throw std::runtime_error(
      what + ": the model's parameters overflow its forward pass: " + bound +
      ", beyond float's largest number 3.4e+38 (a corrupt or diverged "
      "model)");
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

//! [mix_kn]
double MixedPerplexity(std::span<const double> log_p_nplm,
                       std::span<const double> q, double lambda) {
  if (q.empty()) throw NothingToScore("MixedPerplexity: no scored token");
  double nll = 0;
  for (std::size_t i = 0; i < q.size(); ++i) {
    nll -= std::log(lambda * std::exp(log_p_nplm[i]) + (1 - lambda) * q[i]);
  }
  return std::exp(nll / double(q.size()));
}

double TuneLambda(std::span<const double> log_p_nplm,
                  std::span<const double> q) {
  double best = 0, best_ppl = MixedPerplexity(log_p_nplm, q, 0.0);
  for (int step = 1; step <= 100; ++step) {
    const double lambda = step / 100.0;
    const double ppl = MixedPerplexity(log_p_nplm, q, lambda);
    if (ppl < best_ppl) best = lambda, best_ppl = ppl;
  }
  return best;
}
//! [mix_kn]

Mixture Interpolate(const NplmParams<float>& p,
                    std::span<const std::int32_t> valid,
                    std::span<const std::int32_t> test,
                    std::span<const double> other_valid,
                    std::span<const double> other_test, int threads) {
  const auto lv = TokenLogProbs(p, valid, threads);
  const auto lt = TokenLogProbs(p, test, threads);
  if (lv.size() != other_valid.size() || lt.size() != other_test.size()) {
    throw std::invalid_argument("Interpolate: the models score other tokens");
  }
  Mixture m;
  m.lambda = TuneLambda(lv, other_valid);
  m.nplm_valid_ppl = MixedPerplexity(lv, other_valid, 1.0);
  m.nplm_test_ppl = MixedPerplexity(lt, other_test, 1.0);
  m.other_valid_ppl = MixedPerplexity(lv, other_valid, 0.0);
  m.other_test_ppl = MixedPerplexity(lt, other_test, 0.0);
  m.mix_valid_ppl = MixedPerplexity(lv, other_valid, m.lambda);
  m.mix_test_ppl = MixedPerplexity(lt, other_test, m.lambda);
  return m;
}

//! [nplm_train]
void Train(TrainState& state, std::span<const std::int32_t> train,
           std::span<const std::int32_t> valid, int threads,
           const std::function<void(const TrainState&)>& on_epoch,
           std::FILE* progress) {
  const TrainConfig& cfg = state.config;
  NplmParams<float>& p = state.params;
  const std::size_t n = p.shape.context;
  if (train.size() <= n) {
    throw NothingToScore(
        "the training split has " + std::to_string(train.size()) +
        " token(s) with the </s> of each line, no (context, next word) "
        "example: at least " +
        std::to_string(n + 1) + " are needed");
  }
  RequireScoredTokens(valid, n, "the validation split");
  NplmParams<float> grad(p.shape);
  NplmWorkspace<float> ws;
  std::vector<std::int32_t> contexts, targets;
  std::vector<std::size_t> order(train.size() > n ? train.size() - n : 0);
  const std::vector<Chunk> chunks = Chunks(grad);
  std::vector<double> partial(chunks.size());
  // A loss above three times that of a uniform guess means divergence.
  const double explode = 3.0 * std::log(double(p.shape.vocab));
  const bool tty = progress && ::isatty(::fileno(progress));
  for (int epoch = static_cast<int>(state.history.size()) + 1;
       epoch <= cfg.epochs; ++epoch) {
    std::iota(order.begin(), order.end(), n);
    std::mt19937_64 rng(cfg.seed * 0x9E3779B97F4A7C15ull +
                        static_cast<std::uint64_t>(epoch));
    std::shuffle(order.begin(), order.end(), rng);
    const auto start = Clock::now();
    auto shown = start;
    StepTimes times;
    ws.times = &times;
    double nll = 0;
    std::size_t seen = 0;
    for (std::size_t first = 0; first < order.size(); first += cfg.batch) {
      const std::size_t last = std::min(order.size(), first + cfg.batch);
      FillBatch(train, order, first, last, n, contexts, targets);
      if (cfg.dropout > 0) {
        DropoutMask(cfg.dropout, cfg.seed, state.step,
                    (last - first) * p.shape.hidden, ws.keep);
      }
      const double loss =
          ForwardBackward<float>(p, contexts, targets, &grad, ws, threads);
      const double mean = loss / double(last - first);
      const double lr = cfg.lr / (1.0 + cfg.lr_decay * double(state.step));
      if (!std::isfinite(mean) || mean > explode) {
        char what[160];
        std::snprintf(what, sizeof what,
                      "training diverged at step %llu (epoch %d, learning "
                      "rate %g): mean loss %g",
                      static_cast<unsigned long long>(state.step + 1), epoch,
                      lr, mean);
        throw Diverged(what);
      }
      nll += loss;
      seen += last - first;
      // Clip the gradient's global norm, then take one optimizer step.
      auto theta = p.Blocks(), g = grad.Blocks(), m = state.adam_m.Blocks(),
           v = state.adam_v.Blocks();
      auto part = [](std::vector<NplmParams<float>::Block>& blocks,
                     const Chunk& c) {
        return blocks[c.block].values.subspan(c.begin, c.end - c.begin);
      };
      k::ParallelFor(threads, chunks.size(), [&](std::size_t i) {
        const std::span<const float> gc = part(g, chunks[i]);
        partial[i] = k::Dot(gc, gc);
      });
      double norm2 = 0;
      for (const double x : partial) norm2 += x;
      const float scale = cfg.clip > 0 && std::sqrt(norm2) > cfg.clip
                              ? static_cast<float>(cfg.clip / std::sqrt(norm2))
                              : 1.0f;
      ++state.step;
      k::ParallelFor(threads, chunks.size(), [&](std::size_t i) {
        const Chunk& c = chunks[i];
        if (cfg.freeze_embeddings && c.block == 0) return;  // C
        const std::span<float> gc = part(g, c);
        // Decoupled weight decay on the weight matrices W, U and D (blocks
        // 1, 3, 5), not on biases or the embedding table, whose rare rows
        // would otherwise shrink at every step without a gradient.
        if (cfg.weight_decay > 0 && c.block % 2 == 1) {
          k::Scal(static_cast<float>(1.0 - lr * cfg.weight_decay),
                  part(theta, c));
        }
        if (scale != 1.0f) k::Scal(scale, gc);
        if (cfg.optimizer == "adam") {
          k::AdamStep(static_cast<float>(lr), 0.9f, 0.999f, 1e-8f,
                      static_cast<std::int64_t>(state.step),
                      std::span<const float>(gc), part(m, c), part(v, c),
                      part(theta, c));
        } else {
          k::SgdStep(static_cast<float>(lr), std::span<const float>(gc),
                     part(theta, c));
        }
      });
      const auto now = Clock::now();
      if (progress && Seconds(shown, now) >= (tty ? 0.5 : 10.0)) {
        shown = now;
        const double rate = double(seen) / Seconds(start, now);
        std::fprintf(progress,
                     "%sepoch %d/%d %5.1f%% %9.0f tokens/s loss %.3f ETA %s%s",
                     tty ? "\r" : "", epoch, cfg.epochs,
                     100.0 * double(seen) / double(order.size()), rate,
                     nll / double(seen),
                     Duration(double(order.size() - seen) / rate).c_str(),
                     tty ? "" : "\n");
        std::fflush(progress);
      }
    }
    EpochStats st;
    st.epoch = epoch;
    st.seconds = Seconds(start, Clock::now());
    st.tokens_per_s = double(seen) / st.seconds;
    st.train_ppl = std::exp(nll / double(seen));
    st.output_gemm_s = times.output_gemms;
    st.softmax_s = times.softmax;
    st.forward_backward_s = times.total;
    st.output_gflops = times.output_gemms > 0
                           ? times.output_flops / times.output_gemms / 1e9
                           : 0.0;
    ws.times = nullptr;
    ws.keep.clear();
    st.valid_ppl = Evaluate(p, valid, threads).Perplexity();
    // A run can diverge in its last step, after the per-step check: the
    // epoch's perplexities tell, before any checkpoint is written.
    if (!(std::log(st.train_ppl) <= explode) ||
        !(std::log(st.valid_ppl) <= explode)) {
      char what[200];
      std::snprintf(what, sizeof what,
                    "training diverged in epoch %d (learning rate %g): "
                    "training perplexity %g, validation perplexity %g",
                    epoch, cfg.lr, st.train_ppl, st.valid_ppl);
      throw Diverged(what);
    }
    state.history.push_back(st);
    if (progress) {
      std::fprintf(progress,
                   "%sepoch %d: train perplexity %.2f, validation perplexity "
                   "%.2f, %.0f tokens/s, %s (products with U: %.0f%% of "
                   "the time, %.0f GFLOP/s)\n",
                   tty ? "\r" : "", epoch, st.train_ppl, st.valid_ppl,
                   st.tokens_per_s, Duration(st.seconds).c_str(),
                   100.0 * st.output_gemm_s / st.seconds, st.output_gflops);
    }
    if (on_epoch) on_epoch(state);
    // Early stopping: the best epoch is `patience` epochs behind.
    if (cfg.patience > 0) {
      std::size_t best = 0;
      for (std::size_t i = 1; i < state.history.size(); ++i) {
        if (state.history[i].valid_ppl < state.history[best].valid_ppl)
          best = i;
      }
      if (state.history.size() - 1 - best >= std::size_t(cfg.patience)) {
        if (progress) {
          std::fprintf(progress,
                       "stopping early: no better validation perplexity "
                       "since epoch %d\n",
                       state.history[best].epoch);
        }
        break;
      }
    }
  }
}
//! [nplm_train]

std::size_t InitializeEmbeddings(NplmParams<float>& p,
                                 const std::vector<std::string>& words,
                                 const chapters::WordVectors& vectors) {
  const std::size_t d = p.shape.dim;
  if (vectors.dim != d) {
    throw std::invalid_argument(
        "the word vectors have " + std::to_string(vectors.dim) +
        " dimensions, the model's embeddings " + std::to_string(d));
  }
  std::unordered_map<std::string_view, std::size_t> row;
  for (std::size_t i = 0; i < vectors.words.size(); ++i) {
    row.emplace(vectors.words[i], i);
  }
  std::size_t copied = 0;
  for (std::size_t w = 0; w < words.size() && w < p.shape.vocab; ++w) {
    const auto it = row.find(words[w]);
    if (it == row.end()) continue;
    std::copy_n(vectors.values.begin() + it->second * d, d,
                p.C.begin() + w * d);
    ++copied;
  }
  return copied;
}

std::uint64_t VocabularyHash(const std::vector<std::string>& words) {
  std::uint64_t h = 0xcbf29ce484222325ull;
  for (const std::string& w : words) {
    for (const char c : w)
      h = (h ^ static_cast<unsigned char>(c)) * 0x100000001b3ull;
    h = (h ^ 0xFF) * 0x100000001b3ull;  // word separator
  }
  return h;
}

// ---- Checkpoints ----------------------------------------------------------

namespace {

constexpr char kMagic[8] = {'N', 'P', 'L', 'M', 'C', 'K', 'P', '3'};
// Limits checked before any size is computed from a header.
constexpr std::uint64_t kMaxVocab = 1u << 24, kMaxDim = 4096, kMaxHidden = 8192,
                        kMaxEpochs = 100000;
// Far above any model of the chapter (the book's is 31 MB).
constexpr std::uintmax_t kMaxCheckpointBytes = std::uintmax_t{4} << 30;

class Writer {
 public:
  template <class T>
  void Put(T v) {
    char b[sizeof(T)];
    std::memcpy(b, &v, sizeof(T));
    out_.append(b, sizeof(T));
  }
  std::string& str() { return out_; }

 private:
  std::string out_;
};

class Reader {
 public:
  Reader(std::string bytes, std::string path)
      : in_(std::move(bytes)), path_(std::move(path)) {}
  template <class T>
  T Get() {
    Need(sizeof(T));
    T v;
    std::memcpy(&v, in_.data() + at_, sizeof(T));
    at_ += sizeof(T);
    return v;
  }
  void Floats(std::span<float> v) {
    Need(v.size() * 4);
    std::memcpy(v.data(), in_.data() + at_, v.size() * 4);
    at_ += v.size() * 4;
    for (const float x : v) {
      if (!std::isfinite(x)) Fail("holds a non-finite parameter");
    }
  }
  // A yes/no byte: anything but 0 or 1 is a corrupt file, not "yes" (a
  // re-save would not reproduce it).
  bool Flag() {
    const auto b = Get<std::uint8_t>();
    if (b > 1) Fail("a flag byte that is neither 0 nor 1");
    return b == 1;
  }
  std::size_t Left() const { return in_.size() - at_; }
  [[noreturn]] void Fail(const std::string& what) const {
    throw std::runtime_error(path_ + ": " + what);
  }

 private:
  void Need(std::size_t bytes) const {
    if (bytes > Left()) Fail("truncated (not a complete checkpoint)");
  }
  std::string in_;
  std::string path_;
  std::size_t at_ = 0;
};

}  // namespace

void SaveCheckpoint(const TrainState& s, const std::string& path) {
  SaveCheckpoints(s, {path});
}

void SaveCheckpoints(const TrainState& s,
                     const std::vector<std::string>& paths) {
  Writer w;
  w.str().append(kMagic, sizeof kMagic);
  const NplmShape& sh = s.params.shape;
  w.Put<std::uint64_t>(sh.vocab);
  w.Put<std::uint64_t>(sh.context);
  w.Put<std::uint64_t>(sh.dim);
  w.Put<std::uint64_t>(sh.hidden);
  w.Put<std::uint8_t>(sh.direct);
  const TrainConfig& c = s.config;
  w.Put<std::uint64_t>(c.batch);
  w.Put<std::uint8_t>(c.optimizer == "sgd");
  w.Put<double>(c.lr);
  w.Put<double>(c.lr_decay);
  w.Put<double>(c.clip);
  w.Put<std::uint8_t>(c.freeze_embeddings);
  w.Put<double>(c.dropout);
  w.Put<double>(c.weight_decay);
  w.Put<std::uint32_t>(static_cast<std::uint32_t>(c.epochs));
  w.Put<std::uint32_t>(static_cast<std::uint32_t>(c.patience));
  w.Put<std::uint64_t>(c.seed);
  w.Put<std::uint64_t>(s.step);
  w.Put<std::uint64_t>(s.vocab_hash);
  w.Put<std::uint32_t>(static_cast<std::uint32_t>(s.history.size()));
  for (const EpochStats& e : s.history) {
    w.Put<std::int32_t>(e.epoch);
    w.Put<double>(e.train_ppl);
    w.Put<double>(e.valid_ppl);
    w.Put<double>(e.seconds);
    w.Put<double>(e.tokens_per_s);
    w.Put<double>(e.output_gemm_s);
    w.Put<double>(e.softmax_s);
    w.Put<double>(e.forward_backward_s);
    w.Put<double>(e.output_gflops);
  }
  // The header, then the parameters streamed block by block: no second copy
  // of the model in memory.
  std::vector<chapters::AtomicFile> files;
  for (const std::string& path : paths) {
    files.emplace_back(path);
    files.back().Write(w.str());
  }
  for (const NplmParams<float>* p : {&s.params, &s.adam_m, &s.adam_v}) {
    auto& q = const_cast<NplmParams<float>&>(*p);
    for (auto& blk : q.Blocks()) {
      // Little-endian floats, as the host stores them.
      const std::string_view bytes(
          reinterpret_cast<const char*>(blk.values.data()),
          blk.values.size() * sizeof(float));
      for (auto& f : files) f.Write(bytes);
    }
  }
  chapters::CommitTogether(files);
}

TrainState LoadCheckpoint(const std::string& path,
                          const chapters::MemoryBudget* budget) {
  // The file's bytes and the state they become, both in memory at once.
  std::error_code ec;
  const auto size = std::filesystem::is_regular_file(path, ec)
                        ? std::filesystem::file_size(path, ec)
                        : 0;
  if (!ec && size <= kMaxCheckpointBytes) {
    chapters::RequireMemory(2 * size, "the model " + path,
                            budget ? *budget : chapters::AvailableMemory());
  }
  // Bounded: a device (/dev/urandom) or a huge file is refused, not read.
  Reader r(chapters::ReadFileBounded(path, kMaxCheckpointBytes), path);
  char magic[8];
  for (char& ch : magic) ch = r.Get<char>();
  if (std::memcmp(magic, kMagic, 8) != 0) r.Fail("not an nplm checkpoint");
  NplmShape sh;
  sh.vocab = r.Get<std::uint64_t>();
  sh.context = r.Get<std::uint64_t>();
  sh.dim = r.Get<std::uint64_t>();
  sh.hidden = r.Get<std::uint64_t>();
  sh.direct = r.Flag();
  if (sh.vocab < 3 || sh.vocab > kMaxVocab || sh.context < 1 ||
      sh.context > 4 || sh.dim < 1 || sh.dim > kMaxDim || sh.hidden < 1 ||
      sh.hidden > kMaxHidden) {
    r.Fail("impossible model shape in the header");
  }
  // A header that lies about the shape is caught here, before the three
  // parameter tables (weights, Adam's m and v) are allocated.
  if (3 * 4 * sh.Parameters() > r.Left()) {
    r.Fail("the header's shape needs " +
           std::to_string(3 * 4 * sh.Parameters()) +
           " bytes of parameters, more than the file holds");
  }
  TrainConfig c;
  c.batch = r.Get<std::uint64_t>();
  c.optimizer = r.Flag() ? "sgd" : "adam";
  c.lr = r.Get<double>();
  c.lr_decay = r.Get<double>();
  c.clip = r.Get<double>();
  c.freeze_embeddings = r.Flag();
  c.dropout = r.Get<double>();
  c.weight_decay = r.Get<double>();
  const std::uint32_t epochs = r.Get<std::uint32_t>();
  const std::uint32_t patience = r.Get<std::uint32_t>();
  c.seed = r.Get<std::uint64_t>();
  if (c.batch < 1 || c.batch > (1u << 20) || !(c.lr > 0) ||
      !std::isfinite(c.lr) || !(c.lr_decay >= 0) || !(c.clip >= 0) ||
      !(c.dropout >= 0 && c.dropout < 1) ||
      !(c.weight_decay >= 0 && c.weight_decay <= 1e6) || epochs > kMaxEpochs ||
      patience > kMaxEpochs) {
    r.Fail("impossible training configuration in the header");
  }
  c.epochs = static_cast<int>(epochs);
  c.patience = static_cast<int>(patience);
  TrainState s(sh);
  s.config = c;
  s.step = r.Get<std::uint64_t>();
  s.vocab_hash = r.Get<std::uint64_t>();
  const std::uint32_t done = r.Get<std::uint32_t>();
  constexpr std::uint64_t kEpochBytes = 4 + 8 * 8;
  if (done > kMaxEpochs || done * kEpochBytes > r.Left()) {
    r.Fail("the epoch history is longer than the file");
  }
  for (std::uint32_t e = 0; e < done; ++e) {
    EpochStats st;
    st.epoch = r.Get<std::int32_t>();
    st.train_ppl = r.Get<double>();
    st.valid_ppl = r.Get<double>();
    st.seconds = r.Get<double>();
    st.tokens_per_s = r.Get<double>();
    st.output_gemm_s = r.Get<double>();
    st.softmax_s = r.Get<double>();
    st.forward_backward_s = r.Get<double>();
    st.output_gflops = r.Get<double>();
    // The tools print the history: a NaN there would be printed as a
    // result (found by fuzz_lm_checkpoint).
    for (const double v : {st.train_ppl, st.valid_ppl, st.seconds,
                           st.tokens_per_s, st.output_gemm_s, st.softmax_s,
                           st.forward_backward_s, st.output_gflops}) {
      if (!std::isfinite(v)) r.Fail("a non-finite number in the epoch history");
    }
    s.history.push_back(st);
  }
  const std::uint64_t floats = 3ull * s.params.Size();
  if (r.Left() != floats * 4) {
    r.Fail("holds " + std::to_string(r.Left()) +
           " bytes of parameters, the "
           "header's shape needs " +
           std::to_string(floats * 4));
  }
  for (NplmParams<float>* p : {&s.params, &s.adam_m, &s.adam_v}) {
    for (auto& blk : p->Blocks()) r.Floats(blk.values);
  }
  CheckForwardPass(s.params, path);
  return s;
}

}  // namespace ffnn::ch04
