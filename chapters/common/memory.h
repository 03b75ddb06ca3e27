// Memory a run needs, checked before anything large is allocated: a
// trainer computes its need from the options and the vocabulary and
// refuses, in words, what cannot fit ("needs 7.9 GiB for 50,000 x 4,096
// vectors and their scratch; 3.1 GiB free"), instead of failing with
// std::bad_alloc halfway, or being killed by the kernel.
#ifndef FFNN_CHAPTERS_COMMON_MEMORY_H_
#define FFNN_CHAPTERS_COMMON_MEMORY_H_

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace ffnn::chapters {

struct MemoryError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// What a run may use, and what sets it, for the refusal's message.
struct MemoryBudget {
  std::uint64_t bytes = 0;
  std::string source;  // "free", "the --max-memory limit", ...
};

// The memory this process can still take: the smallest of the system's
// available memory (MemAvailable), the cgroup's limit less its usage, and
// the address-space and data limits (ulimit -v, -d) less what the process
// already maps; `limit`, if given (a tool's --max-memory), caps it.
MemoryBudget AvailableMemory(std::optional<std::uint64_t> limit = {},
                             const std::string& limit_source = "--max-memory");

// The --max-memory option of the trainers: its help, and the budget its
// text (empty: not given) sets, capped by AvailableMemory.
inline constexpr const char* kMaxMemoryHelp =
    "refuse to start a run that needs more memory than this (e.g. 512M, 4G; "
    "default: what the machine has free)";
MemoryBudget BudgetFromOption(const std::string& max_memory);

// Throws MemoryError "needs <need> for <what>; <budget> <source>" when need
// exceeds the budget.
void RequireMemory(std::uint64_t need, const std::string& what,
                   const MemoryBudget& budget);

// A byte count for people: "512 bytes", "3.0 KiB", "7.9 GiB".
std::string FormatBytes(std::uint64_t bytes);

// An integer with thousands separators: "50,000".
std::string Grouped(std::uint64_t n);

// Parses a size: a number (integer or decimal) with an optional unit K, M,
// G or T (powers of 1024; "KiB", "MB" and "k" spellings too, all binary), or
// bytes without one: "512M", "1.5G", "4096". Throws std::invalid_argument
// "<where>: ..." for anything else, zero, or more than 2^62 bytes.
std::uint64_t ParseBytes(std::string_view text, const std::string& where);

}  // namespace ffnn::chapters

#endif  // FFNN_CHAPTERS_COMMON_MEMORY_H_
