#include "chapters/common/threads.h"

#include <cstdlib>
#include <stdexcept>

namespace ffnn::chapters {

int ParseThreads(const std::string& text, const char* where) {
  const std::string why = std::string(where) + ": '" + text +
                          "' is not a thread count (an integer from 1 to " +
                          std::to_string(kMaxThreads) + ")";
  if (text.empty() || text.size() > 3) throw std::invalid_argument(why);
  int value = 0;
  for (const char ch : text) {
    if (ch < '0' || ch > '9') throw std::invalid_argument(why);
    value = value * 10 + (ch - '0');
  }
  if (value < 1 || value > kMaxThreads) throw std::invalid_argument(why);
  return value;
}

int ThreadsFromEnvironment() {
  const char* env = std::getenv("FFNN_THREADS");
  return env ? ParseThreads(env, "FFNN_THREADS") : 1;
}

}  // namespace ffnn::chapters
