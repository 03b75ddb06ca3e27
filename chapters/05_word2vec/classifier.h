// The application of J&M's "2-layer network for sentiment analysis" with
// mean pooling, on the State of the Union: which party's president speaks in
// a paragraph? Mean-pooled word2vec vectors fed to the chapter 3 MLP,
// against a bag-of-words logistic regression and the majority class.
//
// Decided here (the issue is silent):
// - the two parties with most addresses, Democratic ("_d.txt") and
//   Republican ("_r.txt"): 182 addresses from 1829 on; the archive's other
//   labels (Federalist, Whig, Democratic-Republican, ...) are dropped;
// - a paragraph is a run of 5 consecutive sentences of one address: the
//   archive has no paragraph breaks (every address is one line);
// - the split is by address: the two parties' addresses in year order, the
//   i-th to test if i % 5 == 0, to validation if i % 5 == 1, else to train,
//   so every era is in every split and no address is in two splits;
// - the word vectors are trained on the training paragraphs only (the
//   chapter's book vectors saw every address up to 1999, test ones too).
#ifndef FFNN_CH05_CLASSIFIER_H_
#define FFNN_CH05_CLASSIFIER_H_

#include <cstdio>
#include <span>
#include <string>
#include <vector>

#include "chapters/05_word2vec/word2vec.h"
#include "chapters/common/corpus.h"
#include "chapters/common/matrix.h"

namespace ffnn::ch05 {

inline constexpr int kParties = 2;
inline constexpr const char* kPartyNames[kParties] = {"Democratic",
                                                      "Republican"};

// 0 for a file name ending in "_d.txt", 1 for "_r.txt", -1 otherwise.
int PartyOf(const std::string& file_name);

struct Paragraph {
  std::vector<std::string> tokens;
  int party = 0;
  std::size_t address = 0;  // index into PartySplit::names
};

struct PartySplit {
  std::vector<Paragraph> train, valid, test;
  std::vector<std::string> names;        // the addresses' file names
  std::size_t addresses[3] = {0, 0, 0};  // in train, valid, test
};

// The paragraphs of `sentences` sentences (the last one of an address may
// be shorter) of every two-party address, split as above. Throws
// std::invalid_argument if a split ends up without paragraphs.
PartySplit SplitParagraphs(const std::vector<chapters::Document>& docs,
                           std::size_t sentences = 5);

struct ClassScores {
  double accuracy = 0, macro_f1 = 0;
};
// Accuracy, and macro-F1: the mean over the classes of
// F1_c = 2 tp_c / (2 tp_c + fp_c + fn_c) (0 for a class never predicted and
// never present).
ClassScores Score(std::span<const int> predicted, std::span<const int> gold,
                  int classes);

// J&M's mean pooling: row r is the mean of m's word vectors over the ids of
// paragraphs[r] (repeats counted), (paragraphs.size(), m.d); a paragraph
// without ids gives the zero row.
chapters::Matrix MeanPooled(
    const std::vector<std::vector<std::int32_t>>& paragraphs,
    const W2vModel& m);

struct ClassifierConfig {
  std::size_t sentences = 5;  // per paragraph
  int min_count = 5;          // of the vocabulary, on the training split
  W2vConfig w2v;              // the pooled vectors' training
  std::size_t hidden = 64;    // the MLP's hidden width
  int mlp_epochs = 20;        // Adam, lr 1e-3, batches of 32
  int bow_epochs = 10;        // logistic regression, the best on validation
  std::uint64_t seed = 1;
};

struct ClassifierResult {
  std::string method;
  ClassScores valid, test;
};

struct PartyReport {
  std::size_t paragraphs[3] = {0, 0, 0};  // train, valid, test
  std::size_t vocabulary = 0;
  std::vector<ClassifierResult> rows;  // majority, bag of words, pooled MLP
};

// Trains the word vectors and the classifiers on split.train and scores
// them; progress lines go to `progress` if not null.
PartyReport ClassifyParty(const PartySplit& split, const ClassifierConfig& cfg,
                          std::FILE* progress);

}  // namespace ffnn::ch05

#endif  // FFNN_CH05_CLASSIFIER_H_
