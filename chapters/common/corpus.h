// The corpus of chapters 4 and 5: the State of the Union addresses
// (data/sotu.tar.xz, unpacked by the build) as tokenized sentences
// (text.h), the split by address year, the export format of tokenized
// sentences, and the language-model stream over a vocabulary
// (vocabulary.h).
#ifndef FFNN_CHAPTERS_COMMON_CORPUS_H_
#define FFNN_CHAPTERS_COMMON_CORPUS_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "chapters/common/errors.h"
#include "chapters/common/text.h"
#include "chapters/common/vocabulary.h"

namespace ffnn::chapters {

// Reads a file of tokenized sentences (the export format: one sentence per
// line, tokens separated by single spaces, valid UTF-8). Throws InputError
// naming the file for a missing, unreadable, empty, huge (> 256 MiB) or
// invalid file, an empty token (two spaces), a token holding a tab or a
// carriage return, or a NUL byte.
std::vector<Sentence> ReadSentences(const std::string& path);

// One address: its year and its sentences.
struct Document {
  int year = 0;
  std::string name;  // file name without directory
  std::vector<Sentence> sentences;
};

// Reads every YEAR_*.txt in `dir` (sorted by name, so by year). Throws
// InputError if the directory is missing, holds no such file, or a file is
// unreadable or not valid UTF-8.
std::vector<Document> ReadSotu(const std::string& dir);

// The split by address year: train <= 1999, validation 2000-2008, test
// 2009-2016; later addresses are not used.
struct Split {
  std::vector<Sentence> train, valid, test;
};
Split SplitByYear(const std::vector<Document>& docs);

// The language-model stream of a split: every sentence's ids followed by
// </s>, sentences in order.
std::vector<std::int32_t> ToStream(const std::vector<Sentence>& sentences,
                                   const Vocabulary& vocab);

// Counts of a stream: tokens (</s> included) and how many are <unk>.
struct StreamStats {
  std::size_t tokens = 0, unk = 0;
};
StreamStats Stats(const std::vector<std::int32_t>& stream);

}  // namespace ffnn::chapters

#endif  // FFNN_CHAPTERS_COMMON_CORPUS_H_
