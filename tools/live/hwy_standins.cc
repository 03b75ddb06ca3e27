// Stand-ins for the three functions of libhwy's compiled part that the
// kernels reach in the WebAssembly build: Debian ships libhwy for x86 only,
// and with static dispatch (kernels/dispatch.h) nothing else of it is
// needed. Same contracts as hwy/base.h and hwy/aligned_allocator.h.
#include <cstdarg>
#include <cstdio>
#include <cstdlib>

#include "hwy/aligned_allocator.h"
#include "hwy/base.h"

namespace hwy {

HWY_NORETURN void HWY_FORMAT(3, 4)
    Abort(const char* file, int line, const char* format, ...) {
  char message[800];
  va_list args;
  va_start(args, format);
  std::vsnprintf(message, sizeof message, format, args);
  va_end(args);
  std::fprintf(stderr, "Abort at %s:%d: %s\n", file, line, message);
  std::abort();
}

// No custom allocators here (alloc_ptr and free_ptr are always null in the
// kernels), so plain aligned_alloc and free.
void* AllocateAlignedBytes(size_t payload_size, AllocPtr, void*) {
  const size_t rounded =
      (payload_size + HWY_ALIGNMENT - 1) / HWY_ALIGNMENT * HWY_ALIGNMENT;
  return std::aligned_alloc(HWY_ALIGNMENT,
                            rounded == 0 ? HWY_ALIGNMENT : rounded);
}

void FreeAlignedBytes(const void* aligned_pointer, FreePtr, void*) {
  std::free(const_cast<void*>(aligned_pointer));
}

}  // namespace hwy
