#include "chapters/common/memory.h"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <limits>
#include <sstream>

namespace ffnn::chapters {
namespace {

constexpr std::uint64_t kUnknown = std::numeric_limits<std::uint64_t>::max();

// A "Key:   123 kB" line of /proc/meminfo, in bytes.
std::uint64_t MemInfo(const std::string& key) {
  std::ifstream in("/proc/meminfo");
  std::string name, unit;
  std::uint64_t value = 0;
  while (in >> name >> value) {
    std::getline(in, unit);
    if (name == key + ":") return value * 1024;
  }
  return kUnknown;
}

std::uint64_t ReadNumber(const std::string& path) {
  std::ifstream in(path);
  std::string text;
  if (!(in >> text) || text.empty() ||
      text.find_first_not_of("0123456789") != std::string::npos) {
    return kUnknown;  // missing, or "max"
  }
  return std::stoull(text);
}

// The cgroup (v2) limit less the group's usage.
std::uint64_t CgroupFree() {
  std::ifstream in("/proc/self/cgroup");
  std::string line, group;
  while (std::getline(in, line)) {
    if (line.rfind("0::", 0) == 0) group = line.substr(3);
  }
  for (const std::string& dir :
       {"/sys/fs/cgroup" + group, std::string("/sys/fs/cgroup")}) {
    const std::uint64_t max = ReadNumber(dir + "/memory.max");
    const std::uint64_t used = ReadNumber(dir + "/memory.current");
    if (max != kUnknown && used != kUnknown) {
      return max > used ? max - used : 0;
    }
  }
  return kUnknown;
}

// A resource limit less the process's current use of it (pages of
// /proc/self/statm: field 0 the address space, field 5 data and stack).
std::uint64_t LimitFree(int resource, int statm_field) {
  struct rlimit rl;
  if (::getrlimit(resource, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY) {
    return kUnknown;
  }
  std::ifstream in("/proc/self/statm");
  std::uint64_t pages = 0, field = 0;
  for (int i = 0; i <= statm_field && in >> field; ++i) pages = field;
  const std::uint64_t used =
      pages * static_cast<std::uint64_t>(::sysconf(_SC_PAGESIZE));
  return rl.rlim_cur > used ? rl.rlim_cur - used : 0;
}

}  // namespace

MemoryBudget AvailableMemory(std::optional<std::uint64_t> limit,
                             const std::string& limit_source) {
  MemoryBudget b{kUnknown, "free"};
  auto consider = [&](std::uint64_t bytes, const std::string& source) {
    if (bytes < b.bytes) b = {bytes, source};
  };
  consider(MemInfo("MemAvailable"), "free");
  consider(CgroupFree(), "free in this control group");
  consider(LimitFree(RLIMIT_AS, 0), "left under the address-space limit");
  consider(LimitFree(RLIMIT_DATA, 5), "left under the data-size limit");
  if (limit) consider(*limit, "is the " + limit_source + " limit");
  return b;
}

MemoryBudget BudgetFromOption(const std::string& max_memory) {
  return AvailableMemory(max_memory.empty() ? std::nullopt
                                            : std::optional(ParseBytes(
                                                  max_memory, "--max-memory")));
}

void RequireMemory(std::uint64_t need, const std::string& what,
                   const MemoryBudget& budget) {
  if (budget.bytes == kUnknown || need <= budget.bytes) return;
  throw MemoryError("needs " + FormatBytes(need) + " for " + what + "; " +
                    FormatBytes(budget.bytes) + " " + budget.source);
}

std::string FormatBytes(std::uint64_t bytes) {
  if (bytes < 1024) {
    return std::to_string(bytes) + (bytes == 1 ? " byte" : " bytes");
  }
  const char* const units[] = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  double v = double(bytes) / 1024;
  int u = 0;
  while (v >= 1024 && u < 5) v /= 1024, ++u;
  char buf[32];
  std::snprintf(buf, sizeof buf, v < 100 ? "%.1f %s" : "%.0f %s", v, units[u]);
  return buf;
}

std::string Grouped(std::uint64_t n) {
  std::string digits = std::to_string(n), out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::uint64_t ParseBytes(std::string_view text, const std::string& where) {
  const std::string why = where + ": '" + std::string(text) +
                          "' is not a size (a number with an optional K, M, "
                          "G or T, e.g. 512M or 1.5G)";
  std::size_t at = 0;
  while (at < text.size() &&
         ((text[at] >= '0' && text[at] <= '9') || text[at] == '.')) {
    ++at;
  }
  const std::string number(text.substr(0, at));
  std::string unit(text.substr(at));
  if (number.empty() || number == "." || number.size() > 30 ||
      std::count(number.begin(), number.end(), '.') > 1) {
    throw std::invalid_argument(why);
  }
  for (char& c : unit) c = static_cast<char>(std::toupper(c));
  for (const char* suffix : {"IB", "B"}) {
    const std::string s(suffix);
    if (unit.size() > s.size() && unit.ends_with(s)) {
      unit.resize(unit.size() - s.size());
      break;
    }
  }
  double scale = 1;
  if (unit == "K") {
    scale = 1024.0;
  } else if (unit == "M") {
    scale = 1024.0 * 1024;
  } else if (unit == "G") {
    scale = 1024.0 * 1024 * 1024;
  } else if (unit == "T") {
    scale = 1024.0 * 1024 * 1024 * 1024;
  } else if (!unit.empty() && unit != "B") {
    throw std::invalid_argument(why);
  }
  const double bytes = std::stod(number) * scale;
  if (!(bytes >= 1) || bytes > std::ldexp(1.0, 62)) {
    throw std::invalid_argument(where + ": '" + std::string(text) +
                                "' is not a size from 1 byte to 4 EiB");
  }
  return static_cast<std::uint64_t>(bytes);
}

}  // namespace ffnn::chapters
