// The thread count of a chapter tool: --threads N, else the FFNN_THREADS
// environment variable, else 1. The kernels' results do not depend on it
// (kernels/parallel.h); only the speed does.
#ifndef FFNN_CHAPTERS_COMMON_THREADS_H_
#define FFNN_CHAPTERS_COMMON_THREADS_H_

#include <string>

namespace ffnn::chapters {

inline constexpr int kMaxThreads = 256;

// Parses a thread count: a decimal integer in [1, kMaxThreads], nothing
// else. Throws std::invalid_argument "<where>: <why>" otherwise.
int ParseThreads(const std::string& text, const char* where);

// FFNN_THREADS if set (parsed as above, throws if invalid), else 1.
int ThreadsFromEnvironment();

}  // namespace ffnn::chapters

#endif  // FFNN_CHAPTERS_COMMON_THREADS_H_
