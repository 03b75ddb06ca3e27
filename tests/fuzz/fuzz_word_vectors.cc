// The word2vec vector readers (chapter 5, and chapter 4's --init-vectors):
// the input read as the text format and as the binary one. Whatever a
// reader accepts must be consistent (words.size() x dim values, all finite,
// words non-empty and free of spaces) and survive a round trip: written
// back in the same format and read again, it gives the same words and the
// same values bit for bit.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>

#include "chapters/common/word_vectors.h"
#include "tests/fuzz/fuzz_support.h"

namespace {

using ffnn::chapters::WordVectors;
using ffnn::fuzz::Require;

void CheckAndRoundTrip(const WordVectors& v, bool binary) {
  Require(v.dim > 0 && !v.words.empty() &&
              v.values.size() == v.words.size() * v.dim,
          "vectors: inconsistent sizes");
  for (const std::string& w : v.words) {
    Require(!w.empty() && w.find_first_of(" \t\n\r") == std::string::npos,
            "vectors: an empty word or one with white space");
  }
  for (const float x : v.values) {
    Require(std::isfinite(x), "vectors: a non-finite value accepted");
  }
  const std::string path =
      (ffnn::fuzz::ScratchDir() / (binary ? "again.bin" : "again.vec"))
          .string();
  try {
    ffnn::chapters::WriteWord2Vec(v, path, binary);
  } catch (const std::invalid_argument& e) {  // a reader's result refused
    ffnn::fuzz::Finding(std::string("WriteWord2Vec refused: ") + e.what());
  }
  const WordVectors again = binary ? ffnn::chapters::ReadWord2VecBinary(path)
                                   : ffnn::chapters::ReadWord2VecText(path);
  Require(again.words == v.words && again.dim == v.dim &&
              std::memcmp(again.values.data(), v.values.data(),
                          v.values.size() * sizeof(float)) == 0,
          "vectors: the round trip changed them");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  using namespace ffnn;
  const std::string path =
      fuzz::ScratchFile("input.vec", fuzz::Bytes(data, size));
  fuzz::Refusing(
      [&] { CheckAndRoundTrip(chapters::ReadWord2VecText(path), false); });
  fuzz::Refusing(
      [&] { CheckAndRoundTrip(chapters::ReadWord2VecBinary(path), true); });
  fuzz::Refusing([&] { (void)chapters::ReadWord2Vec(path); });
  return 0;
}
