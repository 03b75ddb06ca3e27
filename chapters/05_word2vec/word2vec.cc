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

// A block's private copy of the rows of one table it touched: copied on
// first touch into a compact buffer, slot after slot (slot[w]: w's slot, or
// -1), so a block's working set stays small and contiguous; rows[s] is the
// row slot s holds. The buffer's capacity is reserved once (V rows), so
// growing it never moves a row a caller still holds.
struct Copied {
  std::vector<float> buf;          // (rows.size(), d)
  std::vector<std::int32_t> slot;  // (V)
  std::vector<std::int32_t> rows;
};

// How a round's blocks' rows combine (MergeRow).
enum class Merge { kSum, kMean };

// One block's private view of the tables (word2vec.c's syn0, syn1neg and,
// with hierarchical softmax, syn1).
struct Overlay {
  Copied in, out, node;
  std::vector<std::int32_t> ctx_slots, node_slots;
  double loss = 0, loss_total = 0;
  std::size_t steps = 0, steps_total = 0;
  std::vector<float> h, h_grad, u_grad, h_in;
  std::vector<std::int32_t> ctx, kept, in_idx;
  std::vector<float> scratch, scores;  // the window step's (m, d), (m, k + 1)
  // The block's random numbers and learning rate.
  chapters::SplitMix64 rng{0};
  float lr = 0;
};

