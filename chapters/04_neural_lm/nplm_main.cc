// nplm: chapter 4's command-line tool. So far: `nplm corpus` (the SOTU split,
// its statistics, and the export other tools train on), `nplm kn` (the
// interpolated modified Kneser-Ney baseline), `nplm train`, `nplm eval`,
// and `nplm neighbours`, `predict` and `sample` to look inside a model.
// main parses the options and calls one Run function per subcommand; the
// computation is the chapter's library (commands.h), this file prints.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>

#include "chapters/04_neural_lm/checkpoint.h"
#include "chapters/04_neural_lm/commands.h"
#include "chapters/04_neural_lm/lm_corpus.h"
#include "chapters/04_neural_lm/train.h"
#include "chapters/common/cli.h"
#include "chapters/common/corpus.h"
#include "chapters/common/errors.h"
#include "chapters/common/files.h"
#include "chapters/common/memory.h"
#include "chapters/common/threads.h"

namespace {

namespace ch04 = ffnn::ch04;
namespace chapters = ffnn::chapters;
using ch04::LmCorpus;

// Every option of every subcommand; each subcommand reads its own.
struct Options {
  std::string corpus_dir = FFNN_SOTU_DIR, out_dir;
  int min_count = ch04::kDefaultMinCount;
  bool json = false;
  int order = 3;  // kn
  ch04::NplmShape shape;
  ch04::TrainConfig cfg;
  std::string model_path, resume_path, init_path;
  int threads = 1;
  CLI::Option* threads_train = nullptr;  // --threads of train and of eval
  CLI::Option* threads_eval = nullptr;
  int mix_order = 0;  // eval
  std::string word, text;
  std::size_t top = 10, length = 30;
  double temperature = 1.0;
  std::uint64_t sample_seed = 1;
  std::string train_file, valid_file, test_file;  // all or none
  std::string max_memory;
};

// The subcommands, in the order of the help text.
struct Subcommands {
  CLI::App *corpus, *kn, *train, *eval, *neighbours, *predict, *sample;
};

void AddMinCount(CLI::App* sub, Options& o) {
  sub->add_option("--min-count", o.min_count, "as for corpus")
      ->check(CLI::Range(1, 1000000));
}

CLI::App* AddCorpus(CLI::App& app, Options& o) {
  CLI::App* corpus = app.add_subcommand(
      "corpus",
      "tokenize the addresses, split them by year (train <= 1999, valid "
      "2000-2008, test 2009-2016), print token counts and <unk> rates, and "
      "export train.txt, valid.txt, test.txt and vocab.txt");
  corpus->add_option("--corpus-dir", o.corpus_dir,
                     "directory of YEAR_*.txt addresses (default: the "
                     "unpacked data/sotu.tar.xz)");
  corpus
      ->add_option("--min-count", o.min_count,
                   "minimum training count of a word in the vocabulary")
      ->check(CLI::Range(1, 1000000));
  corpus->add_option("--out", o.out_dir, "directory to export the split to");
  corpus->add_flag("--json", o.json, "print the statistics as JSON");
  return corpus;
}

CLI::App* AddKn(CLI::App& app, Options& o) {
  CLI::App* kn = app.add_subcommand(
      "kn",
      "interpolated modified Kneser-Ney on the same split and vocabulary: "
      "validation and test perplexity");
  kn->add_option("--order", o.order, "n-gram order, 2 to 5")
      ->check(CLI::Range(2, 5));
  kn->add_option("--corpus-dir", o.corpus_dir, "as for corpus");
  AddMinCount(kn, o);
  kn->add_flag("--json", o.json,
               "print {\"order\", \"valid_ppl\", \"test_ppl\"}");
  return kn;
}

// The model's shape, and how it trains.
void AddTrainModel(CLI::App* train, Options& o) {
  using chapters::FiniteIn;
  ch04::NplmShape& shape = o.shape;
  ch04::TrainConfig& cfg = o.cfg;
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
  train->add_option("--init-embeddings", o.init_path,
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
}

CLI::App* AddTrain(CLI::App& app, Options& o) {
  CLI::App* train =
      app.add_subcommand("train",
                         "train the neural language model; the model (with the "
                         "optimizer state) is written after every epoch");
  AddTrainModel(train, o);
  train->add_option("--epochs", o.cfg.epochs, "epochs to reach")
      ->check(CLI::Range(1, 100000));
  train->add_option("--seed", o.cfg.seed,
                    "seed of initialization and shuffling");
  train
      ->add_option("--patience", o.cfg.patience,
                   "stop after this many epochs without a better validation "
                   "perplexity (0: never); the best epoch's model is also "
                   "written to MODEL.best")
      ->check(CLI::Range(0, 100000));
  train->add_option("--out", o.model_path, "model file to write")->required();
  train->add_option("--resume", o.resume_path,
                    "continue from this model file (its configuration wins)");
  train->add_option("--corpus-dir", o.corpus_dir, "as for corpus");
  AddMinCount(train, o);
  o.threads_train = chapters::AddThreadsOption(*train, o.threads);
  train->add_flag("--json", o.json,
                  "print {tokens_per_s, threads, epochs, valid_ppl, ...} at "
                  "the end");
  return train;
}

CLI::App* AddEval(CLI::App& app, Options& o) {
  CLI::App* eval = app.add_subcommand(
      "eval", "validation and test perplexity of a trained model");
  eval->add_option("--model", o.model_path, "model file")->required();
  eval->add_option("--corpus-dir", o.corpus_dir, "as for corpus");
  AddMinCount(eval, o);
  o.threads_eval = chapters::AddThreadsOption(*eval, o.threads);
  eval->add_flag("--json", o.json, "print {\"valid_ppl\", \"test_ppl\"}");
  eval->add_option("--mix-kn", o.mix_order,
                   "also interpolate with Kneser-Ney of this order (2 to 5): "
                   "p = lambda p_nplm + (1 - lambda) p_kn, lambda tuned on "
                   "validation, reported on test")
      ->check(CLI::Range(2, 5));
  return eval;
}

// neighbours, predict and sample, into s.
void AddInspect(CLI::App& app, Options& o, Subcommands& s) {
  CLI::App* neighbours = app.add_subcommand(
      "neighbours", "the words whose embeddings are closest (cosine) to WORD");
  neighbours->add_option("word", o.word, "a word of the vocabulary")
      ->required();
  CLI::App* predict = app.add_subcommand(
      "predict",
      "the most probable next words after TEXT, the NPLM's beside "
      "Kneser-Ney's (order 5)");
  predict
      ->add_option("text", o.text,
                   "the words so far, e.g. \"the state of "
                   "the\"")
      ->required();
  CLI::App* sample =
      app.add_subcommand("sample", "words drawn from the model one at a time");
  sample->add_option("--prompt", o.text, "words to start from");
  sample->add_option("--length", o.length, "words to draw")
      ->check(CLI::Range(1, 100000));
  sample
      ->add_option("--temperature", o.temperature,
                   "softmax(z / t): below 1 sharper, above 1 flatter")
      ->check(chapters::FiniteIn(1e-3, 1e3));
  sample->add_option("--seed", o.sample_seed, "seed of the draws");
  for (CLI::App* sub : {neighbours, predict, sample}) {
    sub->add_option("--model", o.model_path, "model file")->required();
    sub->add_option("--corpus-dir", o.corpus_dir, "as for corpus");
    AddMinCount(sub, o);
  }
  s.neighbours = neighbours;
  s.predict = predict;
  s.sample = sample;
}

// The options several subcommands share, declared after their own.
void AddShared(const Subcommands& s, Options& o) {
  // Any tool's data instead of the built-in corpus: the three files of the
  // export format, all or none.
  for (CLI::App* sub :
       {s.corpus, s.kn, s.train, s.eval, s.neighbours, s.predict, s.sample}) {
    sub->add_option("--train", o.train_file,
                    "training sentences (one per line, tokens separated by "
                    "single spaces) instead of the built-in corpus");
    sub->add_option("--valid", o.valid_file,
                    "validation sentences, same format");
    sub->add_option("--test", o.test_file, "test sentences, same format");
  }
  for (CLI::App* sub : {s.neighbours, s.predict}) {
    sub->add_option("--top", o.top,
                    "how many words to list (at most the vocabulary)")
        ->check(CLI::Range(1, 1000));
    sub->add_flag("--json", o.json, "print JSON");
  }
  for (CLI::App* sub : {s.train, s.eval, s.neighbours, s.predict, s.sample}) {
    sub->add_option("--max-memory", o.max_memory, chapters::kMaxMemoryHelp);
  }
}

// What every subcommand needs once its options are checked.
struct Setup {
  chapters::MemoryBudget budget;
  int threads = 1;
  bool given = false;       // --train, --valid and --test instead of SOTU
  bool write_best = false;  // MODEL.best beside MODEL (train)
};

// Outputs that would overwrite an input, or could not be written at the
// end, are refused before any work.
void CheckOutputs(const Options& o, bool given, bool corpus, bool train,
                  bool write_best) {
  std::vector<chapters::NamedPath> inputs;
  if (given) {
    inputs = {{o.train_file, "--train"},
              {o.valid_file, "--valid"},
              {o.test_file, "--test"}};
  } else {
    inputs.push_back({o.corpus_dir, "--corpus-dir"});
  }
  inputs.push_back({o.init_path, "--init-embeddings"});
  if (corpus && !o.out_dir.empty()) {
    std::vector<chapters::NamedPath> outputs;
    for (const char* file : ch04::kExportFiles) {
      outputs.push_back({o.out_dir + "/" + file, "--out", true});
    }
    chapters::CheckOutputs(outputs, inputs);
  }
  if (!train) return;
  // --resume MODEL --out MODEL continues a model in place: the resumed file
  // is an input only when it is another file.
  const std::string& resume = o.resume_path;
  if (resume.empty() || !std::filesystem::exists(resume) ||
      !std::filesystem::exists(o.model_path) ||
      !std::filesystem::equivalent(resume, o.model_path)) {
    inputs.push_back({resume, "--resume"});
  }
  std::vector<chapters::NamedPath> outputs = {{o.model_path, "--out"}};
  if (write_best) {
    outputs.push_back({o.model_path + ".best", "--out (its .best)"});
  }
  chapters::CheckOutputs(outputs, inputs);
}

Setup Prepare(const Options& o, bool corpus, bool train) {
  chapters::SetActivity("checking the options");
  Setup s;
  s.budget = chapters::BudgetFromOption(o.max_memory);
  s.threads = chapters::ResolveThreads(
      o.threads_train->count() > 0 ? o.threads_train : o.threads_eval,
      o.threads);
  const int given =
      !o.train_file.empty() + !o.valid_file.empty() + !o.test_file.empty();
  if (given != 0 && given != 3) {
    throw std::invalid_argument(
        "--train, --valid and --test go together (all three or none)");
  }
  s.given = given == 3;
  // MODEL.best goes next to a MODEL that is a file; a device or a pipe
  // takes the model alone.
  s.write_best = train && !chapters::IsDeviceOrPipe(o.model_path);
  CheckOutputs(o, s.given, corpus, train, s.write_best);
  return s;
}

// The name of a split in messages: its file, or its years.
std::string SplitName(const Options& o, const Setup& s, bool valid) {
  if (!s.given) {
    return valid ? "the validation (2000-2008) split"
                 : "the test (2009-2016) split";
  }
  return valid ? "--valid " + o.valid_file : "--test " + o.test_file;
}

// Every split a subcommand scores must hold a token to score.
void RequireScoredSplits(const LmCorpus& data, const Options& o,
                         const Setup& s) {
  ch04::RequireScoredTokens(chapters::ToStream(data.valid, data.vocab),
                            ch04::kContextTokens, SplitName(o, s, true));
  ch04::RequireScoredTokens(chapters::ToStream(data.test, data.vocab),
                            ch04::kContextTokens, SplitName(o, s, false));
}

void RunCorpus(const LmCorpus& corpus, const Options& o) {
  chapters::SetActivity("exporting the corpus");
  if (!o.out_dir.empty()) ch04::Export(corpus, o.out_dir);
  const auto stats = corpus.Stats();
  if (o.json) {
    nlohmann::ordered_json doc;
    doc["min_count"] = o.min_count;
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
      corpus.vocab.size(), o.min_count);
  std::printf("%-6s %10s %10s %9s\n", "split", "sentences", "tokens", "<unk>");
  for (const auto& s : stats) {
    std::printf("%-6s %10zu %10zu %8.2f%%\n", s.name.c_str(), s.sentences,
                s.tokens, 100.0 * s.UnkRate());
  }
}

void RunKn(const LmCorpus& corpus, const Options& o) {
  chapters::SetActivity("counting n-grams");
  const ch04::Perplexities ppl = ch04::KnPerplexities(corpus, o.order);
  if (o.json) {
    nlohmann::ordered_json doc = {
        {"order", o.order}, {"valid_ppl", ppl.valid}, {"test_ppl", ppl.test}};
    std::cout << doc.dump(2) << "\n";
  } else {
    std::printf(
        "Kneser-Ney, order %d: validation perplexity %.2f, test "
        "perplexity %.2f\n",
        o.order, ppl.valid, ppl.test);
  }
}

void PrintRun(const ch04::TrainState& s, int threads) {
  nlohmann::ordered_json doc;
  doc["tokens_per_s"] = ch04::MeanTokensPerSecond(s.history);
  doc["threads"] = threads;
  doc["epochs"] = s.history.size();
  for (const char* key : {"valid_ppl", "train_ppl", "seconds",
                          "output_gemm_share", "output_gemm_gflops",
                          "softmax_share", "outside_forward_backward_share"}) {
    doc[key] = nlohmann::json::array();
  }
  for (const auto& e : s.history) {
    const ch04::TimeShares share = ch04::SharesOf(e);
    doc["valid_ppl"].push_back(e.valid_ppl);
    doc["train_ppl"].push_back(e.train_ppl);
    doc["seconds"].push_back(e.seconds);
    doc["output_gemm_share"].push_back(share.output_gemm);
    doc["output_gemm_gflops"].push_back(e.output_gflops);
    doc["softmax_share"].push_back(share.softmax);
    doc["outside_forward_backward_share"].push_back(
        share.outside_forward_backward);
  }
  std::cout << doc.dump(2) << "\n";
}

// The state to train: the resumed model, or a new one.
ch04::TrainState StartState(const Options& o, const LmCorpus& data,
                            const Setup& s, std::size_t train_tokens) {
  ch04::NplmShape shape = o.shape;
  shape.vocab = data.vocab.size();
  chapters::SetActivity("loading the model to resume");
  std::optional<ch04::TrainState> resumed;
  if (!o.resume_path.empty()) {
    resumed = ch04::LoadCheckpoint(o.resume_path, &s.budget);
    shape = resumed->params.shape;
  }
  const std::size_t batch = resumed ? resumed->config.batch : o.cfg.batch;
  chapters::RequireMemory(
      ch04::TrainingBytes(shape, batch, train_tokens),
      "a model of " + chapters::Grouped(shape.Parameters()) +
          " parameters (V = " + chapters::Grouped(shape.vocab) + ", d = " +
          std::to_string(shape.dim) + ", h = " + std::to_string(shape.hidden) +
          ") with its gradient, Adam's moments and a batch of " +
          std::to_string(batch),
      s.budget);
  chapters::SetActivity("setting up the model");
  if (resumed) {
    ch04::ExtendTo(*resumed, o.cfg.epochs, o.resume_path);
    return std::move(*resumed);
  }
  std::size_t copied = 0;
  ch04::TrainState state = ch04::NewModel(shape, o.cfg, ch04::Words(data.vocab),
                                          o.init_path, &copied);
  if (!o.init_path.empty()) {
    std::fprintf(stderr, "initialized %zu of %zu embedding rows from %s\n",
                 copied, data.vocab.size(), o.init_path.c_str());
  }
  return state;
}

int RunTrain(const LmCorpus& data, const Options& o, const Setup& s) {
  if (!o.resume_path.empty() && !o.init_path.empty()) {
    throw std::invalid_argument(
        "--init-embeddings only applies to a new model, not --resume");
  }
  const auto train = chapters::ToStream(data.train, data.vocab);
  const auto valid = chapters::ToStream(data.valid, data.vocab);
  ch04::RequireScoredTokens(valid, o.shape.context, SplitName(o, s, true));
  ch04::TrainState state = StartState(o, data, s, train.size());
  ch04::CheckVocabulary(state, o.resume_path,
                        ch04::VocabularyHash(ch04::Words(data.vocab)),
                        data.vocab.size());
  chapters::SetActivity("training");
  ch04::TrainAndSave(state, train, valid, s.threads, o.model_path, s.write_best,
                     stderr);  // TrainingDiverged: exit 1
  if (o.json) PrintRun(state, s.threads);
  return 0;
}

// A trained model, checked against the corpus's vocabulary.
ch04::TrainState LoadModel(const LmCorpus& data, const Options& o,
                           const Setup& s, const char* activity) {
  chapters::SetActivity("loading the model");
  auto state = ch04::LoadCheckpoint(o.model_path, &s.budget);
  chapters::SetActivity(activity);
  ch04::CheckVocabulary(state, o.model_path,
                        ch04::VocabularyHash(ch04::Words(data.vocab)),
                        data.vocab.size());
  return state;
}

void RunEval(const LmCorpus& data, const Options& o, const Setup& s) {
  const auto state = LoadModel(data, o, s, "evaluating the model");
  const ch04::Evaluation e = ch04::EvaluateModel(
      state.params, data, o.mix_order, s.threads, o.model_path);
  nlohmann::ordered_json doc = {{"valid_ppl", e.nplm.valid},
                                {"test_ppl", e.nplm.test}};
  if (e.mix) {
    doc["kn_order"] = o.mix_order;
    doc["kn_valid_ppl"] = e.mix->other_valid_ppl;
    doc["kn_test_ppl"] = e.mix->other_test_ppl;
    doc["lambda"] = e.mix->lambda;
    doc["mix_valid_ppl"] = e.mix->mix_valid_ppl;
    doc["mix_test_ppl"] = e.mix->mix_test_ppl;
  }
  if (o.json) {
    std::cout << doc.dump(2) << "\n";
    return;
  }
  std::printf("validation perplexity %.2f, test perplexity %.2f\n",
              e.nplm.valid, e.nplm.test);
  if (e.mix) {
    std::printf(
        "with Kneser-Ney order %d (lambda = %.2f): validation "
        "%.2f, test %.2f (Kneser-Ney alone: %.2f, %.2f)\n",
        o.mix_order, e.mix->lambda, e.mix->mix_valid_ppl, e.mix->mix_test_ppl,
        e.mix->other_valid_ppl, e.mix->other_test_ppl);
  }
}

void RunNeighbours(const LmCorpus& data, const Options& o, const Setup& s) {
  const auto state = LoadModel(data, o, s, "running the model");
  nlohmann::ordered_json doc = nlohmann::json::array();
  for (const auto& [w, cosine] :
       ch04::NeighboursOf(state.params, data.vocab, o.word, o.top)) {
    if (o.json) {
      doc.push_back({{"word", data.vocab.Word(w)}, {"cosine", cosine}});
    } else {
      std::printf("%-20s %.4f\n", data.vocab.Word(w).c_str(), cosine);
    }
  }
  if (o.json) std::cout << doc.dump(2) << "\n";
}

void RunPredict(const LmCorpus& data, const Options& o, const Setup& s) {
  const auto state = LoadModel(data, o, s, "running the model");
  const auto& vocab = data.vocab;
  const ch04::Prediction best =
      ch04::Predict(state.params, chapters::ToStream(data.train, vocab),
                    ch04::PromptIds(o.text, vocab), o.top);
  const auto& a = best.nplm;
  const auto& b = best.kn;
  if (o.json) {
    nlohmann::ordered_json doc;
    for (std::size_t i = 0; i < a.size(); ++i) {
      doc["nplm"].push_back(
          {{"word", vocab.Word(a[i].first)}, {"p", a[i].second}});
      doc["kn"].push_back(
          {{"word", vocab.Word(b[i].first)}, {"p", b[i].second}});
    }
    std::cout << doc.dump(2) << "\n";
    return;
  }
  std::printf("%-28s %s\n", "NPLM", "Kneser-Ney (order 5)");
  for (std::size_t i = 0; i < a.size(); ++i) {
    std::printf("%-18s %.4f   %-18s %.4f\n", vocab.Word(a[i].first).c_str(),
                a[i].second, vocab.Word(b[i].first).c_str(), b[i].second);
  }
}

void RunSample(const LmCorpus& data, const Options& o, const Setup& s) {
  const auto state = LoadModel(data, o, s, "running the model");
  std::printf("%s\n", ch04::SampleText(state.params, data.vocab, o.text,
                                       o.length, o.temperature, o.sample_seed)
                          .c_str());
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "nplm: Bengio's neural language model on the State of the "
      "Union corpus (chapter 4)"};
  app.require_subcommand(1);
  Options o;
  Subcommands sub{};
  sub.corpus = AddCorpus(app, o);
  sub.kn = AddKn(app, o);
  sub.train = AddTrain(app, o);
  sub.eval = AddEval(app, o);
  AddInspect(app, o, sub);
  AddShared(sub, o);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return chapters::ExitOnParseError(app, e, "nplm");
  }
  try {
    const Setup s = Prepare(o, sub.corpus->parsed(), sub.train->parsed());
    chapters::SetActivity("reading the corpus");
    const LmCorpus data = s.given ? ch04::LoadFiles(o.train_file, o.valid_file,
                                                    o.test_file, o.min_count)
                                  : ch04::LoadSotu(o.corpus_dir, o.min_count);
    if (sub.kn->parsed() || sub.eval->parsed()) {
      RequireScoredSplits(data, o, s);
    }
    if (sub.kn->parsed()) RunKn(data, o);
    if (sub.train->parsed()) return RunTrain(data, o, s);
    if (sub.eval->parsed()) RunEval(data, o, s);
    if (sub.neighbours->parsed()) RunNeighbours(data, o, s);
    if (sub.predict->parsed()) RunPredict(data, o, s);
    if (sub.sample->parsed()) RunSample(data, o, s);
    if (sub.corpus->parsed()) RunCorpus(data, o);
  } catch (...) {
    return chapters::ReportError("nplm", std::current_exception());
  }
  return 0;
}
