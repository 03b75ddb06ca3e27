// nplm: chapter 4's command-line tool. So far: `nplm corpus` (the SOTU split,
// its statistics, and the export other tools train on), `nplm kn` (the
// interpolated modified Kneser-Ney baseline), `nplm train`, `nplm eval`,
// and `nplm neighbours`, `predict` and `sample` to look inside a model.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>
#include <numeric>
#include <optional>

#include "chapters/04_neural_lm/inspect.h"
#include "chapters/04_neural_lm/kneser_ney.h"
#include "chapters/04_neural_lm/lm_corpus.h"
#include "chapters/04_neural_lm/train.h"
#include "chapters/common/cli.h"
#include "chapters/common/errors.h"
#include "chapters/common/files.h"
#include "chapters/common/memory.h"
#include "chapters/common/threads.h"
#include "chapters/common/top_k.h"
#include "chapters/common/word_vectors.h"

namespace {

using ffnn::ch04::LmCorpus;

void PrintStats(const LmCorpus& corpus, int min_count, bool json) {
  const auto stats = corpus.Stats();
  if (json) {
    nlohmann::ordered_json doc;
    doc["min_count"] = min_count;
    doc["vocab_size"] = corpus.vocab.size();
    for (const auto& s : stats) {
      doc["splits"][s.name] = {{"sentences", s.sentences},
                               {"tokens", s.tokens},
                               {"unk", s.unk},
                               {"unk_rate", s.UnkRate()}};
    }
    std::cout << doc.dump(2) << "\n";
    return;
  }
  std::printf(
      "vocabulary: %zu words (training words seen >= %d times, "
      "<unk> and </s> included)\n",
      corpus.vocab.size(), min_count);
  std::printf("%-6s %10s %10s %9s\n", "split", "sentences", "tokens", "<unk>");
  for (const auto& s : stats) {
    std::printf("%-6s %10zu %10zu %8.2f%%\n", s.name.c_str(), s.sentences,
                s.tokens, 100.0 * s.UnkRate());
  }
}

using ffnn::ch04::kContextTokens;

void RunKn(const LmCorpus& corpus, int order, bool json) {
  const auto train = ffnn::chapters::ToStream(corpus.train, corpus.vocab);
  const auto valid = ffnn::chapters::ToStream(corpus.valid, corpus.vocab);
  const auto test = ffnn::chapters::ToStream(corpus.test, corpus.vocab);
  const ffnn::ch04::KneserNey kn(train, corpus.vocab.size(), order);
  const double valid_ppl = kn.Perplexity(valid, kContextTokens);
  const double test_ppl = kn.Perplexity(test, kContextTokens);
  if (json) {
    nlohmann::ordered_json doc = {
        {"order", order}, {"valid_ppl", valid_ppl}, {"test_ppl", test_ppl}};
    std::cout << doc.dump(2) << "\n";
  } else {
    std::printf(
        "Kneser-Ney, order %d: validation perplexity %.2f, test "
        "perplexity %.2f\n",
        order, valid_ppl, test_ppl);
  }
}

std::vector<std::string> Words(const ffnn::chapters::Vocabulary& v) {
  std::vector<std::string> words;
  for (std::size_t i = 0; i < v.size(); ++i) {
    words.push_back(v.Word(static_cast<std::int32_t>(i)));
  }
  return words;
}

void PrintRun(const ffnn::ch04::TrainState& s, int threads, bool json) {
  if (!json) return;
  nlohmann::ordered_json doc;
  double tokens = 0, seconds = 0;
  for (const auto& e : s.history) {
    tokens += e.tokens_per_s * e.seconds;
    seconds += e.seconds;
  }
  doc["tokens_per_s"] = seconds > 0 ? tokens / seconds : 0.0;
  doc["threads"] = threads;
  doc["epochs"] = s.history.size();
  doc["valid_ppl"] = nlohmann::json::array();
  doc["train_ppl"] = nlohmann::json::array();
  doc["seconds"] = nlohmann::json::array();
  doc["output_gemm_share"] = nlohmann::json::array();
  doc["output_gemm_gflops"] = nlohmann::json::array();
  doc["softmax_share"] = nlohmann::json::array();
  doc["outside_forward_backward_share"] = nlohmann::json::array();
  for (const auto& e : s.history) {
    doc["valid_ppl"].push_back(e.valid_ppl);
    doc["train_ppl"].push_back(e.train_ppl);
    doc["seconds"].push_back(e.seconds);
    doc["output_gemm_share"].push_back(e.output_gemm_s / e.seconds);
    doc["output_gemm_gflops"].push_back(e.output_gflops);
    doc["softmax_share"].push_back(e.softmax_s / e.seconds);
    // The optimizer step, clipping and batch filling.
    doc["outside_forward_backward_share"].push_back(1 - e.forward_backward_s /
                                                            e.seconds);
  }
  std::cout << doc.dump(2) << "\n";
}

// A model file only goes with the vocabulary it was trained on.
void CheckVocabulary(const ffnn::ch04::TrainState& state,
                     const std::string& path, std::uint64_t vocab_hash,
                     std::size_t vocab_size) {
  if (state.vocab_hash != vocab_hash ||
      state.params.shape.vocab != vocab_size) {
    throw std::runtime_error(path + ": trained on another vocabulary");
  }
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "nplm: Bengio's neural language model on the State of the "
      "Union corpus (chapter 4)"};
  app.require_subcommand(1);
  std::string corpus_dir = FFNN_SOTU_DIR, out_dir;
  int min_count = ffnn::ch04::kDefaultMinCount;
  bool json = false;
  CLI::App* corpus = app.add_subcommand(
      "corpus",
      "tokenize the addresses, split them by year (train <= 1999, valid "
      "2000-2008, test 2009-2016), print token counts and <unk> rates, and "
      "export train.txt, valid.txt, test.txt and vocab.txt");
  corpus->add_option("--corpus-dir", corpus_dir,
                     "directory of YEAR_*.txt addresses (default: the "
                     "unpacked data/sotu.tar.xz)");
  corpus
      ->add_option("--min-count", min_count,
                   "minimum training count of a word in the vocabulary")
      ->check(CLI::Range(1, 1000000));
  corpus->add_option("--out", out_dir, "directory to export the split to");
  corpus->add_flag("--json", json, "print the statistics as JSON");
  int order = 3;
  CLI::App* kn = app.add_subcommand(
      "kn",
      "interpolated modified Kneser-Ney on the same split and vocabulary: "
      "validation and test perplexity");
  kn->add_option("--order", order, "n-gram order, 2 to 5")
      ->check(CLI::Range(2, 5));
  kn->add_option("--corpus-dir", corpus_dir, "as for corpus");
  kn->add_option("--min-count", min_count, "as for corpus")
      ->check(CLI::Range(1, 1000000));
  kn->add_flag("--json", json,
               "print {\"order\", \"valid_ppl\", \"test_ppl\"}");

