// nn-trace's whole path after its options: the spec's text, parsed and
// checked, the network solved, the answer formatted as JSON, Markdown and
// LaTeX. On success no output may hold a non-finite number.
#include <cstddef>
#include <cstdint>
#include <regex>
#include <string>
#include <tuple>

#include "chapters/03_backprop/nn_trace.h"
#include "tests/fuzz/fuzz_support.h"

namespace {

// "nan", "inf", "-inf" or "null" (how JSON prints NaN) as a whole token.
bool HasNonFiniteToken(const std::string& text) {
  static const std::regex kToken(
      R"((^|[^A-Za-z_])(nan|inf|null)([^A-Za-z_]|$))", std::regex::icase);
  return std::regex_search(text, kToken);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  const std::string_view text = ffnn::fuzz::Bytes(data, size);
  ffnn::fuzz::Refusing([&] {
    const std::string json = ffnn::ch03::TraceSpecText(text, "json", -1, 0);
    ffnn::fuzz::Require(!HasNonFiniteToken(json), "non-finite JSON answer");
    // The same spec must then format in the other two ways, rounded and in
    // other log bases (2 and 10 change every cross-entropy).
    for (const auto& [format, decimals, base] :
         {std::tuple{"markdown", 3, 2.0}, {"latex", -1, 10.0}}) {
      const std::string out =
          ffnn::ch03::TraceSpecText(text, format, decimals, base);
      ffnn::fuzz::Require(!HasNonFiniteToken(out),
                          std::string("non-finite ") + format + " answer");
    }
  });
  return 0;
}