std::vector<float> InitialVectors(std::size_t V, std::size_t d,
                                  std::uint64_t seed) {
  std::vector<float> in(V * d);
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
  void RunBlock(int epoch, std::size_t b, Overlay& o);
  void TrainSentence(Overlay& o, const std::vector<std::int32_t>& sentence);
  void SkipGramWindow(Overlay& o, std::size_t i, std::size_t lo,
                      std::size_t hi);
  void CbowWindow(Overlay& o, std::size_t i, std::size_t lo, std::size_t hi);
  void DrawContext(Overlay& o, std::int32_t target);
  void PathNodes(Overlay& o, std::int32_t target);
  void MergeRound(std::size_t nb);
  void MergeRows(Copied Overlay::*side, std::vector<float>& table, Merge rule,
                 std::size_t nb, std::size_t p, std::vector<float>& row_start);
  void MergeRow(Copied Overlay::*side, Merge rule, std::int32_t w,
                std::size_t first, std::size_t nb, std::span<const float> mine,
                std::vector<float>& table, std::vector<float>& row_start);
  void EndEpoch(int epoch, double loss0, std::size_t steps0,
                const EpochCallback& on_epoch);
  void ShowProgress(double done);

  // The index of w's row that a block reads and writes: in the shared table
  // (Hogwild) or its slot in the block's copy c, copied there on first
  // touch; and the rows those indices refer to, as a (rows, d) view.
  std::int32_t Index(Copied& c, const std::vector<float>& table,
                     std::int32_t w) const;
  kernels::MatView<float> View(Copied& c, std::vector<float>& table) const;
  std::int32_t InIndex(Overlay& o, std::int32_t w) {
    return Index(o.in, m_.in, w);
  }
  std::int32_t OutIndex(Overlay& o, std::int32_t w) {
    return Index(o.out, m_.out, w);
  }
  kernels::MatView<float> InView(Overlay& o) { return View(o.in, m_.in); }
  kernels::MatView<float> OutView(Overlay& o) { return View(o.out, m_.out); }
  kernels::MatView<float> NodeView(Overlay& o) {
    return View(o.node, m_.nodes);
  }
  std::span<float> InRow(Overlay& o, std::int32_t w) {
    return std::span<float>(InView(o).data + std::size_t(InIndex(o, w)) * dim_,
                            dim_);
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
  W2vModel m_;
  std::vector<Overlay> overlays_;
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
      m_{num_words_, dim_, InitialVectors(num_words_, dim_, cfg.seed),
         std::vector<float>(cfg.negative > 0 ? num_words_ * dim_ : 0, 0.f),
         std::vector<float>(cfg.hs ? (num_words_ - 1) * dim_ : 0, 0.f)},
      overlays_(hogwild_ ? static_cast<std::size_t>(cfg.threads)
                         : kRoundBlocks),
      progress_(progress) {
  const std::size_t V = num_words_, d = dim_;
  for (Overlay& o : overlays_) {
    if (!hogwild_) {  // Hogwild writes the shared tables directly
      // As many rows as a block can touch, not V: 8 V d floats of scratch
      // for four blocks would be four times the model.
      o.in.buf.reserve(InputRowsPerBlock(cut_, V) * d);
      o.out.buf.reserve(OutputRowsPerBlock(cut_, V, cfg) * d);
      o.node.buf.reserve(NodeRowsPerBlock(cut_, V, cfg, tree_.max_length) * d);
      for (Copied* c : {&o.in, &o.out}) c->slot.assign(V, -1);
      if (cfg.hs) o.node.slot.assign(V - 1, -1);
    }
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
// round, then the round's merge.
void Trainer::Rounds(int epoch) {
  const std::vector<Block>& blocks = cut_.blocks;
  for (std::size_t r0 = 0; r0 < blocks.size(); r0 += kRoundBlocks) {
    const std::size_t nb = std::min(kRoundBlocks, blocks.size() - r0);
    kernels::ParallelFor(cfg_.threads, nb, [&](std::size_t i) {
      RunBlock(epoch, r0 + i, overlays_[i]);
    });
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
      RunBlock(epoch, b, o);
      o.loss_total += o.loss;
      o.steps_total += o.steps;
    }
  });
  for (const Overlay& o : overlays_) {
    loss_ += o.loss_total;
    steps_ += o.steps_total;
  }
}

// One block against the round-start tables, into overlay o.
void Trainer::RunBlock(int epoch, std::size_t b, Overlay& o) {
  const Block& blk = cut_.blocks[b];
  for (Copied* c : {&o.in, &o.out, &o.node}) {
    for (const std::int32_t w : c->rows) c->slot[w] = -1;
    c->rows.clear();
    c->buf.clear();
  }
  o.loss = 0;
  o.steps = 0;
  o.rng = BlockRng(cfg_.seed, static_cast<std::uint64_t>(epoch), b);
  // word2vec.c's linear decay, held for the block, never below 1e-4 alpha.
  const std::size_t words = cut_.words;
  const double done =
      double(epoch) * double(words) +
      double(hogwild_ ? processed_.load() % words : blk.words_before);
  o.lr = static_cast<float>(alpha_ * std::max(1e-4, 1.0 - done / planned_));
  for (std::size_t s = blk.first; s < blk.last; ++s) {
    TrainSentence(o, sentences_[s]);
  }
  if (hogwild_) {
    processed_ +=
        (b + 1 < cut_.blocks.size() ? cut_.blocks[b + 1].words_before : words) -
        blk.words_before;
  }
}

// Subsamples the sentence, then trains each position's window, whose reach
// is drawn from 1 to the largest window.
void Trainer::TrainSentence(Overlay& o,
                            const std::vector<std::int32_t>& sentence) {
  o.kept.clear();
  for (const std::int32_t w : sentence) {
    if (keep_[w] >= 1 || o.rng.Uniform() < keep_[w]) o.kept.push_back(w);
  }
  const std::size_t n = o.kept.size();
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t reach = cfg_.window - o.rng.Next() % cfg_.window;
    const std::size_t lo = i >= reach ? i - reach : 0;
    const std::size_t hi = std::min(n - 1, i + reach);
    if (!cfg_.cbow) {
      SkipGramWindow(o, i, lo, hi);
    } else {
      CbowWindow(o, i, lo, hi);
    }
  }
}

//! [sgns_window]
// Skip-gram: each context word's vector predicts the center word
// (word2vec.c's orientation). The window's context words share the
// center's negatives (Ji et al. 2016), so the window is one (m, k + 1)
// matrix step instead of m steps of one row each.
void Trainer::SkipGramWindow(Overlay& o, std::size_t i, std::size_t lo,
                             std::size_t hi) {
  o.in_idx.clear();
  for (std::size_t j = lo; j <= hi; ++j) {
    if (j != i) o.in_idx.push_back(InIndex(o, o.kept[j]));
  }
  if (o.in_idx.empty()) return;
  const std::size_t rows = o.in_idx.size();
  const kernels::MatView<float> scratch(o.scratch.data(), rows, dim_);
  if (cfg_.hs) {  // the center's path, shared by the window's rows
    PathNodes(o, o.kept[i]);
    o.loss += kernels::HierarchicalSoftmaxWindowStep(
        o.lr, InView(o), o.in_idx, NodeView(o), o.node_slots,
        tree_.Codes(o.kept[i]), scratch,
        std::span<float>(o.scores.data(), rows * o.node_slots.size()));
  }
  if (cfg_.negative > 0) {
    DrawContext(o, o.kept[i]);
    o.loss += kernels::NegativeSamplingWindowStep(
        o.lr, InView(o), o.in_idx, OutView(o), o.ctx_slots, scratch,
        std::span<float>(o.scores.data(), rows * o.ctx_slots.size()));
  }
  o.steps += rows;
}
//! [sgns_window]

// CBOW: the mean of the context vectors predicts the center; every context
// row then moves by -lr h_grad (word2vec.c).
void Trainer::CbowWindow(Overlay& o, std::size_t i, std::size_t lo,
                         std::size_t hi) {
  std::fill(o.h.begin(), o.h.end(), 0.f);
  const float cw = static_cast<float>(hi - lo);
  if (cw == 0) return;
  for (std::size_t j = lo; j <= hi; ++j) {
    if (j != i) kernels::Axpy(1.0f, InRow(o, o.kept[j]), o.h);
  }
  kernels::Scal(1 / cw, o.h);
  // The steps move h; with both output layers each starts from the mean,
  // and h_grad is the sum of their gradients (word2vec.c's neu1e).
  const bool both = cfg_.hs && cfg_.negative > 0;
  if (both) o.h_in.assign(o.h.begin(), o.h.end());
  if (cfg_.hs) {
    PathNodes(o, o.kept[i]);
    o.loss += kernels::HierarchicalSoftmaxStep(
        o.lr, o.h, NodeView(o), o.node_slots, tree_.Codes(o.kept[i]), o.h_grad);
  }
  if (cfg_.negative > 0) {
    if (both) std::copy(o.h_in.begin(), o.h_in.end(), o.h.begin());
    DrawContext(o, o.kept[i]);
    o.loss += kernels::NegativeSamplingStep(o.lr, o.h, OutView(o), o.ctx_slots,
                                            both ? o.u_grad : o.h_grad);
    if (both) kernels::Axpy(1.0f, o.u_grad, o.h_grad);
  }
  ++o.steps;
  for (std::size_t j = lo; j <= hi; ++j) {
    if (j != i) kernels::Axpy(-o.lr, o.h_grad, InRow(o, o.kept[j]));
  }
}

// The observed word first, then the negatives (a draw that hits the
// observed word is skipped, as in word2vec.c), as rows of the output table.
void Trainer::DrawContext(Overlay& o, std::int32_t target) {
  o.ctx.assign(1, target);
  for (std::size_t k = 0; k < cfg_.negative; ++k) {
    const std::int32_t w = noise_.Draw(o.rng.Uniform(), o.rng.Uniform());
    if (w != target) o.ctx.push_back(w);
  }
  o.ctx_slots.clear();
  for (const std::int32_t w : o.ctx) o.ctx_slots.push_back(OutIndex(o, w));
}

// The inner nodes on the target's path, as rows of the node table.
void Trainer::PathNodes(Overlay& o, std::int32_t target) {
  o.node_slots.clear();
  for (const std::int32_t p : tree_.Points(target)) {
    o.node_slots.push_back(Index(o.node, m_.nodes, p));
  }
}

std::int32_t Trainer::Index(Copied& c, const std::vector<float>& table,
                            std::int32_t w) const {
  if (hogwild_) return w;
  std::int32_t slot = c.slot[w];
  if (slot < 0) {
    // The reserved capacity bounds the rows (Input/OutputRowsPerBlock):
    // growing past it would move rows a caller holds.
    if (c.buf.size() + dim_ > c.buf.capacity()) {
      throw std::logic_error(
          "TrainWord2Vec: a block touched more rows than its bound");
    }
    slot = c.slot[w] = static_cast<std::int32_t>(c.rows.size());
    c.rows.push_back(w);
    c.buf.insert(c.buf.end(), table.begin() + w * dim_,
                 table.begin() + (w + 1) * dim_);
  }
  return slot;
}

kernels::MatView<float> Trainer::View(Copied& c,
                                      std::vector<float>& table) const {
  return hogwild_
             ? kernels::MatView<float>(table.data(), table.size() / dim_, dim_)
             : kernels::MatView<float>(c.buf.data(), c.rows.size(), dim_);
}

// The merge of a round's nb blocks into the tables. Each row's merge
// depends on the blocks alone, not on which thread merges it, so the
// threads split the rows (by id modulo the thread count).
void Trainer::MergeRound(std::size_t nb) {
  const auto P = static_cast<std::size_t>(cfg_.threads);
  kernels::ParallelFor(cfg_.threads, P, [&](std::size_t p) {
    std::vector<float> row_start(dim_);
    MergeRows(&Overlay::in, m_.in, Merge::kSum, nb, p, row_start);
    MergeRows(&Overlay::out, m_.out, Merge::kSum, nb, p, row_start);
    // The tree's nodes take the mean: the nodes near the root lie on every
    // word's path, so every block moves them the whole way to its own
    // optimum, and the sum of kRoundBlocks such moves overshoots and
    // diverges (the root at once, even with subsampling, which thins the
    // frequent words and not the root).
    MergeRows(&Overlay::node, m_.nodes, Merge::kMean, nb, p, row_start);
  });
}

// The rows of one table (side: in, out or node) that the round's blocks
// touched and thread p merges, each once: by the first block that touched
// it.
void Trainer::MergeRows(Copied Overlay::*side, std::vector<float>& table,
                        Merge rule, std::size_t nb, std::size_t p,
                        std::vector<float>& row_start) {
  const auto P = static_cast<std::size_t>(cfg_.threads);
  for (std::size_t i = 0; i < nb; ++i) {
    const Copied& c = overlays_[i].*side;
    for (std::size_t slot = 0; slot < c.rows.size(); ++slot) {
      const std::int32_t w = c.rows[slot];
      if (std::size_t(w) % P != p) continue;
      bool first = true;
      for (std::size_t j = 0; j < i && first; ++j) {
        first = (overlays_[j].*side).slot[w] < 0;
      }
      if (!first) continue;  // merged with the first block's row
      const std::span<const float> mine(c.buf.data() + slot * dim_, dim_);
      MergeRow(side, rule, w, i, nb, mine, table, row_start);
    }
  }
}

//! [reproducible_merge]
// Row w takes the row of the first block that touched it (`mine`, from
// block `first`) plus the changes of the later ones,
// row_first + sum_later (row_b - row_start), or with Merge::kMean the mean
// of the blocks' rows.
void Trainer::MergeRow(Copied Overlay::*side, Merge rule, std::int32_t w,
                       std::size_t first, std::size_t nb,
                       std::span<const float> mine, std::vector<float>& table,
                       std::vector<float>& row_start) {
  const std::span<float> row(table.data() + std::size_t(w) * dim_, dim_);
  std::size_t later = 0;
  for (std::size_t j = first + 1; j < nb; ++j) {
    later += (overlays_[j].*side).slot[w] >= 0;
  }
  if (later > 0 && rule == Merge::kSum) {
    std::copy(row.begin(), row.end(), row_start.begin());
  }
  std::copy(mine.begin(), mine.end(), row.begin());
  if (later == 0) return;
  for (std::size_t j = first + 1; j < nb; ++j) {
    const Copied& c = overlays_[j].*side;
    const std::int32_t s = c.slot[w];
    if (s >= 0) {
      kernels::Axpy(1.0f, std::span<const float>(c.buf.data() + s * dim_, dim_),
                    row);
    }
  }
  if (rule == Merge::kMean) {
    kernels::Scal(1.0f / static_cast<float>(later + 1), row);
  } else {
    kernels::Axpy(-static_cast<float>(later), row_start, row);
  }
}
//! [reproducible_merge]

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
  if (on_epoch) on_epoch(epoch + 1, m_, epoch_loss, steps_ - steps0);
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
  // Per overlay: the copied rows of both tables and their slot tables
  // (none with -hogwild, which writes the tables themselves), and the
  // window step's buffers.
  const std::size_t depth = cfg.hs ? MaxPathLength(V) : 0;
  const std::uint64_t copies =
      cfg.hogwild ? 0
                  : (InputRowsPerBlock(b, V) + OutputRowsPerBlock(b, V, cfg) +
                     NodeRowsPerBlock(b, V, cfg, depth)) *
                            d * 4 +
                        2 * V * 4 + (cfg.hs ? (V - 1) * 4 : 0);
  const std::uint64_t window =
      2 * cfg.window * (d + std::max(cfg.negative + 1, depth)) * 4 +
      (cfg.hs && cfg.negative > 0 ? 4 : 3) * d * 4;
  const std::uint64_t tables =
      (1 + (cfg.negative > 0 ? 1 : 0)) * V * d * 4 +
      (cfg.hs ? (V - 1) * d * 4 + V * (depth * 5 + 8) : 0);  // nodes, tree
  return tables                          // the input, output, node tables
         + overlays * (copies + window)  // the blocks' private rows
         + V * 8 + V * 16                // subsampling and the noise table
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