  ffnn::ch04::NplmShape shape;
  ffnn::ch04::TrainConfig cfg;
  std::string model_path, resume_path, threads_text;
  CLI::App* train =
      app.add_subcommand("train",
                         "train the neural language model; the model (with the "
                         "optimizer state) is written after every epoch");
  train->add_option("--context", shape.context, "n: words of history, 1 to 4")
      ->check(CLI::Range(1, 4));
  train->add_option("--dim", shape.dim, "d: embedding dimension")
      ->check(CLI::Range(1, 4096));
  train->add_option("--hidden", shape.hidden, "h: hidden units")
      ->check(CLI::Range(1, 8192));
  train->add_flag("--direct", shape.direct,
                  "Bengio's direct connections from the embeddings to the "
                  "output");
  train->add_option("--batch", cfg.batch, "examples per minibatch")
      ->check(CLI::Range(1, 1 << 20));
  train->add_option("--optimizer", cfg.optimizer, "adam or sgd")
      ->check(CLI::IsMember({"adam", "sgd"}));
  using ffnn::chapters::FiniteIn;
  train->add_option("--lr", cfg.lr, "learning rate")
      ->check(FiniteIn(1e-12, 1e6));
  train
      ->add_option("--lr-decay", cfg.lr_decay,
                   "lr_t = lr / (1 + decay t), t the step")
      ->check(FiniteIn(0.0, 1e6));
  train
      ->add_option("--clip", cfg.clip,
                   "maximum global gradient norm (0: no clipping)")
      ->check(FiniteIn(0.0, 1e12));
  train->add_flag("--freeze-embeddings", cfg.freeze_embeddings,
                  "do not update the embedding table (J&M's freezing)");
  std::string init_path;
  train->add_option("--init-embeddings", init_path,
                    "initialize the embedding rows of the words found in "
                    "this word2vec text file (its dimension must be --dim)");
  train
      ->add_option("--dropout", cfg.dropout,
                   "rate of dropping each hidden unit in training (0: none)")
      ->check(FiniteIn(0.0, 0.95));
  train
      ->add_option("--weight-decay", cfg.weight_decay,
                   "decoupled weight decay of W, U and D per unit of "
                   "learning rate (AdamW)")
      ->check(FiniteIn(0.0, 1e6));
  train->add_option("--epochs", cfg.epochs, "epochs to reach")
      ->check(CLI::Range(1, 100000));
  train->add_option("--seed", cfg.seed, "seed of initialization and shuffling");
  train
      ->add_option("--patience", cfg.patience,
                   "stop after this many epochs without a better validation "
                   "perplexity (0: never); the best epoch's model is also "
                   "written to MODEL.best")
      ->check(CLI::Range(0, 100000));
  train->add_option("--out", model_path, "model file to write")->required();
  train->add_option("--resume", resume_path,
                    "continue from this model file (its configuration wins)");
  for (CLI::App* sub : {train}) {
    sub->add_option("--corpus-dir", corpus_dir, "as for corpus");
    sub->add_option("--min-count", min_count, "as for corpus")
        ->check(CLI::Range(1, 1000000));
    sub->add_option("--threads", threads_text,
                    "threads (default: FFNN_THREADS, else 1); results do not "
                    "depend on it");
    sub->add_flag("--json", json,
                  "print {tokens_per_s, threads, epochs, valid_ppl, ...} at "
                  "the end");
  }
  CLI::App* eval = app.add_subcommand(
      "eval", "validation and test perplexity of a trained model");
  eval->add_option("--model", model_path, "model file")->required();
  eval->add_option("--corpus-dir", corpus_dir, "as for corpus");
  eval->add_option("--min-count", min_count, "as for corpus")
      ->check(CLI::Range(1, 1000000));
  eval->add_option("--threads", threads_text, "as for train");
  eval->add_flag("--json", json, "print {\"valid_ppl\", \"test_ppl\"}");
  int mix_order = 0;
  eval->add_option("--mix-kn", mix_order,
                   "also interpolate with Kneser-Ney of this order (2 to 5): "
                   "p = lambda p_nplm + (1 - lambda) p_kn, lambda tuned on "
                   "validation, reported on test")
      ->check(CLI::Range(2, 5));

