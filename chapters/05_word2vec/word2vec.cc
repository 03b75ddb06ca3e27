#include "chapters/05_word2vec/word2vec.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <stdexcept>
#include <string>

#include "chapters/05_word2vec/huffman.h"
#include "chapters/05_word2vec/sampling.h"
#include "chapters/common/errors.h"
#include "chapters/common/progress.h"
#include "chapters/common/random.h"
#include "kernels/blas.h"
#include "kernels/embedding.h"
#include "kernels/parallel.h"

namespace ffnn::ch05 {
namespace {

// The random numbers of one block, from (seed, epoch, block) alone.
chapters::SplitMix64 BlockRng(std::uint64_t seed, std::uint64_t epoch,
                              std::uint64_t block) {
  return chapters::SplitMix64(seed * 0x9E3779B97F4A7C15ull ^
                              (epoch + 1) * 0xD1B54A32D192ED03ull ^
                              (block + 1) * 0x8CB92BA72F3D8DD7ull);
}

struct Block {
  std::size_t first, last;   // sentences [first, last)
  std::size_t words_before;  // training words before it in the epoch
};

// The corpus cut into blocks of about kBlockWords words, between sentences
// (ids checked against V).
struct Blocks {
  std::vector<Block> blocks;
  std::size_t words = 0;      // in the corpus
  std::size_t max_words = 0;  // in its largest block
};

Blocks CutIntoBlocks(const std::vector<std::vector<std::int32_t>>& sentences,
                     std::size_t V) {
  Blocks b;
  for (std::size_t s = 0, first = 0, in_block = 0; s < sentences.size(); ++s) {
    for (const std::int32_t w : sentences[s]) {
      if (w < 0 || static_cast<std::size_t>(w) >= V) {
        throw std::invalid_argument("TrainWord2Vec: id " + std::to_string(w) +
                                    " outside the vocabulary");
      }
    }
    in_block += sentences[s].size();
    if (in_block >= kBlockWords || s + 1 == sentences.size()) {
      b.blocks.push_back({first, s + 1, b.words});
      b.words += in_block;
      b.max_words = std::max(b.max_words, in_block);
      first = s + 1;
      in_block = 0;
    }
  }
  if (b.words == 0) throw std::invalid_argument("TrainWord2Vec: no words");
  return b;
}

// The rows of each table one block can touch, at most: every input row is a
// word of the block, every output row the observed word or one of the
// `negative` noise words drawn for one of its positions.
std::size_t InputRowsPerBlock(const Blocks& b, std::size_t V) {
  return std::min(V, b.max_words);
}
std::size_t OutputRowsPerBlock(const Blocks& b, std::size_t V,
                               const W2vConfig& cfg) {
  return cfg.negative == 0 ? 0 : std::min(V, b.max_words * (cfg.negative + 1));
}
// Hierarchical softmax's node rows: the paths of the block's words (each at
// most `depth` nodes; V - 1 inner nodes in all).
std::size_t NodeRowsPerBlock(const Blocks& b, std::size_t V,
                             const W2vConfig& cfg, std::size_t depth) {
  return cfg.hs ? std::min(V - 1, b.max_words * depth) : 0;
}
// A Huffman path of D nodes needs a total count of at least Fibonacci(D +
// 2) (Katona and Nemetz 1976), and counts are below 2^63 = Fibonacci(92.6):
// no path is longer than 91 nodes, and none longer than V - 1.
std::size_t MaxPathLength(std::size_t V) {
  return std::min<std::size_t>(V - 1, 91);
}

void CheckSettings(std::size_t V, const W2vConfig& cfg) {
  auto bad = [](const std::string& what) {
    throw std::invalid_argument("TrainWord2Vec: " + what);
  };
  if (V < 2) bad("fewer than 2 words in the vocabulary");
  if (cfg.size == 0) bad("the vector size must be at least 1");
  if (cfg.window == 0) bad("the window must be at least 1");
  if (cfg.iter < 1) bad("at least one epoch (iter) is needed");
  if (cfg.threads < 1) bad("at least one thread is needed");
  if (cfg.negative == 0 && !cfg.hs) {
    bad("-negative 0 without -hs 1 leaves no output layer to train: give "
        "negative samples, hierarchical softmax (-hs 1) or both");
  }
  if (!(cfg.sample >= 0) || !std::isfinite(cfg.sample)) {
    bad("the subsampling threshold (sample) must be a finite number >= 0");
  }
  if (!(cfg.Alpha() > 0) || !std::isfinite(cfg.Alpha())) {
    bad("the learning rate (alpha) must be a finite number > 0");
  }
}

// The rows of one table a block touches in its round (the reproducible
// mode): `rows` lists them once each (PlanBlock); index[w] is the row the
// block reads and writes for w, or -1 if it does not touch w (ResolveRows):
// w itself where no other block of the round touches w, else a private copy
// in the block's own region of rows past the table's end, [base, base +
// capacity), so one view spans the table and the copies.
struct Copied {
  std::size_t base = 0, capacity = 0;
  std::vector<std::int32_t> index;   // (V)
  std::vector<std::uint8_t> listed;  // (V): a byte, so List stays in cache
  std::vector<std::int32_t> rows;
  // The rows holding the round-start values of the shared rows the block
  // writes in place (ResolveRows), in list order.
  std::vector<std::int32_t> starts;
  // Lists the words of ws for which keep(i) holds, each once. Without
  // branches: most words repeat a listed row, unpredictably.
  template <class Keep>
  void List(std::span<const std::int32_t> ws, const Keep& keep) {
    std::size_t n = rows.size();
    rows.resize(n + ws.size());
    for (std::size_t i = 0; i < ws.size(); ++i) {
      const std::int32_t w = ws[i];
      const bool take = keep(i) && !listed[w];
      rows[n] = w;
      n += take;
      listed[w] |= take;
    }
    rows.resize(n);
  }
};

// Who touches each row of one table in a round (the reproducible mode):
// owner[w] is kNone, or b, the first block of the round that touches w (in
// block order), which writes the row in place, with kShared set if later
// blocks touch w too (each works on its copy and the merge adds their
// changes).
inline constexpr std::uint8_t kNone = 0xFF, kShared = 0x80;
struct RoundRows {
  std::vector<std::uint8_t> owner;  // (V)
  std::vector<std::int32_t> touched, shared;
  // Block `block` touches w (once per block, blocks in order).
  void Mark(std::int32_t w, std::uint8_t block) {
    std::uint8_t& o = owner[w];
    if (o == kNone) {
      o = block;
      touched.push_back(w);
    } else if (!(o & kShared)) {
      o |= kShared;
      shared.push_back(w);
    }
  }
};

// A block's random draws, made before it trains (PlanBlock) in the order
// word2vec.c makes them, so that the rows it will touch are known before
// any block of the round starts. Per kept position p: its word and the
// index of its input row (ResolveRows), its window [lo, hi] (positions in
// `words`, within its sentence) and its context rows ctx[ctx_end[p - 1],
// ctx_end[p]): the observed word, then the negatives (word ids, then the
// indices of their rows).
struct Plan {
  std::vector<std::int32_t> words, in_rows, ctx;
  std::vector<std::uint32_t> lo, hi, ctx_end;
  std::size_t CtxBegin(std::size_t p) const { return p ? ctx_end[p - 1] : 0; }
};

// How a round's blocks' rows combine (MergeRow).
enum class Merge { kSum, kMean };

// One block's private view of the tables (word2vec.c's syn0, syn1neg and,
// with hierarchical softmax, syn1).
struct Overlay {
  Copied in, out, node;
  Plan plan;
  std::uint8_t me = 0;  // the block's place in its round
  std::vector<std::int32_t> node_slots;
  double loss = 0, loss_total = 0;
  std::size_t steps = 0, steps_total = 0;
  std::vector<float> h, h_grad, u_grad, h_in;
  std::vector<std::int32_t> in_idx;
  std::vector<float> scratch, scores;  // the window step's (m, d), (m, k + 1)
  // The block's random numbers and learning rate.
  chapters::SplitMix64 rng{0};
  float lr = 0;
};

// The V rows of the start, with room reserved for `extra` rows after them.
std::vector<float> InitialVectors(std::size_t V, std::size_t d,
                                  std::uint64_t seed, std::size_t extra = 0) {
  std::vector<float> in;
  in.reserve((V + extra) * d);
  in.resize(V * d);
  auto init = BlockRng(seed, ~0ull, ~0ull);
  for (float& x : in) x = static_cast<float>((init.Uniform() - 0.5) / d);
  return in;
}

// One run of TrainWord2Vec: the settings, the tables being trained, what
// every block reads (subsampling, the noise table, the cut into blocks),
// the blocks' private overlays and the loss so far. Train runs the epochs;
// an epoch runs rounds of blocks (or, with -hogwild, each thread's share of
// the blocks); a block runs its sentences, a sentence its windows.
class Trainer {
 public:
  Trainer(const std::vector<std::vector<std::int32_t>>& sentences,
          std::span<const std::int64_t> counts, const W2vConfig& cfg,
          std::FILE* progress);
  W2vModel Train(const EpochCallback& on_epoch);

