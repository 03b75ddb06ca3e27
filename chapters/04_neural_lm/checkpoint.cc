// The checkpoint format of nplm: a model with its optimizer state and
// training history, in one file that --resume continues from exactly.
#include "chapters/04_neural_lm/checkpoint.h"

#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <limits>
#include <stdexcept>
#include <string_view>

#include "chapters/common/files.h"
#include "chapters/common/memory.h"

namespace ffnn::ch04 {

void CheckForwardPass(const NplmParams<float>& p, const std::string& what) {
  const NplmShape& sh = p.shape;
  const std::size_t in = sh.In();
  // Each float sum of k terms is within k u of the sum of their absolute
  // values (u = 2^-24): the bounds are widened by that much.
  auto widen = [](double sum_abs, std::size_t terms) {
    return sum_abs * (1 + double(terms + 1) * 0x1p-24);
  };
  double x_max = 0;  // every input is a row of C
  for (const float v : p.C) x_max = std::max(x_max, double(std::fabs(v)));
  constexpr double kMax = std::numeric_limits<float>::max();
  double a_max = 0;
  for (std::size_t j = 0; j < sh.hidden; ++j) {
    double sum = std::fabs(double(p.b[j]));
    for (std::size_t i = 0; i < in; ++i) {
      sum += std::fabs(double(p.W[j * in + i])) * x_max;
    }
    a_max = std::max(a_max, widen(sum, in));
  }
  double hi = -kMax * 2, lo = kMax * 2;  // of the logits over all contexts
  for (std::size_t v = 0; v < sh.vocab; ++v) {
    double r = 0;  // |z_v - c_v| <= r: |tanh| <= 1
    for (std::size_t j = 0; j < sh.hidden; ++j) {
      r += std::fabs(double(p.U[v * sh.hidden + j]));
    }
    if (sh.direct) {
      for (std::size_t i = 0; i < in; ++i) {
        r += std::fabs(double(p.D[v * in + i])) * x_max;
      }
    }
    const double c = p.c[v];
    const double slack = widen(r + std::fabs(c), sh.hidden + in) -
                         (r + std::fabs(c));  // rounding room
    hi = std::max(hi, c + r + slack);
    lo = std::min(lo, c - r - slack);
  }
  char bound[200];
  if (!(a_max <= kMax)) {
    std::snprintf(bound, sizeof bound, "hidden preactivations up to %.3g",
                  a_max);
  } else if (!(hi <= kMax && lo >= -kMax)) {
    std::snprintf(bound, sizeof bound, "logits from %.3g to %.3g", lo, hi);
  } else if (!(hi - lo <= kMax)) {
    std::snprintf(bound, sizeof bound,
                  "logits %.3g apart (the softmax subtracts the largest)",
                  hi - lo);
  } else {
    return;
  }
  throw std::runtime_error(
      what + ": the model's parameters overflow its forward pass: " + bound +
      ", beyond float's largest number 3.4e+38 (a corrupt or diverged "
      "model)");
}

std::uint64_t VocabularyHash(const std::vector<std::string>& words) {
  std::uint64_t h = 0xcbf29ce484222325ull;
  for (const std::string& w : words) {
    for (const char c : w)
      h = (h ^ static_cast<unsigned char>(c)) * 0x100000001b3ull;
    h = (h ^ 0xFF) * 0x100000001b3ull;  // word separator
  }
  return h;
}

void CheckVocabulary(const TrainState& state, const std::string& path,
                     std::uint64_t vocab_hash, std::size_t vocab_size) {
  if (state.vocab_hash != vocab_hash ||
      state.params.shape.vocab != vocab_size) {
    throw std::runtime_error(path + ": trained on another vocabulary");
  }
}

namespace {

constexpr char kMagic[8] = {'N', 'P', 'L', 'M', 'C', 'K', 'P', '3'};
// Limits checked before any size is computed from a header.
constexpr std::uint64_t kMaxVocab = 1u << 24, kMaxDim = 4096, kMaxHidden = 8192,
                        kMaxEpochs = 100000;
// Far above any model of the chapter (the book's is 31 MB).
constexpr std::uintmax_t kMaxCheckpointBytes = std::uintmax_t{4} << 30;

class Writer {
 public:
  template <class T>
  void Put(T v) {
    char b[sizeof(T)];
    std::memcpy(b, &v, sizeof(T));
    out_.append(b, sizeof(T));
  }
  std::string& str() { return out_; }

