// The thread pool behind ParallelFor: workers are started on first use (as
// many as the largest thread count asked for, less the caller) and sleep on a
// condition variable between parallel loops.
#include "kernels/parallel.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace ffnn::kernels {
namespace {

thread_local bool tls_in_parallel = false;

// How long an idle worker (and a caller waiting for the last task) spins
// before sleeping: waking a sleeping thread costs tens of microseconds on a
// virtual machine, longer than a whole small gemm, and the kernels of one
// training step follow each other closely.
constexpr auto kSpin = std::chrono::microseconds(200);

inline void CpuRelax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#endif
}

// Spins until pred() or kSpin has passed; returns pred().
template <class Pred>
bool SpinUntil(const Pred& pred) {
  const auto deadline = std::chrono::steady_clock::now() + kSpin;
  for (unsigned i = 1;; ++i) {
    if (pred()) return true;
    CpuRelax();
    if (i % 64 == 0 && std::chrono::steady_clock::now() > deadline) {
      return pred();
    }
  }
}

// A parallel loop is a generation number g and a ticket counter
// (g << 32 | next task index): a thread takes task i by advancing the
// counter from (g, i) to (g, i + 1), so a worker that wakes late, after its
// loop has finished, can never take a task of the next one. The caller runs
// tasks too and returns once `done_` counts every task, without waiting for
// workers that were too slow to get one.
class Pool {
 public:
  ~Pool() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_.store(true);
    }
    wake_.notify_all();
    for (auto& w : workers_) w.join();
  }

  void Run(int threads, std::size_t tasks,
           const std::function<void(std::size_t)>& task) {
    std::unique_lock<std::mutex> run_lock(run_mu_, std::try_to_lock);
    if (threads <= 1 || tasks <= 1 || tls_in_parallel || !run_lock) {
      for (std::size_t i = 0; i < tasks; ++i) task(i);
      return;
    }
    Grow(static_cast<std::size_t>(threads) - 1);
    const std::uint64_t g = ++generation_;
    // The new generation's ticket first: it closes the previous loop's
    // (exhausted) ticket, so a worker that wakes late from that loop cannot
    // take a task of this one with it once tasks_ grows.
    ticket_.store(g << 32);
    task_ = &task;
    tasks_.store(tasks);
    done_.store(0);
    error_ = nullptr;
    {
      std::lock_guard<std::mutex> lock(mu_);
      current_.store(g);
    }
    wake_.notify_all();
    Work(g);
    if (!SpinUntil([&] { return done_.load() == tasks; })) {
      std::unique_lock<std::mutex> lock(mu_);
      finished_.wait(lock, [&] { return done_.load() == tasks; });
    }
    task_ = nullptr;
    if (error_) std::rethrow_exception(error_);
  }

 private:
  void Grow(std::size_t n) {
    while (workers_.size() < n) {
      workers_.emplace_back([this] { Loop(); });
    }
  }

  // Takes tasks of loop g until none are left.
  void Work(std::uint64_t g) {
    tls_in_parallel = true;
    std::uint64_t t = ticket_.load();
    for (;;) {
      if ((t >> 32) != g || (t & 0xffffffffu) >= tasks_) break;
      if (!ticket_.compare_exchange_weak(t, t + 1)) continue;
      try {
        (*task_)(static_cast<std::size_t>(t & 0xffffffffu));
      } catch (...) {
        std::lock_guard<std::mutex> lock(mu_);
        if (!error_) error_ = std::current_exception();
      }
      if (done_.fetch_add(1) + 1 == tasks_) {
        std::lock_guard<std::mutex> lock(mu_);
        finished_.notify_one();
      }
      t = ticket_.load();
    }
    tls_in_parallel = false;
  }

  void Loop() {
    std::uint64_t seen = 0;
    for (;;) {
      auto fresh = [&] { return stop_.load() || current_.load() != seen; };
      if (!SpinUntil(fresh)) {
        std::unique_lock<std::mutex> lock(mu_);
        wake_.wait(lock, fresh);
      }
      if (stop_.load()) return;
      seen = current_.load();
      Work(seen);
    }
  }

  std::mutex run_mu_;  // one parallel loop at a time
  std::mutex mu_;
  std::condition_variable wake_, finished_;
  std::vector<std::thread> workers_;
  std::uint64_t generation_ = 0;  // written by the caller holding run_mu_
  std::atomic<std::uint64_t> current_{0};
  std::atomic<std::uint64_t> ticket_{0};
  std::atomic<std::size_t> done_{0};
  const std::function<void(std::size_t)>* task_ = nullptr;
  // Atomic because a worker that read an old ticket may read it while the
  // next loop sets it (its compare-exchange then fails).
  std::atomic<std::size_t> tasks_{0};
  std::atomic<bool> stop_{false};
  std::exception_ptr error_;
};

Pool& ThePool() {
  static Pool pool;
  return pool;
}

}  // namespace

void CheckThreads(const char* op, int threads) {
  if (threads < 1) {
    throw std::invalid_argument(std::string(op) +
                                ": threads must be >= 1, got " +
                                std::to_string(threads));
  }
}

void ParallelFor(int threads, std::size_t tasks,
                 const std::function<void(std::size_t)>& task) {
  CheckThreads("ParallelFor", threads);
  ThePool().Run(threads, tasks, task);
}

Range BlockRange(std::size_t n, std::size_t blocks, std::size_t b,
                 std::size_t align) {
  const std::size_t units = (n + align - 1) / align;
  const std::size_t per = units / blocks, extra = units % blocks;
  const std::size_t u0 = b * per + std::min(b, extra);
  const std::size_t u1 = u0 + per + (b < extra ? 1 : 0);
  return {std::min(n, u0 * align), std::min(n, u1 * align)};
}

}  // namespace ffnn::kernels