  std::string word, text;
  std::size_t top = 10, length = 30;
  double temperature = 1.0;
  std::uint64_t sample_seed = 1;
  CLI::App* neighbours = app.add_subcommand(
      "neighbours", "the words whose embeddings are closest (cosine) to WORD");
  neighbours->add_option("word", word, "a word of the vocabulary")->required();
  CLI::App* predict = app.add_subcommand(
      "predict",
      "the most probable next words after TEXT, the NPLM's beside "
      "Kneser-Ney's (order 5)");
  predict
      ->add_option("text", text,
                   "the words so far, e.g. \"the state of "
                   "the\"")
      ->required();
  CLI::App* sample =
      app.add_subcommand("sample", "words drawn from the model one at a time");
  sample->add_option("--prompt", text, "words to start from");
  sample->add_option("--length", length, "words to draw")
      ->check(CLI::Range(1, 100000));
  sample
      ->add_option("--temperature", temperature,
                   "softmax(z / t): below 1 sharper, above 1 flatter")
      ->check(FiniteIn(1e-3, 1e3));
  sample->add_option("--seed", sample_seed, "seed of the draws");
  for (CLI::App* sub : {neighbours, predict, sample}) {
    sub->add_option("--model", model_path, "model file")->required();
    sub->add_option("--corpus-dir", corpus_dir, "as for corpus");
    sub->add_option("--min-count", min_count, "as for corpus")
        ->check(CLI::Range(1, 1000000));
  }
  // Any tool's data instead of the built-in corpus: the three files of the
  // export format, all or none.
  std::string train_file, valid_file, test_file;
  for (CLI::App* sub : {corpus, kn, train, eval, neighbours, predict, sample}) {
    sub->add_option("--train", train_file,
                    "training sentences (one per line, tokens separated by "
                    "single spaces) instead of the built-in corpus");
    sub->add_option("--valid", valid_file, "validation sentences, same format");
    sub->add_option("--test", test_file, "test sentences, same format");
  }
  for (CLI::App* sub : {neighbours, predict}) {
    sub->add_option("--top", top,
                    "how many words to list (at most the vocabulary)")
        ->check(CLI::Range(1, 1000));
    sub->add_flag("--json", json, "print JSON");
  }
  std::string max_memory;
  for (CLI::App* sub : {train, eval, neighbours, predict, sample}) {
    sub->add_option("--max-memory", max_memory, ffnn::chapters::kMaxMemoryHelp);
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return ffnn::chapters::ExitOnParseError(app, e, "nplm");
  }
  namespace chapters = ffnn::chapters;
  try {
    chapters::SetActivity("checking the options");
    const chapters::MemoryBudget budget =
        chapters::BudgetFromOption(max_memory);
    const int threads =
        threads_text.empty()
            ? ffnn::chapters::ThreadsFromEnvironment()
            : ffnn::chapters::ParseThreads(threads_text, "--threads");
    const int given =
        !train_file.empty() + !valid_file.empty() + !test_file.empty();
    if (given != 0 && given != 3) {
      throw std::invalid_argument(
          "--train, --valid and --test go together (all three or none)");
    }
    // Outputs that would overwrite an input, or could not be written at
    // the end, are refused before any work.
    std::vector<chapters::NamedPath> inputs;
    if (given) {
      inputs.push_back({train_file, "--train"});
      inputs.push_back({valid_file, "--valid"});
      inputs.push_back({test_file, "--test"});
    } else {
      inputs.push_back({corpus_dir, "--corpus-dir"});
    }
    inputs.push_back({init_path, "--init-embeddings"});
    if (corpus->parsed() && !out_dir.empty()) {
      std::vector<chapters::NamedPath> outputs;
      for (const char* file : ffnn::ch04::kExportFiles) {
        outputs.push_back({out_dir + "/" + file, "--out", true});
      }
      chapters::CheckOutputs(outputs, inputs);
    }
    // MODEL.best goes next to a MODEL that is a file; a device or a pipe
    // takes the model alone.
    const bool write_best =
        train->parsed() && !chapters::IsDeviceOrPipe(model_path);
    if (train->parsed()) {
      // --resume MODEL --out MODEL continues a model in place: the resumed
      // file is an input only when it is another file.
      std::vector<chapters::NamedPath> in = inputs;
      in.push_back({resume_path, "--resume"});
      if (!resume_path.empty() && std::filesystem::exists(resume_path) &&
          std::filesystem::exists(model_path) &&
          std::filesystem::equivalent(resume_path, model_path)) {
        in.pop_back();
      }
      std::vector<chapters::NamedPath> outputs = {{model_path, "--out"}};
      if (write_best) {
        outputs.push_back({model_path + ".best", "--out (its .best)"});
      }
      chapters::CheckOutputs(outputs, in);
    }
    chapters::SetActivity("reading the corpus");
    const LmCorpus data = given ? ffnn::ch04::LoadFiles(train_file, valid_file,
                                                        test_file, min_count)
                                : ffnn::ch04::LoadSotu(corpus_dir, min_count);
    // Every split a subcommand scores must hold a token to score.
    auto split_name = [&](const char* option, const std::string& file,
                          const char* years) {
      return given ? std::string(option) + " " + file
                   : std::string("the ") + years + " split";
    };
    const std::string valid_name =
        split_name("--valid", valid_file, "validation (2000-2008)");
    const std::string test_name =
        split_name("--test", test_file, "test (2009-2016)");
    const auto stream = [&](const std::vector<ffnn::chapters::Sentence>& s) {
      return ffnn::chapters::ToStream(s, data.vocab);
    };
    const std::uint64_t vocab_hash =
        ffnn::ch04::VocabularyHash(Words(data.vocab));
    if (kn->parsed() || eval->parsed()) {
      ffnn::ch04::RequireScoredTokens(stream(data.valid), kContextTokens,
                                      valid_name);
      ffnn::ch04::RequireScoredTokens(stream(data.test), kContextTokens,
                                      test_name);
    }
    if (kn->parsed()) {
      chapters::SetActivity("counting n-grams");
      RunKn(data, order, json);
    } else if (train->parsed()) {
      shape.vocab = data.vocab.size();
      if (!resume_path.empty() && !init_path.empty()) {
        throw std::invalid_argument(
            "--init-embeddings only applies to a new model, not --resume");
      }
      const auto train_stream = stream(data.train);
      const auto valid_stream = stream(data.valid);
      ffnn::ch04::RequireScoredTokens(valid_stream, shape.context, valid_name);
      chapters::SetActivity("loading the model to resume");
      std::optional<ffnn::ch04::TrainState> resumed;
      if (!resume_path.empty()) {
        resumed = ffnn::ch04::LoadCheckpoint(resume_path, &budget);
        shape = resumed->params.shape;
      }
      const std::size_t batch = resumed ? resumed->config.batch : cfg.batch;
      chapters::RequireMemory(
          ffnn::ch04::TrainingBytes(shape, batch, train_stream.size()),
          "a model of " + chapters::Grouped(shape.Parameters()) +
              " parameters (V = " + chapters::Grouped(shape.vocab) +
              ", d = " + std::to_string(shape.dim) +
              ", h = " + std::to_string(shape.hidden) +
              ") with its gradient, Adam's moments and a batch of " +
              std::to_string(batch),
          budget);
      chapters::SetActivity("setting up the model");
      ffnn::ch04::TrainState state =
          resumed ? std::move(*resumed) : ffnn::ch04::TrainState(shape);
      if (!resume_path.empty()) {
        if (static_cast<std::size_t>(cfg.epochs) <= state.history.size()) {
          throw std::invalid_argument(
              "--epochs " + std::to_string(cfg.epochs) + ": " + resume_path +
              " has trained " + std::to_string(state.history.size()) +
              " epoch(s) already; nothing to do (--epochs is the total to "
              "reach)");
        }
        state.config.epochs = cfg.epochs;
      } else {
        state.config = cfg;
        state.vocab_hash = vocab_hash;
        ffnn::ch04::Initialize(state.params, cfg.seed);
        if (!init_path.empty()) {
          const std::size_t copied = ffnn::ch04::InitializeEmbeddings(
              state.params, Words(data.vocab),
              ffnn::chapters::ReadWord2VecText(init_path));
          std::fprintf(stderr,
                       "initialized %zu of %zu embedding rows from %s\n",
                       copied, data.vocab.size(), init_path.c_str());
        }
      }
      CheckVocabulary(state, resume_path, vocab_hash, data.vocab.size());
      const std::size_t first_epoch = state.history.size();
      chapters::SetActivity("training");
      try {
        ffnn::ch04::Train(
            state, train_stream, valid_stream, threads,
            [&](const ffnn::ch04::TrainState& s) {
              // MODEL.best is the best epoch of this run (a resumed run
              // starts its own, so it is never missing or left from another
              // run); it is written with the model, both or neither.
              bool best = true;
              for (std::size_t e = first_epoch; e < s.history.size(); ++e) {
                best = best &&
                       s.history.back().valid_ppl <= s.history[e].valid_ppl;
              }
              std::vector<std::string> paths = {model_path};
              if (best && write_best) {
                paths.push_back(model_path + ".best");
              }
              ffnn::ch04::SaveCheckpoints(s, paths);
            },
            stderr);
      } catch (const ffnn::ch04::Diverged& e) {
        ffnn::chapters::PrintError("nplm", e.what());
        return 1;
      }
      PrintRun(state, threads, json);
    } else if (eval->parsed()) {
      chapters::SetActivity("loading the model");
      const auto state = ffnn::ch04::LoadCheckpoint(model_path, &budget);
      chapters::SetActivity("evaluating the model");
      CheckVocabulary(state, model_path, vocab_hash, data.vocab.size());
      const double valid = ffnn::ch04::FinitePerplexity(
          ffnn::ch04::Evaluate(state.params, stream(data.valid), threads),
          model_path);
      const double test = ffnn::ch04::FinitePerplexity(
          ffnn::ch04::Evaluate(state.params, stream(data.test), threads),
          model_path);
      nlohmann::ordered_json doc = {{"valid_ppl", valid}, {"test_ppl", test}};
      if (mix_order > 0) {
        const ffnn::ch04::KneserNey kn_model(stream(data.train),
                                             data.vocab.size(), mix_order);
        const auto v = stream(data.valid), t = stream(data.test);
        const auto m = ffnn::ch04::Interpolate(
            state.params, v, t, kn_model.TokenProbs(v, kContextTokens),
            kn_model.TokenProbs(t, kContextTokens), threads);
        doc["kn_order"] = mix_order;
        doc["kn_valid_ppl"] = m.other_valid_ppl;
        doc["kn_test_ppl"] = m.other_test_ppl;
        doc["lambda"] = m.lambda;
        doc["mix_valid_ppl"] = m.mix_valid_ppl;
        doc["mix_test_ppl"] = m.mix_test_ppl;
        for (const auto& [key, value] : doc.items()) {
          if (value.is_number_float() && !std::isfinite(value.get<double>())) {
            throw std::runtime_error(model_path + ": " + key +
                                     " is not finite");
          }
        }
      }
      if (json) {
        std::cout << doc.dump(2) << "\n";
      } else {
        std::printf("validation perplexity %.2f, test perplexity %.2f\n", valid,
                    test);
        if (mix_order > 0) {
          std::printf(
              "with Kneser-Ney order %d (lambda = %.2f): validation "
              "%.2f, test %.2f (Kneser-Ney alone: %.2f, %.2f)\n",
              mix_order, doc["lambda"].get<double>(),
              doc["mix_valid_ppl"].get<double>(),
              doc["mix_test_ppl"].get<double>(),
              doc["kn_valid_ppl"].get<double>(),
              doc["kn_test_ppl"].get<double>());
        }
      }
    } else if (neighbours->parsed() || predict->parsed() || sample->parsed()) {
      chapters::SetActivity("loading the model");
      const auto state = ffnn::ch04::LoadCheckpoint(model_path, &budget);
      chapters::SetActivity("running the model");
      CheckVocabulary(state, model_path, vocab_hash, data.vocab.size());
      const auto& vocab = data.vocab;
      if (neighbours->parsed()) {
        const std::int32_t id = vocab.Id(word);
        if (id == 0 && word != ffnn::chapters::kUnk) {
          throw std::runtime_error("'" + word + "' is not in the vocabulary");
        }
        nlohmann::ordered_json doc = nlohmann::json::array();
        for (const auto& [w, cosine] :
             ffnn::ch04::Neighbours(state.params, id, top)) {
          if (json) {
            doc.push_back({{"word", vocab.Word(w)}, {"cosine", cosine}});
          } else {
            std::printf("%-20s %.4f\n", vocab.Word(w).c_str(), cosine);
          }
        }
        if (json) std::cout << doc.dump(2) << "\n";
      } else {
        // The prompt as ids, through the corpus's own tokenizer.
        std::vector<std::int32_t> context;
        for (const auto& s : ffnn::chapters::Tokenize(text, "the prompt")) {
          for (const auto& w : s) context.push_back(vocab.Id(w));
        }
        if (predict->parsed()) {
          const auto nplm_p =
              ffnn::ch04::NextWordDistribution(state.params, context);
          const auto train_ids = stream(data.train);
          const ffnn::ch04::KneserNey kn_model(train_ids, vocab.size(), 5);
          std::vector<double> kn_p(vocab.size());
          for (std::size_t v = 0; v < vocab.size(); ++v) {
            kn_p[v] = kn_model.Prob(context, static_cast<std::int32_t>(v));
          }
          // At most the vocabulary's words (a --top above it once read
          // past the end).
          const auto a = chapters::TopK(nplm_p, top);
          const auto b = chapters::TopK(kn_p, top);
          if (json) {
            nlohmann::ordered_json doc;
            for (std::size_t i = 0; i < a.size(); ++i) {
              doc["nplm"].push_back(
                  {{"word", vocab.Word(a[i])}, {"p", nplm_p[a[i]]}});
              doc["kn"].push_back(
                  {{"word", vocab.Word(b[i])}, {"p", kn_p[b[i]]}});
            }
            std::cout << doc.dump(2) << "\n";
          } else {
            std::printf("%-28s %s\n", "NPLM", "Kneser-Ney (order 5)");
            for (std::size_t i = 0; i < a.size(); ++i) {
              std::printf("%-18s %.4f   %-18s %.4f\n", vocab.Word(a[i]).c_str(),
                          nplm_p[a[i]], vocab.Word(b[i]).c_str(), kn_p[b[i]]);
            }
          }
        } else {
          const auto words = ffnn::ch04::Sample(state.params, context, length,
                                                temperature, sample_seed);
          std::string out = text;
          for (const std::int32_t w : words) {
            out += w == 1 ? std::string("\n") : " " + vocab.Word(w);
          }
          std::printf("%s\n", out.c_str());
        }
      }
    } else {
      chapters::SetActivity("exporting the corpus");
      if (!out_dir.empty()) ffnn::ch04::Export(data, out_dir);
      PrintStats(data, min_count, json);
    }
  } catch (...) {
    return chapters::ReportError("nplm", std::current_exception());
  }
  return 0;
}