 private:
  void Rounds(int epoch);
  void HogwildEpoch(int epoch);
  void PlanBlock(int epoch, std::size_t b, Overlay& o);
  void PlanSentence(Overlay& o, const std::vector<std::int32_t>& sentence);
  void MarkRows(std::size_t nb, std::size_t table);
  void RunBlock(Overlay& o);
  void ListRows(Overlay& o);
  void ResolveRows(Overlay& o);
  void Resolve(Copied& c, std::vector<float>& table, const RoundRows& r,
               std::uint8_t me, bool keep_start) const;
  void SkipGramWindow(Overlay& o, std::size_t i);
  void CbowWindow(Overlay& o, std::size_t i);
  // Position i's observed word and negatives, as rows of the output table.
  std::span<const std::int32_t> ContextRows(const Overlay& o, std::size_t i) {
    const std::size_t begin = o.plan.CtxBegin(i);
    return std::span<const std::int32_t>(o.plan.ctx.data() + begin,
                                         o.plan.ctx_end[i] - begin);
  }
  void PathNodes(Overlay& o, std::int32_t target);
  void MergeRound(std::size_t nb);
  void MergeShared(Copied Overlay::*side, std::vector<float>& table,
                   const RoundRows& r, Merge rule, std::size_t nb,
                   std::size_t p);
  void MergeRow(Copied Overlay::*side, Merge rule, std::int32_t w,
                std::size_t first, std::size_t nb, std::vector<float>& table,
                std::span<const float> row_start);
  void EndEpoch(int epoch, double loss0, std::size_t steps0,
                const EpochCallback& on_epoch);
  void ShowProgress(double done);
  // The tables without the blocks' copies past their ends (for a caller),
  // and with them.
  void Trim();
  void Extend();

