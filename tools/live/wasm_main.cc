// The WebAssembly module's one export: the page's live.js passes a request
// and reads the response (tools/live/live.h), both JSON text.
#include <emscripten/emscripten.h>

#include <string>

#include "tools/live/live.h"

extern "C" {

// The response stays valid until the next call (the page copies it out
// with UTF8ToString at once).
EMSCRIPTEN_KEEPALIVE const char* ffnn_live_call(const char* request) {
  static std::string response;
  response = ffnn::live::Call(request ? request : "");
  return response.c_str();
}

}  // extern "C"
