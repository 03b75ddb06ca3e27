// Word vectors in word2vec's formats (chapter 4 initializes its embedding
// table from them; chapter 5 writes and evaluates them).
//   text:    <count> <dim>\n, then per word: <word> <v_1> ... <v_dim>\n
//   binary:  <count> <dim>\n, then per word: <word> followed by one space and
//            dim little-endian float32, then \n (as word2vec.c writes it;
//            the newline is optional when reading, as in gensim)
// Read strictly: the header is checked against the file's size before
// anything is allocated, every vector must hold exactly dim finite numbers,
// words must be valid UTF-8, without whitespace, and distinct.
#ifndef FFNN_CHAPTERS_COMMON_WORD_VECTORS_H_
#define FFNN_CHAPTERS_COMMON_WORD_VECTORS_H_

#include <cstddef>
#include <string>
#include <vector>

#include "chapters/common/files.h"

namespace ffnn::chapters {

struct WordVectors {
  std::vector<std::string> words;
  std::size_t dim = 0;
  std::vector<float> values;  // (words.size(), dim), row-major
};

// Throws InputError "<path>: <what>" (line numbers from 1) on any defect.
WordVectors ReadWord2VecText(const std::string& path);

// Throws InputError "<path>: <what>" (the vector's index from 1).
WordVectors ReadWord2VecBinary(const std::string& path);

// Either format, told apart by content: a file holding a NUL byte or
// invalid UTF-8 is read as binary, any other as text.
WordVectors ReadWord2Vec(const std::string& path);

// Writes atomically (temporary file, then rename) in the text format (each
// value as the shortest decimal that reads back as the same float) or the
// binary one, streamed: never a second copy of the vectors in memory.
// Throws std::invalid_argument for an inconsistent WordVectors (sizes,
// empty or whitespace-holding words) and chapters::FileError if the file
// cannot be written.
void WriteWord2Vec(const WordVectors& vectors, const std::string& path,
                   bool binary);

// The same into an open AtomicFile, not committed: for outputs written
// together with others (CommitTogether).
void WriteWord2Vec(const WordVectors& vectors, AtomicFile& out, bool binary);

}  // namespace ffnn::chapters

#endif  // FFNN_CHAPTERS_COMMON_WORD_VECTORS_H_