  kernels::MatView<float> View(std::vector<float>& table) const {
    return kernels::MatView<float>(table.data(), table.size() / dim_, dim_);
  }
  // The input row of the block's kept position j.
  std::span<float> InRow(Overlay& o, std::size_t j) {
    return std::span<float>(
        m_.in.data() + std::size_t(o.plan.in_rows[j]) * dim_, dim_);
  }

  const std::vector<std::vector<std::int32_t>>& sentences_;
  const W2vConfig& cfg_;
  const std::size_t num_words_, dim_;
  const bool hogwild_;
  std::vector<double> keep_;  // each word's subsampling keep probability
  AliasTable noise_;
  HuffmanTree tree_;  // with hs
  Blocks cut_;
  double planned_;  // words of all epochs
  double alpha_;
  // The rows each block's copies may take (none with -hogwild).
  const std::size_t in_cap_, out_cap_, node_cap_;
  W2vModel m_;
  std::vector<Overlay> overlays_;
  RoundRows in_owners_, out_owners_, node_owners_;
  chapters::Progress progress_;
  double loss_ = 0;
  std::size_t steps_ = 0;
  // Hogwild: words processed so far by all threads, for the learning rate.
  std::atomic<std::size_t> processed_{0};
};

std::vector<double> KeepProbabilities(std::span<const std::int64_t> counts,
                                      double sample) {
  std::int64_t total = 0;
  for (const std::int64_t c : counts) total += c;
  std::vector<double> keep(counts.size());
  for (std::size_t w = 0; w < counts.size(); ++w) {
    keep[w] = KeepProbability(counts[w], total, sample);
  }
  return keep;
}

Trainer::Trainer(const std::vector<std::vector<std::int32_t>>& sentences,
                 std::span<const std::int64_t> counts, const W2vConfig& cfg,
                 std::FILE* progress)
    : sentences_(sentences),
      cfg_(cfg),
      num_words_(counts.size()),
      dim_(cfg.size),
      hogwild_(cfg.hogwild),
      keep_((CheckSettings(counts.size(), cfg),
             KeepProbabilities(counts, cfg.sample))),
      noise_(NoiseWeights(counts)),
      tree_(cfg.hs ? BuildHuffmanTree(counts) : HuffmanTree{}),
      cut_(CutIntoBlocks(sentences, counts.size())),
      planned_(double(cut_.words) * cfg.iter),
      alpha_(cfg.Alpha()),
      // As many rows as a block can touch, not V: 8 V d floats of scratch
      // for four blocks would be four times the model.
      in_cap_(hogwild_ ? 0 : InputRowsPerBlock(cut_, num_words_)),
      out_cap_(hogwild_ ? 0 : OutputRowsPerBlock(cut_, num_words_, cfg)),
      node_cap_(
          hogwild_ ? 0
                   : NodeRowsPerBlock(cut_, num_words_, cfg, tree_.max_length)),
      m_{num_words_, dim_,
         InitialVectors(num_words_, dim_, cfg.seed, kRoundBlocks * in_cap_),
         std::vector<float>(), std::vector<float>()},
      overlays_(hogwild_ ? static_cast<std::size_t>(cfg.threads)
                         : kRoundBlocks),
      progress_(progress) {
  const std::size_t V = num_words_, d = dim_;
  // The output tables start at 0, with their copies' rows reserved.
  if (cfg.negative > 0) {
    m_.out.reserve((V + kRoundBlocks * out_cap_) * d);
    m_.out.resize(V * d);
  }
  if (cfg.hs) {
    m_.nodes.reserve((V - 1 + kRoundBlocks * node_cap_) * d);
    m_.nodes.resize((V - 1) * d);
  }
  if (!hogwild_) {  // Hogwild writes the shared tables directly
    for (std::size_t i = 0; i < overlays_.size(); ++i) {
      Overlay& o = overlays_[i];
      o.me = static_cast<std::uint8_t>(i);
      o.in.base = V + i * in_cap_;
      o.out.base = V + i * out_cap_;
      o.node.base = V - 1 + i * node_cap_;
      o.in.capacity = in_cap_;
      o.out.capacity = out_cap_;
      o.node.capacity = node_cap_;
      for (Copied* c : {&o.in, &o.out}) {
        c->index.assign(V, -1);
        c->listed.assign(V, 0);
      }
      if (cfg.hs) {
        o.node.index.assign(V - 1, -1);
        o.node.listed.assign(V - 1, 0);
      }
    }
    // A row is marked at most once as touched and once as shared.
    const std::pair<RoundRows*, std::size_t> rows[] = {
        {&in_owners_, in_cap_},
        {&out_owners_, out_cap_},
        {&node_owners_, node_cap_}};
    for (const auto& [r, cap] : rows) {
      if (cap == 0) continue;
      r->owner.assign(r == &node_owners_ ? V - 1 : V, kNone);
      r->touched.reserve(std::min(V, kRoundBlocks * cap));
      r->shared.reserve(std::min(V, kRoundBlocks * cap));
    }
    Extend();
  }
  for (Overlay& o : overlays_) {
    const std::size_t positions = cut_.max_words;
    o.plan.words.reserve(positions);
    o.plan.in_rows.reserve(positions);
    o.plan.lo.reserve(positions);
    o.plan.hi.reserve(positions);
    o.plan.ctx_end.reserve(positions);
    o.plan.ctx.reserve(cfg.negative > 0 ? positions * (cfg.negative + 1) : 0);
    o.scratch.resize(2 * cfg.window * d);
    o.scores.resize(2 * cfg.window *
                    std::max(cfg.negative + 1, tree_.max_length));
    o.h.resize(d);
    o.h_grad.resize(d);
    o.u_grad.resize(d);
  }
}

W2vModel Trainer::Train(const EpochCallback& on_epoch) {
  progress_.Start("word2vec", planned_, "words");
  for (int epoch = 0; epoch < cfg_.iter; ++epoch) {
    const double loss0 = loss_;
    const std::size_t steps0 = steps_;
    if (hogwild_) {
      HogwildEpoch(epoch);
      EndEpoch(epoch, loss0, steps0, on_epoch);
      ShowProgress(double(epoch + 1) * double(cut_.words));
    } else {
      Rounds(epoch);
      EndEpoch(epoch, loss0, steps0, on_epoch);
    }
  }
  progress_.Finish();
  Trim();
  if (steps_ == 0) {
    // The vectors would be their random start, written as a result.
    char sample[32];
    std::snprintf(sample, sizeof sample, "%g", cfg_.sample);
    throw std::invalid_argument(
        "no (word, context) pair was trained in " + std::to_string(cfg_.iter) +
        " epoch(s): every sentence lost all but one word to subsampling "
        "(-sample " +
        sample + ") or holds a single word; nothing was learned");
  }
  return std::move(m_);
}

//! [rounds]
// One epoch, reproducibly: rounds of kRoundBlocks blocks, each block on a
// thread of its own from the tables as they were at the start of the
// round, then the round's merge. A block draws its random numbers first,
// so the rows each block touches are known before any block trains.
void Trainer::Rounds(int epoch) {
  const std::vector<Block>& blocks = cut_.blocks;
  for (std::size_t r0 = 0; r0 < blocks.size(); r0 += kRoundBlocks) {
    const std::size_t nb = std::min(kRoundBlocks, blocks.size() - r0);
    kernels::ParallelFor(cfg_.threads, nb, [&](std::size_t i) {
      PlanBlock(epoch, r0 + i, overlays_[i]);
    });
    kernels::ParallelFor(cfg_.threads, 3,
                         [&](std::size_t table) { MarkRows(nb, table); });
    kernels::ParallelFor(cfg_.threads, nb,
                         [&](std::size_t i) { ResolveRows(overlays_[i]); });
    kernels::ParallelFor(cfg_.threads, nb,
                         [&](std::size_t i) { RunBlock(overlays_[i]); });
    MergeRound(nb);
    for (std::size_t i = 0; i < nb; ++i) {
      loss_ += overlays_[i].loss;
      steps_ += overlays_[i].steps;
    }
    ShowProgress(double(epoch) * double(cut_.words) +
                 double(blocks[r0 + nb - 1].words_before));
  }
}
//! [rounds]

// word2vec.c's way: each thread takes a contiguous share of the blocks
// and writes the shared tables without synchronization.
void Trainer::HogwildEpoch(int epoch) {
  const auto T = static_cast<std::size_t>(cfg_.threads);
  kernels::ParallelFor(cfg_.threads, T, [&](std::size_t t) {
    const kernels::Range r = kernels::BlockRange(cut_.blocks.size(), T, t, 1);
    Overlay& o = overlays_[t];
    o.loss_total = 0;
    o.steps_total = 0;
    for (std::size_t b = r.begin; b < r.end; ++b) {
      PlanBlock(epoch, b, o);
      RunBlock(o);
      o.loss_total += o.loss;
      o.steps_total += o.steps;
      processed_ +=
          (b + 1 < cut_.blocks.size() ? cut_.blocks[b + 1].words_before
                                      : cut_.words) -
          cut_.blocks[b].words_before;
    }
  });
  for (const Overlay& o : overlays_) {
    loss_ += o.loss_total;
    steps_ += o.steps_total;
  }
}

// Block b's random draws and learning rate, into o's plan.
void Trainer::PlanBlock(int epoch, std::size_t b, Overlay& o) {
  const Block& blk = cut_.blocks[b];
  o.rng = BlockRng(cfg_.seed, static_cast<std::uint64_t>(epoch), b);
  // word2vec.c's linear decay, held for the block, never below 1e-4 alpha.
  const std::size_t words = cut_.words;
  const double done =
      double(epoch) * double(words) +
      double(hogwild_ ? processed_.load() % words : blk.words_before);
  o.lr = static_cast<float>(alpha_ * std::max(1e-4, 1.0 - done / planned_));
  Plan& plan = o.plan;
  plan.words.clear();
  plan.in_rows.clear();
  plan.lo.clear();
  plan.hi.clear();
  plan.ctx.clear();
  plan.ctx_end.clear();
  for (std::size_t s = blk.first; s < blk.last; ++s) {
    PlanSentence(o, sentences_[s]);
  }
  if (!hogwild_) ListRows(o);
}

// The rows of each table block o will touch, each once: every kept word of
// a sentence of two or more as an input row, every drawn context word as an
// output row, the nodes on the path of every such word.
void Trainer::ListRows(Overlay& o) {
  for (Copied* c : {&o.in, &o.out, &o.node}) {
    for (const std::int32_t w : c->rows) {
      c->index[w] = -1;
      c->listed[w] = 0;
    }
    c->rows.clear();
  }
  const Plan& plan = o.plan;
  // Not the words of a sentence of one.
  const auto trained = [&](std::size_t p) { return plan.lo[p] != plan.hi[p]; };
  const auto all = [](std::size_t) { return true; };
  o.in.List(plan.words, trained);
  o.out.List(plan.ctx, all);
  if (!cfg_.hs) return;
  for (std::size_t p = 0; p < plan.words.size(); ++p) {
    if (trained(p)) o.node.List(tree_.Points(plan.words[p]), all);
  }
}

// Subsamples the sentence, then draws each kept position's window, whose
// reach is from 1 to the largest window, and its negatives (a draw that
// hits the observed word is skipped, as in word2vec.c). A sentence left
// with one word trains nothing and draws no negatives.
void Trainer::PlanSentence(Overlay& o,
                           const std::vector<std::int32_t>& sentence) {
  Plan& plan = o.plan;
  const std::size_t first = plan.words.size();
  for (const std::int32_t w : sentence) {
    if (keep_[w] >= 1 || o.rng.Uniform() < keep_[w]) {
      plan.words.push_back(w);
      plan.in_rows.push_back(w);  // the row's index with -hogwild
    }
  }
  const std::size_t n = plan.words.size() - first;
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t reach = cfg_.window - o.rng.Next() % cfg_.window;
    const std::size_t lo = i >= reach ? i - reach : 0;
    const std::size_t hi = std::min(n - 1, i + reach);
    plan.lo.push_back(static_cast<std::uint32_t>(first + lo));
    plan.hi.push_back(static_cast<std::uint32_t>(first + hi));
    if (n > 1 && cfg_.negative > 0) {
      const std::int32_t target = plan.words[first + i];
      plan.ctx.push_back(target);
      for (std::size_t k = 0; k < cfg_.negative; ++k) {
        const std::int32_t w = noise_.Draw(o.rng.Uniform(), o.rng.Uniform());
        if (w != target) plan.ctx.push_back(w);
      }
    }
    plan.ctx_end.push_back(static_cast<std::uint32_t>(plan.ctx.size()));
  }
}

// Who touches which row of one table (0: input, 1: output, 2: nodes) in
// a round of nb blocks.
void Trainer::MarkRows(std::size_t nb, std::size_t table) {
  Copied Overlay::*side = table == 0   ? &Overlay::in
                          : table == 1 ? &Overlay::out
                                       : &Overlay::node;
  RoundRows& r = table == 0   ? in_owners_
                 : table == 1 ? out_owners_
                              : node_owners_;
  for (std::size_t i = 0; i < nb; ++i) {
    for (const std::int32_t w : (overlays_[i].*side).rows) {
      r.Mark(w, static_cast<std::uint8_t>(i));
    }
  }
}

// Block o's plan, against the round-start tables.
void Trainer::RunBlock(Overlay& o) {
  o.loss = 0;
  o.steps = 0;
  for (std::size_t i = 0; i < o.plan.words.size(); ++i) {
    if (!cfg_.cbow) {
      SkipGramWindow(o, i);
    } else {
      CbowWindow(o, i);
    }
  }
}

// The rows block o reads and writes, its copies made, before any block of
// the round trains (the windows then look nothing up).
void Trainer::ResolveRows(Overlay& o) {
  Resolve(o.in, m_.in, in_owners_, o.me, true);
  Resolve(o.out, m_.out, out_owners_, o.me, true);
  // The nodes' merge takes the mean, which needs no start.
  Resolve(o.node, m_.nodes, node_owners_, o.me, false);
  Plan& plan = o.plan;
  for (std::size_t p = 0; p < plan.words.size(); ++p) {
    if (plan.lo[p] != plan.hi[p]) plan.in_rows[p] = o.in.index[plan.words[p]];
  }
  for (std::int32_t& w : plan.ctx) w = o.out.index[w];
  // The windows read the plan from here on; the merge reads, for a shared
  // row the block writes in place, the row holding its round-start value.
  for (auto [c, r] : {std::pair{&o.in, &in_owners_}, {&o.out, &out_owners_}}) {
    std::size_t k = 0;
    for (const std::int32_t w : c->rows) {
      if (r->owner[w] == (kShared | o.me)) c->index[w] = c->starts[k++];
    }
  }
}

// Each row of c's list: in place if block `me` is the first to touch it
// (with its round-start value kept for the merge when keep_start), else
// copied into the block's region.
void Trainer::Resolve(Copied& c, std::vector<float>& table, const RoundRows& r,
                      std::uint8_t me, bool keep_start) const {
  std::size_t copies = 0;
  c.starts.clear();
  const auto copy = [&](std::int32_t w) {
    if (copies == c.capacity) {
      throw std::logic_error(
          "TrainWord2Vec: a block touched more rows than its bound");
    }
    const std::size_t row = c.base + copies++;
    std::copy(table.begin() + w * dim_, table.begin() + (w + 1) * dim_,
              table.begin() + row * dim_);
    return static_cast<std::int32_t>(row);
  };
  for (const std::int32_t w : c.rows) {
    const std::uint8_t owner = r.owner[w];
    if ((owner & ~kShared) != me) {
      c.index[w] = copy(w);
      continue;
    }
    c.index[w] = w;
    if ((owner & kShared) && keep_start) c.starts.push_back(copy(w));
  }
}

//! [sgns_window]
// Skip-gram: each context word's vector predicts the center word
// (word2vec.c's orientation). The window's context words share the
// center's negatives (Ji et al. 2016), so the window is one (m, k + 1)
// matrix step instead of m steps of one row each.
void Trainer::SkipGramWindow(Overlay& o, std::size_t i) {
  const std::vector<std::int32_t>& words = o.plan.words;
  o.in_idx.clear();
  for (std::size_t j = o.plan.lo[i]; j <= o.plan.hi[i]; ++j) {
    if (j != i) o.in_idx.push_back(o.plan.in_rows[j]);
  }
  if (o.in_idx.empty()) return;
  const std::size_t rows = o.in_idx.size();
  const kernels::MatView<float> scratch(o.scratch.data(), rows, dim_);
  if (cfg_.hs) {  // the center's path, shared by the window's rows
    PathNodes(o, words[i]);
    o.loss += kernels::HierarchicalSoftmaxWindowStep(
        o.lr, View(m_.in), o.in_idx, View(m_.nodes), o.node_slots,
        tree_.Codes(words[i]), scratch,
        std::span<float>(o.scores.data(), rows * o.node_slots.size()));
  }
  if (cfg_.negative > 0) {
    const std::span<const std::int32_t> ctx = ContextRows(o, i);
    o.loss += kernels::NegativeSamplingWindowStep(
        o.lr, View(m_.in), o.in_idx, View(m_.out), ctx, scratch,
        std::span<float>(o.scores.data(), rows * ctx.size()));
  }
  o.steps += rows;
}
//! [sgns_window]

// CBOW: the mean of the context vectors predicts the center; every context
// row then moves by -lr h_grad (word2vec.c).
void Trainer::CbowWindow(Overlay& o, std::size_t i) {
  const std::vector<std::int32_t>& words = o.plan.words;
  const std::size_t lo = o.plan.lo[i], hi = o.plan.hi[i];
  std::fill(o.h.begin(), o.h.end(), 0.f);
  const float cw = static_cast<float>(hi - lo);
  if (cw == 0) return;
  for (std::size_t j = lo; j <= hi; ++j) {
    if (j != i) kernels::Axpy(1.0f, InRow(o, j), o.h);
  }
  kernels::Scal(1 / cw, o.h);
  // The steps move h; with both output layers each starts from the mean,
  // and h_grad is the sum of their gradients (word2vec.c's neu1e).
  const bool both = cfg_.hs && cfg_.negative > 0;
  if (both) o.h_in.assign(o.h.begin(), o.h.end());
  if (cfg_.hs) {
    PathNodes(o, words[i]);
    o.loss += kernels::HierarchicalSoftmaxStep(o.lr, o.h, View(m_.nodes),
                                               o.node_slots,
                                               tree_.Codes(words[i]), o.h_grad);
  }
  if (cfg_.negative > 0) {
    if (both) std::copy(o.h_in.begin(), o.h_in.end(), o.h.begin());
    o.loss += kernels::NegativeSamplingStep(
        o.lr, o.h, View(m_.out), ContextRows(o, i), both ? o.u_grad : o.h_grad);
    if (both) kernels::Axpy(1.0f, o.u_grad, o.h_grad);
  }
  ++o.steps;
  for (std::size_t j = lo; j <= hi; ++j) {
    if (j != i) kernels::Axpy(-o.lr, o.h_grad, InRow(o, j));
  }
}

// The inner nodes on the target's path, as rows of the node table.
void Trainer::PathNodes(Overlay& o, std::int32_t target) {
  o.node_slots.clear();
  for (const std::int32_t p : tree_.Points(target)) {
    o.node_slots.push_back(hogwild_ ? p : o.node.index[p]);
  }
}

// The merge of a round's nb blocks into the tables: rows one block alone
// touched it wrote in place; a shared row holds the first block's result and
// takes the later blocks' changes here. Each row's
// merge depends on the blocks alone, not on which thread merges it, so the
// threads split the rows (by id modulo the thread count).
void Trainer::MergeRound(std::size_t nb) {
  const auto P = static_cast<std::size_t>(cfg_.threads);
  kernels::ParallelFor(cfg_.threads, P, [&](std::size_t p) {
    MergeShared(&Overlay::in, m_.in, in_owners_, Merge::kSum, nb, p);
    MergeShared(&Overlay::out, m_.out, out_owners_, Merge::kSum, nb, p);
    // The tree's nodes take the mean: the nodes near the root lie on every
    // word's path, so every block moves them the whole way to its own
    // optimum, and the sum of kRoundBlocks such moves overshoots and
    // diverges (the root at once, even with subsampling, which thins the
    // frequent words and not the root).
    MergeShared(&Overlay::node, m_.nodes, node_owners_, Merge::kMean, nb, p);
  });
  for (RoundRows* r : {&in_owners_, &out_owners_, &node_owners_}) {
    for (const std::int32_t w : r->touched) r->owner[w] = kNone;
    r->touched.clear();
    r->shared.clear();
  }
}

// The shared rows of one table (side: in, out or node) that thread p
// merges.
void Trainer::MergeShared(Copied Overlay::*side, std::vector<float>& table,
                          const RoundRows& r, Merge rule, std::size_t nb,
                          std::size_t p) {
  const auto P = static_cast<std::size_t>(cfg_.threads);
  for (const std::int32_t w : r.shared) {
    if (std::size_t(w) % P != p) continue;
    const std::size_t first = r.owner[w] & ~kShared;
    const std::span<const float> row_start =
        rule == Merge::kSum
            ? std::span<const float>(
                  table.data() + (overlays_[first].*side).index[w] * dim_, dim_)
            : std::span<const float>();
    MergeRow(side, rule, w, first, nb, table, row_start);
  }
}

//! [reproducible_merge]
// Row w holds the result of the first block that touched it (block
// `first`, in place); it takes the changes of the later ones,
// row_first + sum_later (row_b - row_start), or with Merge::kMean the mean
// of the blocks' rows.
void Trainer::MergeRow(Copied Overlay::*side, Merge rule, std::int32_t w,
                       std::size_t first, std::size_t nb,
                       std::vector<float>& table,
                       std::span<const float> row_start) {
  const std::span<float> row(table.data() + std::size_t(w) * dim_, dim_);
  std::size_t later = 0;
  for (std::size_t j = first + 1; j < nb; ++j) {
    const std::int32_t s = (overlays_[j].*side).index[w];
    if (s < 0) continue;  // block j did not touch w
    kernels::Axpy(1.0f, std::span<const float>(table.data() + s * dim_, dim_),
                  row);
    ++later;
  }
  if (rule == Merge::kMean) {
    kernels::Scal(1.0f / static_cast<float>(later + 1), row);
  } else {
    kernels::Axpy(-static_cast<float>(later), row_start, row);
  }
}
//! [reproducible_merge]

// The tables as a caller sees them, (V, d) and (V - 1, d), and back with
// the blocks' copies past their ends (capacity reserved at the start, so
// nothing moves).
void Trainer::Trim() {
  m_.in.resize(num_words_ * dim_);
  if (cfg_.negative > 0) m_.out.resize(num_words_ * dim_);
  if (cfg_.hs) m_.nodes.resize((num_words_ - 1) * dim_);
}
void Trainer::Extend() {
  if (hogwild_) return;
  m_.in.resize((num_words_ + kRoundBlocks * in_cap_) * dim_);
  if (cfg_.negative > 0) {
    m_.out.resize((num_words_ + kRoundBlocks * out_cap_) * dim_);
  }
  if (cfg_.hs) {
    m_.nodes.resize((num_words_ - 1 + kRoundBlocks * node_cap_) * dim_);
  }
}

// The epoch's mean loss per pair; a loss that is no longer a number
// stops the run, naming the epoch and the learning rate.
void Trainer::EndEpoch(int epoch, double loss0, std::size_t steps0,
                       const EpochCallback& on_epoch) {
  const double epoch_loss =
      steps_ > steps0 ? (loss_ - loss0) / double(steps_ - steps0) : 0.0;
  if (!std::isfinite(epoch_loss)) {
    throw chapters::TrainingDiverged(
        "word2vec diverged in epoch " + std::to_string(epoch + 1) +
        " (starting learning rate " + std::to_string(alpha_) +
        "): the loss is not finite; lower -alpha" +
        // The merge's known limit (README): without subsampling, the most
        // frequent words' rows take several blocks' steps at once.
        (cfg_.sample == 0 && !cfg_.hogwild
             ? std::string(", or train without subsampling with -hogwild")
             : std::string()));
  }
  if (on_epoch) {
    Trim();
    on_epoch(epoch + 1, m_, epoch_loss, steps_ - steps0);
    Extend();
  }
}

// `done` words of all epochs' so far, with the mean loss per pair so far.
void Trainer::ShowProgress(double done) {
  progress_.Update(done, steps_ ? loss_ / double(steps_) : -1.0);
}
}  // namespace

