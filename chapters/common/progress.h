// The progress line of the long runs (nplm train, w2v train): how far, how
// fast, the loss and the time left, e.g.
//   epoch 2/5  41.3%    512345 tokens/s  loss 5.123  ETA 1m05s
// On a terminal the line is redrawn in place at most twice a second; into
// a file or a pipe (a log) one line every 10 s, so logs stay short; with
// no stream, nothing. Only stderr-like streams: the results go to stdout.
#ifndef FFNN_CHAPTERS_COMMON_PROGRESS_H_
#define FFNN_CHAPTERS_COMMON_PROGRESS_H_

#include <chrono>
#include <cstdio>
#include <string>

namespace ffnn::chapters {

// "4m05s" (minutes may exceed 59: "75m00s"); negative or non-finite
// durations (an unknown rate) read "?".
std::string Duration(double seconds);

class Progress {
 public:
  // out may be nullptr (quiet). terminal: whether to redraw in place;
  // by default, whether out is a terminal.
  explicit Progress(std::FILE* out);
  Progress(std::FILE* out, bool terminal);

  // Starts a stage of `total` units ("tokens", "words") under `label`
  // ("epoch 2/5", "word2vec"); its rate and ETA count from now.
  void Start(std::string label, double total, std::string unit);
  // `done` of the stage's units so far, with the mean loss so far (a
  // negative loss is not shown: none yet); printed when a line is due.
  void Update(double done, double loss);
  // Ends a redrawn line so that what follows starts a line of its own.
  void Finish();

  // Seconds since Start.
  double Elapsed() const;
  bool terminal() const { return terminal_; }
  std::FILE* out() const { return out_; }
  // The line Update would print (without "\r" or "\n"), for tests.
  std::string Line(double done, double loss, double seconds) const;

 private:
  using Clock = std::chrono::steady_clock;
  std::FILE* out_;
  bool terminal_;
  bool open_ = false;  // a redrawn line is on the terminal
  std::string label_, unit_;
  double total_ = 0;
  Clock::time_point start_, shown_;
};

}  // namespace ffnn::chapters

#endif  // FFNN_CHAPTERS_COMMON_PROGRESS_H_
