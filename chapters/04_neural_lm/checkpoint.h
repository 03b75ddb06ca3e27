// The checkpoint format of nplm: everything TrainState holds, so that
// --resume continues a run exactly, and the checks that let a tool trust a
// file it did not write.
#ifndef FFNN_CH04_CHECKPOINT_H_
#define FFNN_CH04_CHECKPOINT_H_

#include <cstdint>
#include <string>
#include <vector>

#include "chapters/04_neural_lm/nplm.h"
#include "chapters/04_neural_lm/train.h"
#include "chapters/common/memory.h"

namespace ffnn::ch04 {

// Refuses (std::runtime_error "<what>: ...") a model whose forward pass can
// overflow float arithmetic for some context: bounds on every hidden
// preactivation (|b_j| + sum_i |W_ji| max|C|) and logit (|c_v| + sum_j
// |U_vj| + sum_i |D_vi| max|C|, as |tanh| <= 1), with room for the
// rounding of the float sums, must stay finite, and the logits' spread too
// (the softmax subtracts the largest). A model that passes scores every
// context with a finite loss, so eval, predict, sample and neighbours all
// refuse the same models. LoadCheckpoint calls it.
void CheckForwardPass(const NplmParams<float>& p, const std::string& what);

// FNV-1a over the words in id order: a checkpoint only loads with the
// vocabulary it was trained on.
std::uint64_t VocabularyHash(const std::vector<std::string>& words);

// A model file only goes with the vocabulary it was trained on: throws
// std::runtime_error "<path>: trained on another vocabulary" otherwise.
void CheckVocabulary(const TrainState& state, const std::string& path,
                     std::uint64_t vocab_hash, std::size_t vocab_size);

// Checkpoints: a small binary format ("NPLMCKP3", the shape, the training
// configuration, the history, then the parameter blocks and Adam's moments
// as little-endian floats). Save writes atomically; Load reads at most
// 4 GiB (no device), checks the magic, the shape against the file's length
// before allocating, flag bytes (0 or 1), every value of the history and
// the parameters for finiteness, and that the forward pass cannot overflow
// (CheckForwardPass), and throws std::runtime_error "<path>: <what>"
// otherwise. Load refuses (chapters::MemoryError) a file whose bytes and
// state, twice its size, exceed the budget (default: AvailableMemory()).
// SaveCheckpoints writes the same checkpoint to every path, all together or
// none (the model and MODEL.best).
void SaveCheckpoint(const TrainState& state, const std::string& path);
void SaveCheckpoints(const TrainState& state,
                     const std::vector<std::string>& paths);
TrainState LoadCheckpoint(const std::string& path,
                          const chapters::MemoryBudget* budget = nullptr);

}  // namespace ffnn::ch04

#endif  // FFNN_CH04_CHECKPOINT_H_