std::vector<float> InitialInputVectors(std::size_t V, std::size_t d,
                                       std::uint64_t seed) {
  return InitialVectors(V, d, seed);
}

std::uint64_t Word2VecBytes(
    const std::vector<std::vector<std::int32_t>>& sentences, std::size_t V,
    const W2vConfig& cfg) {
  CheckSettings(V, cfg);
  const Blocks b = CutIntoBlocks(sentences, V);
  const std::uint64_t d = cfg.size;
  const std::uint64_t overlays =
      cfg.hogwild ? static_cast<std::uint64_t>(cfg.threads) : kRoundBlocks;
  // Per overlay: the copied rows of both tables, their index tables and
  // listed bytes
  // (none with -hogwild, which writes the tables themselves), and the
  // window step's buffers.
  const std::size_t depth = cfg.hs ? MaxPathLength(V) : 0;
  const std::uint64_t copies =
      cfg.hogwild ? 0
                  : (InputRowsPerBlock(b, V) + OutputRowsPerBlock(b, V, cfg) +
                     NodeRowsPerBlock(b, V, cfg, depth)) *
                            d * 4 +
                        2 * V * 5 + (cfg.hs ? (V - 1) * 5 : 0);
  const std::uint64_t window =
      2 * cfg.window * (d + std::max(cfg.negative + 1, depth)) * 4 +
      (cfg.hs && cfg.negative > 0 ? 4 : 3) * d * 4;
  // The block's draws (Plan): five numbers per position and its context.
  const std::uint64_t plan =
      (5 + (cfg.negative > 0 ? cfg.negative + 1 : 0)) * b.max_words * 4;
  // The lists of the rows a block touches (ListRows), at most its touches,
  // and of the start rows of the input and output rows it writes in place.
  const std::uint64_t touches = 1 + (cfg.negative > 0 ? cfg.negative + 1 : 0);
  const std::uint64_t lists =
      cfg.hogwild ? 0 : (2 * touches + depth) * b.max_words * 4;
  // Who touches which row (RoundRows): an owner byte per row, and the rows
  // touched and shared in a round, each at most the round's copies.
  std::uint64_t owners = 0;
  if (!cfg.hogwild) {
    const std::size_t caps[] = {InputRowsPerBlock(b, V),
                                OutputRowsPerBlock(b, V, cfg),
                                NodeRowsPerBlock(b, V, cfg, depth)};
    for (const std::size_t cap : caps) {
      if (cap > 0) owners += V + 2 * std::min(V, kRoundBlocks * cap) * 4;
    }
  }
  const std::uint64_t tables =
      (1 + (cfg.negative > 0 ? 1 : 0)) * V * d * 4 +
      (cfg.hs ? (V - 1) * d * 4 + V * (depth * 5 + 8) : 0);  // nodes, tree
  return tables  // the input, output, node tables
         + overlays * (copies + window + plan + lists)  // rows, draws
         + owners + V * 8 + V * 16  // subsampling and the noise table
         + b.blocks.size() * sizeof(Block);
}

W2vModel TrainWord2Vec(const std::vector<std::vector<std::int32_t>>& sentences,
                       std::span<const std::int64_t> counts,
                       const W2vConfig& cfg, std::FILE* progress,
                       const EpochCallback& on_epoch) {
  Trainer trainer(sentences, counts, cfg, progress);
  return trainer.Train(on_epoch);
}

}  // namespace ffnn::ch05
