#include "chapters/common/progress.h"

#include <unistd.h>

#include <cmath>
#include <utility>

namespace ffnn::chapters {

std::string Duration(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0) return "?";
  const long long t = std::llround(seconds);
  char buf[48];
  std::snprintf(buf, sizeof buf, "%lldm%02llds", t / 60, t % 60);
  return buf;
}

Progress::Progress(std::FILE* out)
    : Progress(out, out != nullptr && ::isatty(::fileno(out))) {}

Progress::Progress(std::FILE* out, bool terminal)
    : out_(out), terminal_(terminal) {
  start_ = shown_ = Clock::now();
}

void Progress::Start(std::string label, double total, std::string unit) {
  label_ = std::move(label);
  unit_ = std::move(unit);
  total_ = total;
  start_ = shown_ = Clock::now();
}

double Progress::Elapsed() const {
  return std::chrono::duration<double>(Clock::now() - start_).count();
}

std::string Progress::Line(double done, double loss, double seconds) const {
  const double rate = seconds > 0 ? done / seconds : 0;
  const double share = total_ > 0 ? 100.0 * done / total_ : 100.0;
  char buf[256];
  int n = std::snprintf(buf, sizeof buf, "%s %5.1f%% %9.0f %s/s",
                        label_.c_str(), share, rate, unit_.c_str());
  std::string line(buf, n > 0 ? std::size_t(n) : 0);
  if (loss >= 0) {
    n = std::snprintf(buf, sizeof buf, "  loss %.3f", loss);
    line.append(buf, n > 0 ? std::size_t(n) : 0);
  }
  line += "  ETA " + Duration(rate > 0 ? (total_ - done) / rate : -1);
  return line;
}

void Progress::Update(double done, double loss) {
  if (out_ == nullptr) return;
  const auto now = Clock::now();
  if (std::chrono::duration<double>(now - shown_).count() <
      (terminal_ ? 0.5 : 10.0)) {
    return;
  }
  shown_ = now;
  const std::string line =
      Line(done, loss, std::chrono::duration<double>(now - start_).count());
  // "\x1b[K" clears what a longer previous line left on the terminal.
  std::fprintf(out_, terminal_ ? "\r%s\x1b[K" : "%s\n", line.c_str());
  std::fflush(out_);
  open_ = terminal_;
}

void Progress::Finish() {
  if (out_ != nullptr && open_) {
    std::fputs("\r\x1b[K", out_);
    std::fflush(out_);
  }
  open_ = false;
}

}  // namespace ffnn::chapters