 private:
  std::string out_;
};

class Reader {
 public:
  Reader(std::string bytes, std::string path)
      : in_(std::move(bytes)), path_(std::move(path)) {}
  template <class T>
  T Get() {
    Need(sizeof(T));
    T v;
    std::memcpy(&v, in_.data() + at_, sizeof(T));
    at_ += sizeof(T);
    return v;
  }
  void Floats(std::span<float> v) {
    Need(v.size() * 4);
    std::memcpy(v.data(), in_.data() + at_, v.size() * 4);
    at_ += v.size() * 4;
    for (const float x : v) {
      if (!std::isfinite(x)) Fail("holds a non-finite parameter");
    }
  }
  // A yes/no byte: anything but 0 or 1 is a corrupt file, not "yes" (a
  // re-save would not reproduce it).
  bool Flag() {
    const auto b = Get<std::uint8_t>();
    if (b > 1) Fail("a flag byte that is neither 0 nor 1");
    return b == 1;
  }
  std::size_t Left() const { return in_.size() - at_; }
  [[noreturn]] void Fail(const std::string& what) const {
    throw std::runtime_error(path_ + ": " + what);
  }

 private:
  void Need(std::size_t bytes) const {
    if (bytes > Left()) Fail("truncated (not a complete checkpoint)");
  }
  std::string in_;
  std::string path_;
  std::size_t at_ = 0;
};

}  // namespace

void SaveCheckpoint(const TrainState& s, const std::string& path) {
  SaveCheckpoints(s, {path});
}

void SaveCheckpoints(const TrainState& s,
                     const std::vector<std::string>& paths) {
  Writer w;
  w.str().append(kMagic, sizeof kMagic);
  const NplmShape& sh = s.params.shape;
  w.Put<std::uint64_t>(sh.vocab);
  w.Put<std::uint64_t>(sh.context);
  w.Put<std::uint64_t>(sh.dim);
  w.Put<std::uint64_t>(sh.hidden);
  w.Put<std::uint8_t>(sh.direct);
  const TrainConfig& c = s.config;
  w.Put<std::uint64_t>(c.batch);
  w.Put<std::uint8_t>(c.optimizer == "sgd");
  w.Put<double>(c.lr);
  w.Put<double>(c.lr_decay);
  w.Put<double>(c.clip);
  w.Put<std::uint8_t>(c.freeze_embeddings);
  w.Put<double>(c.dropout);
  w.Put<double>(c.weight_decay);
  w.Put<std::uint32_t>(static_cast<std::uint32_t>(c.epochs));
  w.Put<std::uint32_t>(static_cast<std::uint32_t>(c.patience));
  w.Put<std::uint64_t>(c.seed);
  w.Put<std::uint64_t>(s.step);
  w.Put<std::uint64_t>(s.vocab_hash);
  w.Put<std::uint32_t>(static_cast<std::uint32_t>(s.history.size()));
  for (const EpochStats& e : s.history) {
    w.Put<std::int32_t>(e.epoch);
    w.Put<double>(e.train_ppl);
    w.Put<double>(e.valid_ppl);
    w.Put<double>(e.seconds);
    w.Put<double>(e.tokens_per_s);
    w.Put<double>(e.output_gemm_s);
    w.Put<double>(e.softmax_s);
    w.Put<double>(e.forward_backward_s);
    w.Put<double>(e.output_gflops);
  }
  // The header, then the parameters streamed block by block: no second copy
  // of the model in memory.
  std::vector<chapters::AtomicFile> files;
  for (const std::string& path : paths) {
    files.emplace_back(path);
    files.back().Write(w.str());
  }
  for (const NplmParams<float>* p : {&s.params, &s.adam_m, &s.adam_v}) {
    auto& q = const_cast<NplmParams<float>&>(*p);
    for (auto& blk : q.Blocks()) {
      // Little-endian floats, as the host stores them.
      const std::string_view bytes(
          reinterpret_cast<const char*>(blk.values.data()),
          blk.values.size() * sizeof(float));
      for (auto& f : files) f.Write(bytes);
    }
  }
  chapters::CommitTogether(files);
}

namespace {

NplmShape ReadShape(Reader& r) {
  NplmShape sh;
  sh.vocab = r.Get<std::uint64_t>();
  sh.context = r.Get<std::uint64_t>();
  sh.dim = r.Get<std::uint64_t>();
  sh.hidden = r.Get<std::uint64_t>();
  sh.direct = r.Flag();
  if (sh.vocab < 3 || sh.vocab > kMaxVocab || sh.context < 1 ||
      sh.context > 4 || sh.dim < 1 || sh.dim > kMaxDim || sh.hidden < 1 ||
      sh.hidden > kMaxHidden) {
    r.Fail("impossible model shape in the header");
  }
  // A header that lies about the shape is caught here, before the three
  // parameter tables (weights, Adam's m and v) are allocated.
  if (3 * 4 * sh.Parameters() > r.Left()) {
    r.Fail("the header's shape needs " +
           std::to_string(3 * 4 * sh.Parameters()) +
           " bytes of parameters, more than the file holds");
  }
  return sh;
}

TrainConfig ReadConfig(Reader& r) {
  TrainConfig c;
  c.batch = r.Get<std::uint64_t>();
  c.optimizer = r.Flag() ? "sgd" : "adam";
  c.lr = r.Get<double>();
  c.lr_decay = r.Get<double>();
  c.clip = r.Get<double>();
  c.freeze_embeddings = r.Flag();
  c.dropout = r.Get<double>();
  c.weight_decay = r.Get<double>();
  const std::uint32_t epochs = r.Get<std::uint32_t>();
  const std::uint32_t patience = r.Get<std::uint32_t>();
  c.seed = r.Get<std::uint64_t>();
  if (c.batch < 1 || c.batch > (1u << 20) || !(c.lr > 0) ||
      !std::isfinite(c.lr) || !(c.lr_decay >= 0) || !(c.clip >= 0) ||
      !(c.dropout >= 0 && c.dropout < 1) ||
      !(c.weight_decay >= 0 && c.weight_decay <= 1e6) || epochs > kMaxEpochs ||
      patience > kMaxEpochs) {
    r.Fail("impossible training configuration in the header");
  }
  c.epochs = static_cast<int>(epochs);
  c.patience = static_cast<int>(patience);
  return c;
}

std::vector<EpochStats> ReadHistory(Reader& r) {
  const std::uint32_t done = r.Get<std::uint32_t>();
  constexpr std::uint64_t kEpochBytes = 4 + 8 * 8;
  if (done > kMaxEpochs || done * kEpochBytes > r.Left()) {
    r.Fail("the epoch history is longer than the file");
  }
  std::vector<EpochStats> history;
  for (std::uint32_t e = 0; e < done; ++e) {
    EpochStats st;
    st.epoch = r.Get<std::int32_t>();
    st.train_ppl = r.Get<double>();
    st.valid_ppl = r.Get<double>();
    st.seconds = r.Get<double>();
    st.tokens_per_s = r.Get<double>();
    st.output_gemm_s = r.Get<double>();
    st.softmax_s = r.Get<double>();
    st.forward_backward_s = r.Get<double>();
    st.output_gflops = r.Get<double>();
    // The tools print the history: a NaN there would be printed as a
    // result (found by fuzz_lm_checkpoint).
    for (const double v : {st.train_ppl, st.valid_ppl, st.seconds,
                           st.tokens_per_s, st.output_gemm_s, st.softmax_s,
                           st.forward_backward_s, st.output_gflops}) {
      if (!std::isfinite(v)) r.Fail("a non-finite number in the epoch history");
    }
    history.push_back(st);
  }
  return history;
}

}  // namespace

TrainState LoadCheckpoint(const std::string& path,
                          const chapters::MemoryBudget* budget) {
  // The file's bytes and the state they become, both in memory at once.
  std::error_code ec;
  const auto size = std::filesystem::is_regular_file(path, ec)
                        ? std::filesystem::file_size(path, ec)
                        : 0;
  if (!ec && size <= kMaxCheckpointBytes) {
    chapters::RequireMemory(2 * size, "the model " + path,
                            budget ? *budget : chapters::AvailableMemory());
  }
  // Bounded: a device (/dev/urandom) or a huge file is refused, not read.
  Reader r(chapters::ReadFileBounded(path, kMaxCheckpointBytes), path);
  char magic[8];
  for (char& ch : magic) ch = r.Get<char>();
  if (std::memcmp(magic, kMagic, 8) != 0) r.Fail("not an nplm checkpoint");
  const NplmShape sh = ReadShape(r);
  const TrainConfig c = ReadConfig(r);
  TrainState s(sh);
  s.config = c;
  s.step = r.Get<std::uint64_t>();
  s.vocab_hash = r.Get<std::uint64_t>();
  s.history = ReadHistory(r);
  const std::uint64_t floats = 3ull * s.params.Size();
  if (r.Left() != floats * 4) {
    r.Fail("holds " + std::to_string(r.Left()) +
           " bytes of parameters, the "
           "header's shape needs " +
           std::to_string(floats * 4));
  }
  for (NplmParams<float>* p : {&s.params, &s.adam_m, &s.adam_v}) {
    for (auto& blk : p->Blocks()) r.Floats(blk.values);
  }
  CheckForwardPass(s.params, path);
  return s;
}

}  // namespace ffnn::ch04
