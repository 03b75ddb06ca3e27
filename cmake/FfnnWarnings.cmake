# ffnn_warnings: an interface target every project target links, so that the
# whole tree is compiled with the same strict warnings.
add_library(ffnn_warnings INTERFACE)
target_compile_options(ffnn_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wno-psabi
  # GCC 12 false positive on std::string concatenation (GCC PR 105651).
  $<$<CXX_COMPILER_ID:GNU>:-Wno-restrict>)
