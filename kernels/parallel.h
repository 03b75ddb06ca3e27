// A small persistent thread pool for the kernels that run on several cores
// (gemm and the row-wise softmax family).
//
// Determinism contract: the threaded kernels split their output into blocks
// of rows or columns, never a reduction, and every element is computed by
// the same sequence of operations whichever block (and thread) it falls in,
// so their results are bit-identical for every thread count.
#ifndef FFNN_KERNELS_PARALLEL_H_
#define FFNN_KERNELS_PARALLEL_H_

#include <cstddef>
#include <functional>

namespace ffnn::kernels {

// Runs task(i) for every i in [0, tasks) on up to `threads` threads (the
// calling thread is one of them) and returns when all have finished. Tasks
// must be independent. Calls from inside a task, or while another thread is
// running a parallel loop, run serially on the calling thread, so nesting
// cannot deadlock. The first exception thrown by a task is rethrown here.
// Throws std::invalid_argument if threads < 1.
void ParallelFor(int threads, std::size_t tasks,
                 const std::function<void(std::size_t)>& task);

// Throws std::invalid_argument "<op>: threads must be >= 1, got <t>".
void CheckThreads(const char* op, int threads);

// [begin, end) of block b when `n` items are split into `blocks` contiguous
// blocks whose boundaries are multiples of `align` (except the last end).
struct Range {
  std::size_t begin, end;
};
Range BlockRange(std::size_t n, std::size_t blocks, std::size_t b,
                 std::size_t align);

}  // namespace ffnn::kernels

#endif  // FFNN_KERNELS_PARALLEL_H_
