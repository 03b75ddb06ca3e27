// The corpus path of chapters 4 and 5: an address file read by ReadSotu
// (bounded read, UTF-8 check, tokenizer), split by year, the vocabulary
// built and the stream made; the same bytes read as a file of tokenized
// sentences (ReadSentences) and lowercased (LowerCase). On success the
// vocabulary must be consistent (Id(Word(i)) = i, counts non-increasing),
// every token non-empty and free of spaces, and the stream the sentences'
// ids with one </s> after each.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>

#include "chapters/common/corpus.h"
#include "tests/fuzz/fuzz_support.h"

namespace {

using ffnn::chapters::Sentence;
using ffnn::fuzz::Require;

void CheckTokens(const std::vector<Sentence>& sentences, const char* what) {
  for (const Sentence& s : sentences) {
    Require(!s.empty(), std::string(what) + ": an empty sentence");
    for (const std::string& t : s) {
      Require(!t.empty() && t.find_first_of(" \t\r\n") == std::string::npos,
              std::string(what) + ": an empty token or one with a space");
    }
  }
}

void CheckVocabulary(const std::vector<Sentence>& train) {
  using ffnn::chapters::Vocabulary;
  const Vocabulary vocab(train, 1);
  Require(vocab.size() >= 2, "vocabulary without <unk> and </s>");
  for (std::size_t i = 0; i < vocab.size(); ++i) {
    const auto id = static_cast<std::int32_t>(i);
    Require(vocab.Id(vocab.Word(id)) == id, "Id(Word(i)) != i");
    if (i > 2) {
      Require(vocab.Count(id) <= vocab.Count(id - 1),
              "vocabulary counts increase");
    }
  }
  const std::vector<std::int32_t> stream =
      ffnn::chapters::ToStream(train, vocab);
  std::size_t tokens = 0, unk = 0;  // unk: "<unk>" written in the text
  for (const Sentence& s : train) {
    tokens += s.size() + 1;
    unk += std::size_t(std::count(s.begin(), s.end(), ffnn::chapters::kUnk));
  }
  Require(stream.size() == tokens, "stream length");
  for (const std::int32_t id : stream) {
    Require(id >= 0 && std::size_t(id) < vocab.size(), "id out of range");
  }
  const ffnn::chapters::StreamStats stats = ffnn::chapters::Stats(stream);
  Require(stats.tokens == tokens && stats.unk == unk,
          "Stats: at min_count 1 only a written <unk> is <unk>");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  using namespace ffnn;
  const std::string_view text = fuzz::Bytes(data, size);
  static const std::filesystem::path dir = [] {
    std::filesystem::create_directories(fuzz::ScratchDir() / "sotu");
    return fuzz::ScratchDir() / "sotu";
  }();
  const std::string path = fuzz::ScratchFile("sotu/1990_Fuzz.txt", text);
  fuzz::Refusing([&] {
    const std::vector<chapters::Document> docs =
        chapters::ReadSotu(dir.string());
    Require(docs.size() == 1 && docs[0].year == 1990, "ReadSotu: the year");
    CheckTokens(docs[0].sentences, "ReadSotu");
    const chapters::Split split = chapters::SplitByYear(docs);
    Require(split.train.size() == docs[0].sentences.size(),
            "SplitByYear: 1990 is a training year");
    if (!split.train.empty()) CheckVocabulary(split.train);
  });
  fuzz::Refusing([&] {
    // (The vocabulary of these sentences is the path above's again.)
    CheckTokens(chapters::ReadSentences(path), "ReadSentences");
  });
  fuzz::Refusing([&] {
    const std::string lower = chapters::LowerCase(text, "fuzz");
    Require(chapters::LowerCase(lower, "fuzz") == lower,
            "LowerCase is not idempotent");
  });
  return 0;
}
