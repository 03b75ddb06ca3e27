// The book's live panels' one entry point (tools/live/live.h) on any bytes:
// Call never throws, always answers JSON with "ok", an error is one line,
// and a successful answer holds no non-finite number (JSON null).
#include <cstddef>
#include <cstdint>
#include <string>

#include "tests/fuzz/fuzz_support.h"
#include "tools/live/live.h"

namespace {

using json = nlohmann::ordered_json;

bool HasNull(const json& j) {
  if (j.is_null()) return true;
  if (j.is_structured()) {
    for (const json& e : j) {
      if (HasNull(e)) return true;
    }
  }
  return false;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  std::string response;
  try {
    response = ffnn::live::Call(ffnn::fuzz::Bytes(data, size));
  } catch (...) {
    ffnn::fuzz::Finding("Call threw");
  }
  const json r = json::parse(response, nullptr, false);
  ffnn::fuzz::Require(!r.is_discarded() && r.is_object(), "not JSON");
  ffnn::fuzz::Require(r.contains("ok") && r["ok"].is_boolean(), "no ok");
  if (r["ok"].get<bool>()) {
    ffnn::fuzz::Require(!HasNull(r["outputs"]), "a non-finite output");
  } else {
    const std::string error = r["error"];
    ffnn::fuzz::Require(!error.empty() && error.find('\n') == error.npos,
                        "not one error line");
  }
  return 0;
}
