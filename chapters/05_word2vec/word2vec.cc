#include "chapters/05_word2vec/word2vec.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <stdexcept>
#include <string>

#include "chapters/05_word2vec/sampling.h"
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

// One block's private view of the tables: rows copied on first touch into
// compact buffers, slot after slot (in_slot[w]: w's slot, or -1), so a
// block's working set stays small and contiguous; in_rows[slot] is the row
// a slot holds. The buffers' capacity is reserved once (V rows), so growing
// them never moves a row a caller still holds.
struct Overlay {
  std::vector<float> in, out;
  std::vector<std::int32_t> in_slot, out_slot;
  std::vector<std::int32_t> in_rows, out_rows;
  std::vector<std::int32_t> ctx_slots;
  double loss = 0, loss_total = 0;
  std::size_t steps = 0, steps_total = 0;
  std::vector<float> h, h_grad, u_grad;
  std::vector<std::int32_t> ctx, kept;
};

}  // namespace

//! [train_word2vec]
W2vModel TrainWord2Vec(const std::vector<std::vector<std::int32_t>>& sentences,
                       std::span<const std::int64_t> counts,
                       const W2vConfig& cfg, std::FILE* progress) {
  const std::size_t V = counts.size(), d = cfg.size;
  if (V < 2 || d == 0 || cfg.window == 0 || cfg.iter < 1 || cfg.threads < 1 ||
      !(cfg.sample >= 0) || !(cfg.Alpha() > 0)) {
    throw std::invalid_argument("TrainWord2Vec: bad settings");
  }
  std::int64_t total = 0;
  for (const std::int64_t c : counts) total += c;
  std::vector<double> keep(V);
  for (std::size_t w = 0; w < V; ++w) {
    keep[w] = KeepProbability(counts[w], total, cfg.sample);
  }
  const AliasTable noise(NoiseWeights(counts));
  // Blocks of about kBlockWords words, cut between sentences.
  std::vector<Block> blocks;
  std::size_t words = 0;
  for (std::size_t s = 0, first = 0, in_block = 0; s < sentences.size(); ++s) {
    for (const std::int32_t w : sentences[s]) {
      if (w < 0 || static_cast<std::size_t>(w) >= V) {
        throw std::invalid_argument("TrainWord2Vec: id " + std::to_string(w) +
                                    " outside the vocabulary");
      }
    }
    in_block += sentences[s].size();
    if (in_block >= kBlockWords || s + 1 == sentences.size()) {
      blocks.push_back({first, s + 1, words});
      words += in_block;
      first = s + 1;
      in_block = 0;
    }
  }
  if (words == 0) throw std::invalid_argument("TrainWord2Vec: no words");

  W2vModel m{V, d, std::vector<float>(V * d), std::vector<float>(V * d, 0.f)};
  {
    auto init = BlockRng(cfg.seed, ~0ull, ~0ull);
    for (float& x : m.in) x = static_cast<float>((init.Uniform() - 0.5) / d);
  }
  const bool hogwild = cfg.hogwild;
  std::vector<Overlay> overlays(hogwild ? static_cast<std::size_t>(cfg.threads)
                                        : kRoundBlocks);
  for (Overlay& o : overlays) {
    if (!hogwild) {  // Hogwild writes the shared tables directly
      o.in.reserve(V * d);
      o.out.reserve(V * d);
      o.in_slot.assign(V, -1);
      o.out_slot.assign(V, -1);
    }
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
    for (const std::int32_t w : o.in_rows) o.in_slot[w] = -1;
    for (const std::int32_t w : o.out_rows) o.out_slot[w] = -1;
    o.in_rows.clear();
    o.out_rows.clear();
    o.in.clear();
    o.out.clear();
    o.loss = 0;
    o.steps = 0;
    auto in_row = [&](std::int32_t w) {
      if (hogwild) return std::span<float>(m.in.data() + w * d, d);
      std::int32_t slot = o.in_slot[w];
      if (slot < 0) {
        slot = o.in_slot[w] = static_cast<std::int32_t>(o.in_rows.size());
        o.in_rows.push_back(w);
        o.in.insert(o.in.end(), m.in.begin() + w * d,
                    m.in.begin() + (w + 1) * d);
      }
      return std::span<float>(o.in.data() + std::size_t(slot) * d, d);
    };
    // The index of w's output row: in the shared table (Hogwild) or its
    // slot in the block's buffer.
    auto out_index = [&](std::int32_t w) {
      if (hogwild) return w;
      std::int32_t slot = o.out_slot[w];
      if (slot < 0) {
        slot = o.out_slot[w] = static_cast<std::int32_t>(o.out_rows.size());
        o.out_rows.push_back(w);
        o.out.insert(o.out.end(), m.out.begin() + w * d,
                     m.out.begin() + (w + 1) * d);
      }
      return slot;
    };
    auto out_view = [&] {
      return hogwild
                 ? kernels::MatView<float>(m.out.data(), V, d)
                 : kernels::MatView<float>(o.out.data(), o.out_rows.size(), d);
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
        if (!cfg.cbow) {
          // Skip-gram as word2vec.c: each context word's vector predicts
          // the center word.
          for (std::size_t j = lo; j <= hi; ++j) {
            if (j == i) continue;
            fill_ctx(center);
            o.loss += kernels::NegativeSamplingStep(
                lr, in_row(o.kept[j]), out_view(), o.ctx_slots, o.u_grad);
            ++o.steps;
          }
        } else {
          // CBOW: the mean of the context vectors predicts the center;
          // every context row then moves by -lr h_grad (word2vec.c).
          std::fill(o.h.begin(), o.h.end(), 0.f);
          const float cw = static_cast<float>(hi - lo);
          if (cw == 0) continue;
          for (std::size_t j = lo; j <= hi; ++j) {
            if (j == i) continue;
            const auto row = in_row(o.kept[j]);
            for (std::size_t t = 0; t < d; ++t) o.h[t] += row[t];
          }
          for (float& x : o.h) x /= cw;
          fill_ctx(center);
          o.loss += kernels::NegativeSamplingStep(lr, o.h, out_view(),
                                                  o.ctx_slots, o.h_grad);
          ++o.steps;
          for (std::size_t j = lo; j <= hi; ++j) {
            if (j == i) continue;
            const auto row = in_row(o.kept[j]);
            for (std::size_t t = 0; t < d; ++t) row[t] -= lr * o.h_grad[t];
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
    // The block's changes, against the round-start tables (which no block
    // writes until the round ends).
    for (std::size_t slot = 0; slot < o.in_rows.size(); ++slot) {
      kernels::Axpy(-1.0f, table_row(m.in, o.in_rows[slot]),
                    table_row(o.in, std::int32_t(slot)));
    }
    for (std::size_t slot = 0; slot < o.out_rows.size(); ++slot) {
      kernels::Axpy(-1.0f, table_row(m.out, o.out_rows[slot]),
                    table_row(o.out, std::int32_t(slot)));
    }
  };

  for (int epoch = 0; epoch < cfg.iter; ++epoch) {
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
      continue;
    }
    for (std::size_t r0 = 0; r0 < blocks.size(); r0 += kRoundBlocks) {
      const std::size_t nb = std::min(kRoundBlocks, blocks.size() - r0);
      kernels::ParallelFor(cfg.threads, nb, [&](std::size_t i) {
        run_block(epoch, r0 + i, overlays[i]);
      });
      // Merge in block order: the tables move by each block's change.
      for (std::size_t i = 0; i < nb; ++i) {
        Overlay& o = overlays[i];
        // y + 1 x in one rounding: the same sum as y + x, vectorized.
        for (std::size_t slot = 0; slot < o.in_rows.size(); ++slot) {
          kernels::Axpy(1.0f, table_row(o.in, std::int32_t(slot)),
                        table_row(m.in, o.in_rows[slot]));
        }
        for (std::size_t slot = 0; slot < o.out_rows.size(); ++slot) {
          kernels::Axpy(1.0f, table_row(o.out, std::int32_t(slot)),
                        table_row(m.out, o.out_rows[slot]));
        }
        loss += o.loss;
        steps += o.steps;
      }
      if (progress && seconds() - shown >= 2.0) {
        shown = seconds();
        const double done = double(epoch) * double(words) +
                            double(blocks[r0 + nb - 1].words_before);
        const double rate = done / shown;
        std::fprintf(progress,
                     "\rword2vec: %5.1f%% %9.0f words/s, lr %.5f, loss %.4f, "
                     "ETA %.0fs   ",
                     100 * done / planned, rate,
                     alpha * std::max(1e-4, 1 - done / planned),
                     steps ? loss / double(steps) : 0.0,
                     (planned - done) / rate);
        std::fflush(progress);
      }
    }
  }
  if (progress) std::fprintf(progress, "\n");
  return m;
}
//! [train_word2vec]

}  // namespace ffnn::ch05
