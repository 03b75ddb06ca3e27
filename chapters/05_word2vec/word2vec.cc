#include "chapters/05_word2vec/word2vec.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <stdexcept>
#include <string>

#include "chapters/05_word2vec/sampling.h"
#include "chapters/common/errors.h"
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
  return std::min(V, b.max_words * (cfg.negative + 1));
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

// One block's private view of the tables (word2vec.c's syn0 and syn1neg).
struct Overlay {
  Copied in, out;
  std::vector<std::int32_t> ctx_slots;
  double loss = 0, loss_total = 0;
  std::size_t steps = 0, steps_total = 0;
  std::vector<float> h, h_grad, u_grad;
  std::vector<std::int32_t> ctx, kept, in_idx;
  std::vector<float> scratch, scores;  // the window step's (m, d), (m, k + 1)
};

}  // namespace

std::vector<float> InitialInputVectors(std::size_t V, std::size_t d,
                                       std::uint64_t seed) {
  std::vector<float> in(V * d);
  auto init = BlockRng(seed, ~0ull, ~0ull);
  for (float& x : in) x = static_cast<float>((init.Uniform() - 0.5) / d);
  return in;
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
  const std::uint64_t copies =
      cfg.hogwild
          ? 0
          : (InputRowsPerBlock(b, V) + OutputRowsPerBlock(b, V, cfg)) * d * 4 +
                2 * V * 4;
  const std::uint64_t window =
      2 * cfg.window * (d + cfg.negative + 1) * 4 + 3 * d * 4;
  return 2 * V * d * 4                   // the input and output tables
         + overlays * (copies + window)  // the blocks' private rows
         + V * 8 + V * 16                // subsampling and the noise table
         + b.blocks.size() * sizeof(Block);
}

