#include "chapters/04_neural_lm/commands.h"

#include <cmath>
#include <stdexcept>

#include "chapters/04_neural_lm/checkpoint.h"
#include "chapters/04_neural_lm/inspect.h"
#include "chapters/04_neural_lm/kneser_ney.h"
#include "chapters/common/corpus.h"
#include "chapters/common/text.h"
#include "chapters/common/top_k.h"
#include "chapters/common/word_vectors.h"

namespace ffnn::ch04 {

std::vector<std::string> Words(const Vocabulary& vocab) {
  std::vector<std::string> words;
  for (std::size_t i = 0; i < vocab.size(); ++i) {
    words.push_back(vocab.Word(static_cast<std::int32_t>(i)));
  }
  return words;
}

Perplexities KnPerplexities(const LmCorpus& corpus, int order) {
  const auto train = chapters::ToStream(corpus.train, corpus.vocab);
  const auto valid = chapters::ToStream(corpus.valid, corpus.vocab);
  const auto test = chapters::ToStream(corpus.test, corpus.vocab);
  const KneserNey kn(train, corpus.vocab.size(), order);
  return {kn.Perplexity(valid, kContextTokens),
          kn.Perplexity(test, kContextTokens)};
}

Evaluation EvaluateModel(const NplmParams<float>& p, const LmCorpus& corpus,
                         int mix_order, int threads,
                         const std::string& model_path) {
  const auto valid = chapters::ToStream(corpus.valid, corpus.vocab);
  const auto test = chapters::ToStream(corpus.test, corpus.vocab);
  Evaluation e;
  e.nplm.valid = FinitePerplexity(Evaluate(p, valid, threads), model_path);
  e.nplm.test = FinitePerplexity(Evaluate(p, test, threads), model_path);
  if (mix_order == 0) return e;
  const KneserNey kn(chapters::ToStream(corpus.train, corpus.vocab),
                     corpus.vocab.size(), mix_order);
  e.mix = Interpolate(p, valid, test, kn.TokenProbs(valid, kContextTokens),
                      kn.TokenProbs(test, kContextTokens), threads);
  const std::pair<const char*, double> results[] = {
      {"kn_valid_ppl", e.mix->other_valid_ppl},
      {"kn_test_ppl", e.mix->other_test_ppl},
      {"lambda", e.mix->lambda},
      {"mix_valid_ppl", e.mix->mix_valid_ppl},
      {"mix_test_ppl", e.mix->mix_test_ppl}};
  for (const auto& [name, value] : results) {
    if (!std::isfinite(value)) {
      throw std::runtime_error(model_path + ": " + name + " is not finite");
    }
  }
  return e;
}

std::vector<std::pair<std::int32_t, double>> NeighboursOf(
    const NplmParams<float>& p, const Vocabulary& vocab,
    const std::string& word, std::size_t top) {
  const std::int32_t id = vocab.Id(word);
  if (id == 0 && word != chapters::kUnk) {
    throw std::runtime_error("'" + word + "' is not in the vocabulary");
  }
  return Neighbours(p, id, top);
}

std::vector<std::int32_t> PromptIds(const std::string& text,
                                    const Vocabulary& vocab) {
  std::vector<std::int32_t> ids;
  for (const auto& s : chapters::Tokenize(text, "the prompt")) {
    for (const auto& w : s) ids.push_back(vocab.Id(w));
  }
  return ids;
}

namespace {

std::vector<std::pair<std::int32_t, double>> Best(
    const std::vector<double>& prob, std::size_t top) {
  std::vector<std::pair<std::int32_t, double>> best;
  for (const std::int32_t w : chapters::TopK(prob, top)) {
    best.emplace_back(w, prob[w]);
  }
  return best;
}

}  // namespace

Prediction Predict(const NplmParams<float>& p,
                   std::span<const std::int32_t> train,
                   std::span<const std::int32_t> context, std::size_t top) {
  const std::size_t V = p.shape.vocab;
  Prediction best;
  best.nplm = Best(NextWordDistribution(p, context), top);
  const KneserNey kn(train, V, kPredictKnOrder);
  std::vector<double> kn_p(V);
  for (std::size_t v = 0; v < V; ++v) {
    kn_p[v] = kn.Prob(context, static_cast<std::int32_t>(v));
  }
  best.kn = Best(kn_p, top);
  return best;
}

std::string SampleText(const NplmParams<float>& p, const Vocabulary& vocab,
                       const std::string& prompt, std::size_t length,
                       double temperature, std::uint64_t seed) {
  std::string out = prompt;
  for (const std::int32_t w :
       Sample(p, PromptIds(prompt, vocab), length, temperature, seed)) {
    out += w == 1 ? std::string("\n") : " " + vocab.Word(w);
  }
  return out;
}

TrainState NewModel(const NplmShape& shape, const TrainConfig& config,
                    const std::vector<std::string>& words,
                    const std::string& init_path, std::size_t* copied) {
  TrainState state(shape);
  state.config = config;
  state.vocab_hash = VocabularyHash(words);
  Initialize(state.params, config.seed);
  if (!init_path.empty()) {
    const std::size_t n = InitializeEmbeddings(
        state.params, words, chapters::ReadWord2VecText(init_path));
    if (copied) *copied = n;
  }
  return state;
}

void ExtendTo(TrainState& state, int epochs, const std::string& path) {
  if (static_cast<std::size_t>(epochs) <= state.history.size()) {
    throw std::invalid_argument(
        "--epochs " + std::to_string(epochs) + ": " + path + " has trained " +
        std::to_string(state.history.size()) +
        " epoch(s) already; nothing to do (--epochs is the total to reach)");
  }
  state.config.epochs = epochs;
}

std::vector<std::string> CheckpointPaths(const TrainState& state,
                                         std::size_t first_epoch,
                                         const std::string& model_path,
                                         bool write_best) {
  std::vector<std::string> paths = {model_path};
  if (write_best &&
      BestEpoch(state.history, first_epoch) == state.history.size() - 1) {
    paths.push_back(model_path + ".best");
  }
  return paths;
}

void TrainAndSave(TrainState& state, std::span<const std::int32_t> train,
                  std::span<const std::int32_t> valid, int threads,
                  const std::string& model_path, bool write_best,
                  std::FILE* progress) {
  const std::size_t first_epoch = state.history.size();
  Train(
      state, train, valid, threads,
      [&](const TrainState& s) {
        SaveCheckpoints(
            s, CheckpointPaths(s, first_epoch, model_path, write_best));
      },
      progress);
}

double MeanTokensPerSecond(std::span<const EpochStats> history) {
  double tokens = 0, seconds = 0;
  for (const auto& e : history) {
    tokens += e.tokens_per_s * e.seconds;
    seconds += e.seconds;
  }
  return seconds > 0 ? tokens / seconds : 0.0;
}

TimeShares SharesOf(const EpochStats& e) {
  return {e.output_gemm_s / e.seconds, e.softmax_s / e.seconds,
          1 - e.forward_backward_s / e.seconds};
}

}  // namespace ffnn::ch04