W2vModel TrainWord2Vec(const std::vector<std::vector<std::int32_t>>& sentences,
                       std::span<const std::int64_t> counts,
                       const W2vConfig& cfg, std::FILE* progress,
                       const EpochCallback& on_epoch) {
  const std::size_t V = counts.size(), d = cfg.size;
  CheckSettings(V, cfg);
  std::int64_t total = 0;
  for (const std::int64_t c : counts) total += c;
  std::vector<double> keep(V);
  for (std::size_t w = 0; w < V; ++w) {
    keep[w] = KeepProbability(counts[w], total, cfg.sample);
  }
  const AliasTable noise(NoiseWeights(counts));
  const Blocks cut = CutIntoBlocks(sentences, V);
  const std::vector<Block>& blocks = cut.blocks;
  const std::size_t words = cut.words;

  W2vModel m{V, d, InitialInputVectors(V, d, cfg.seed),
             std::vector<float>(V * d, 0.f)};
  const bool hogwild = cfg.hogwild;
  std::vector<Overlay> overlays(hogwild ? static_cast<std::size_t>(cfg.threads)
                                        : kRoundBlocks);
  for (Overlay& o : overlays) {
    if (!hogwild) {  // Hogwild writes the shared tables directly
      // As many rows as a block can touch, not V: 8 V d floats of scratch
      // for four blocks would be four times the model.
      o.in.buf.reserve(InputRowsPerBlock(cut, V) * d);
      o.out.buf.reserve(OutputRowsPerBlock(cut, V, cfg) * d);
      for (Copied* c : {&o.in, &o.out}) c->slot.assign(V, -1);
    }
    o.scratch.resize(2 * cfg.window * d);
    o.scores.resize(2 * cfg.window * (cfg.negative + 1));
    o.h.resize(d);
    o.h_grad.resize(d);
    o.u_grad.resize(d);
  }
  const double planned = double(words) * cfg.iter;
  const double alpha = cfg.Alpha();
  const auto start = std::chrono::steady_clock::now();
  auto seconds = [&] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() -
                                         start)
        .count();
  };
  double shown = 0, loss = 0;
  std::size_t steps = 0;
  // Hogwild: words processed so far by all threads, for the learning rate.
  std::atomic<std::size_t> processed{0};

  // Row w of a (V, d) table.
  auto table_row = [d](std::vector<float>& t, std::int32_t w) {
    return std::span<float>(t.data() + std::size_t(w) * d, d);
  };

  // One block against the round-start tables m, into overlay o.
  auto run_block = [&](int epoch, std::size_t b, Overlay& o) {
    const Block& blk = blocks[b];
    for (Copied* c : {&o.in, &o.out}) {
      for (const std::int32_t w : c->rows) c->slot[w] = -1;
      c->rows.clear();
      c->buf.clear();
    }
    o.loss = 0;
    o.steps = 0;
    // The index of w's row of `table`: in the shared table (Hogwild) or
    // its slot in the block's copy c, copied there on first touch.
    auto index = [&](Copied& c, const std::vector<float>& table,
                     std::int32_t w) {
      if (hogwild) return w;
      std::int32_t slot = c.slot[w];
      if (slot < 0) {
        // The reserved capacity bounds the rows (Input/OutputRowsPerBlock):
        // growing past it would move rows a caller holds.
        if (c.buf.size() + d > c.buf.capacity()) {
          throw std::logic_error(
              "TrainWord2Vec: a block touched more rows "
              "than its bound");
        }
        slot = c.slot[w] = static_cast<std::int32_t>(c.rows.size());
        c.rows.push_back(w);
        c.buf.insert(c.buf.end(), table.begin() + w * d,
                     table.begin() + (w + 1) * d);
      }
      return slot;
    };
    // The rows index() refers to, as a (rows, d) view.
    auto view = [&](Copied& c, std::vector<float>& table) {
      return hogwild ? kernels::MatView<float>(table.data(), V, d)
                     : kernels::MatView<float>(c.buf.data(), c.rows.size(), d);
    };
    auto in_index = [&](std::int32_t w) { return index(o.in, m.in, w); };
    auto out_index = [&](std::int32_t w) { return index(o.out, m.out, w); };
    auto in_view = [&] { return view(o.in, m.in); };
    auto out_view = [&] { return view(o.out, m.out); };
    auto in_row = [&](std::int32_t w) {
      return std::span<float>(in_view().data + std::size_t(in_index(w)) * d, d);
    };
    auto rng = BlockRng(cfg.seed, static_cast<std::uint64_t>(epoch), b);
    // word2vec.c's linear decay, held for the block, never below 1e-4 alpha.
    const double done =
        double(epoch) * double(words) +
        double(hogwild ? processed.load() % words : blk.words_before);
    const float lr =
        static_cast<float>(alpha * std::max(1e-4, 1.0 - done / planned));
    // The observed word first, then the negatives (a draw that hits the
    // observed word is skipped, as in word2vec.c).
    auto fill_ctx = [&](std::int32_t target) {
      o.ctx.assign(1, target);
      for (std::size_t k = 0; k < cfg.negative; ++k) {
        const std::int32_t w = noise.Draw(rng.Uniform(), rng.Uniform());
        if (w != target) o.ctx.push_back(w);
      }
      o.ctx_slots.clear();
      for (const std::int32_t w : o.ctx) o.ctx_slots.push_back(out_index(w));
    };
    for (std::size_t s = blk.first; s < blk.last; ++s) {
      o.kept.clear();
      for (const std::int32_t w : sentences[s]) {
        if (keep[w] >= 1 || rng.Uniform() < keep[w]) o.kept.push_back(w);
      }
      const std::size_t n = o.kept.size();
      for (std::size_t i = 0; i < n; ++i) {
        const std::size_t reach = cfg.window - rng.Next() % cfg.window;
        const std::size_t lo = i >= reach ? i - reach : 0;
        const std::size_t hi = std::min(n - 1, i + reach);
        const std::int32_t center = o.kept[i];
        //! [sgns_window]
        if (!cfg.cbow) {
          // Skip-gram: each context word's vector predicts the center word
          // (word2vec.c's orientation). The window's context words share the
          // center's negatives (Ji et al. 2016), so the window is one
          // (m, k + 1) matrix step instead of m steps of one row each.
          o.in_idx.clear();
          for (std::size_t j = lo; j <= hi; ++j) {
            if (j != i) o.in_idx.push_back(in_index(o.kept[j]));
          }
          if (o.in_idx.empty()) continue;
          fill_ctx(center);
          const std::size_t rows = o.in_idx.size();
          o.loss += kernels::NegativeSamplingWindowStep(
              lr, in_view(), o.in_idx, out_view(), o.ctx_slots,
              kernels::MatView<float>(o.scratch.data(), rows, d),
              std::span<float>(o.scores.data(), rows * o.ctx_slots.size()));
          o.steps += rows;
          //! [sgns_window]
        } else {
          // CBOW: the mean of the context vectors predicts the center;
          // every context row then moves by -lr h_grad (word2vec.c).
          std::fill(o.h.begin(), o.h.end(), 0.f);
          const float cw = static_cast<float>(hi - lo);
          if (cw == 0) continue;
          for (std::size_t j = lo; j <= hi; ++j) {
            if (j != i) kernels::Axpy(1.0f, in_row(o.kept[j]), o.h);
          }
          kernels::Scal(1 / cw, o.h);
          fill_ctx(center);
          o.loss += kernels::NegativeSamplingStep(lr, o.h, out_view(),
                                                  o.ctx_slots, o.h_grad);
          ++o.steps;
          for (std::size_t j = lo; j <= hi; ++j) {
            if (j != i) kernels::Axpy(-lr, o.h_grad, in_row(o.kept[j]));
          }
        }
      }
    }
    if (hogwild) {
      processed +=
          (b + 1 < blocks.size() ? blocks[b + 1].words_before : words) -
          blk.words_before;
      return;
    }
  };

  // A progress line at most every 2 s: `done` words of `planned`.
  auto show_progress = [&](double done) {
    if (!progress || seconds() - shown < 2.0) return;
    shown = seconds();
    const double rate = done / shown;
    std::fprintf(progress,
                 "\rword2vec: %5.1f%% %9.0f words/s, lr %.5f, loss %.4f, "
                 "ETA %.0fs   ",
                 100 * done / planned, rate,
                 alpha * std::max(1e-4, 1 - done / planned),
                 steps ? loss / double(steps) : 0.0, (planned - done) / rate);
    std::fflush(progress);
  };
  // The epoch's mean loss per pair; a loss that is no longer a number
  // stops the run, naming the epoch and the learning rate.
  auto end_epoch = [&](int epoch, double loss0, std::size_t steps0) {
    const double epoch_loss =
        steps > steps0 ? (loss - loss0) / double(steps - steps0) : 0.0;
    if (!std::isfinite(epoch_loss)) {
      throw chapters::TrainingDiverged(
          "word2vec diverged in epoch " + std::to_string(epoch + 1) +
          " (starting learning rate " + std::to_string(alpha) +
          "): the loss is not finite; lower -alpha" +
          // The merge's known limit (README): without subsampling, the most
          // frequent words' rows take several blocks' steps at once.
          (cfg.sample == 0 && !cfg.hogwild
               ? std::string(", or train without subsampling with -hogwild")
               : std::string()));
    }
    if (on_epoch) on_epoch(epoch + 1, m, epoch_loss, steps - steps0);
  };
  for (int epoch = 0; epoch < cfg.iter; ++epoch) {
    const double loss0 = loss;
    const std::size_t steps0 = steps;
    if (hogwild) {
      // word2vec.c's way: each thread takes a contiguous share of the
      // blocks and writes the shared tables without synchronization.
      const auto T = static_cast<std::size_t>(cfg.threads);
      kernels::ParallelFor(cfg.threads, T, [&](std::size_t t) {
        const kernels::Range r = kernels::BlockRange(blocks.size(), T, t, 1);
        Overlay& o = overlays[t];
        o.loss_total = 0;
        o.steps_total = 0;
        for (std::size_t b = r.begin; b < r.end; ++b) {
          run_block(epoch, b, o);
          o.loss_total += o.loss;
          o.steps_total += o.steps;
        }
      });
      for (const Overlay& o : overlays) {
        loss += o.loss_total;
        steps += o.steps_total;
      }
      end_epoch(epoch, loss0, steps0);
      show_progress(double(epoch + 1) * double(words));
      continue;
    }
    //! [rounds]
    for (std::size_t r0 = 0; r0 < blocks.size(); r0 += kRoundBlocks) {
      const std::size_t nb = std::min(kRoundBlocks, blocks.size() - r0);
      kernels::ParallelFor(cfg.threads, nb, [&](std::size_t i) {
        run_block(epoch, r0 + i, overlays[i]);
      });
      //! [rounds]
      //! [reproducible_merge]
      // Merge. A row touched by one block of the round takes that block's
      // row; a row touched by several takes the first one's row plus the
      // later ones' changes: row_first + sum_later (row_b - row_start).
      // That depends on the blocks alone, not on which thread merges, so
      // the threads split the rows (by id modulo the thread count).
      const auto P = static_cast<std::size_t>(cfg.threads);
      kernels::ParallelFor(cfg.threads, P, [&](std::size_t p) {
        std::vector<float> row_start(d);
        auto merge = [&](Copied Overlay::*side, std::vector<float>& table) {
          for (std::size_t i = 0; i < nb; ++i) {
            const Copied& c = overlays[i].*side;
            for (std::size_t slot = 0; slot < c.rows.size(); ++slot) {
              const std::int32_t w = c.rows[slot];
              if (std::size_t(w) % P != p) continue;
              bool first = true;
              for (std::size_t j = 0; j < i && first; ++j)
                first = (overlays[j].*side).slot[w] < 0;
              if (!first) continue;  // merged with the first block's row
              const auto row = table_row(table, w);
              const std::span<const float> mine(c.buf.data() + slot * d, d);
              std::size_t later = 0;
              for (std::size_t j = i + 1; j < nb; ++j)
                later += (overlays[j].*side).slot[w] >= 0;
              if (later > 0)
                std::copy(row.begin(), row.end(), row_start.begin());
              std::copy(mine.begin(), mine.end(), row.begin());
              if (later == 0) continue;
              for (std::size_t j = i + 1; j < nb; ++j) {
                const Copied& later_c = overlays[j].*side;
                const std::int32_t s = later_c.slot[w];
                if (s >= 0) {
                  kernels::Axpy(
                      1.0f,
                      std::span<const float>(later_c.buf.data() + s * d, d),
                      row);
                }
              }
              kernels::Axpy(-static_cast<float>(later), row_start, row);
            }
          }
        };
        merge(&Overlay::in, m.in);
        merge(&Overlay::out, m.out);
      });
      //! [reproducible_merge]
      for (std::size_t i = 0; i < nb; ++i) {
        loss += overlays[i].loss;
        steps += overlays[i].steps;
      }
      show_progress(double(epoch) * double(words) +
                    double(blocks[r0 + nb - 1].words_before));
    }
    end_epoch(epoch, loss0, steps0);
  }
  if (progress) std::fprintf(progress, "\n");
  if (steps == 0) {
    // The vectors would be their random start, written as a result.
    char sample[32];
    std::snprintf(sample, sizeof sample, "%g", cfg.sample);
    throw std::invalid_argument(
        "no (word, context) pair was trained in " + std::to_string(cfg.iter) +
        " epoch(s): every sentence lost all but one word to subsampling "
        "(-sample " +
        sample + ") or holds a single word; nothing was learned");
  }
  return m;
}

}  // namespace ffnn::ch05
