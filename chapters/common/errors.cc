#include "chapters/common/errors.h"

#include <filesystem>
#include <functional>
#include <future>
#include <new>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <system_error>
#include <typeinfo>
#include <variant>

#include "chapters/common/cli.h"
#include "kernels/exercise.h"

namespace ffnn::chapters {
namespace {

std::string& ActivityText() {
  static std::string activity = "starting";
  return activity;
}

std::string While() { return " while " + ActivityText(); }

}  // namespace

std::string WithoutJsonPrefix(std::string_view what) {
  std::string out(what);
  for (std::size_t at;
       (at = out.find("[json.exception.")) != std::string::npos;) {
    const std::size_t close = out.find("] ", at);
    if (close == std::string::npos) break;
    out.erase(at, close + 2 - at);
  }
  return out;
}

void SetActivity(std::string what) { ActivityText() = std::move(what); }
const std::string& Activity() { return ActivityText(); }

std::string Describe(const std::exception_ptr& error) {
  try {
    std::rethrow_exception(error);
  } catch (const std::bad_alloc&) {  // bad_array_new_length too
    return "out of memory" + While();
  } catch (const std::length_error&) {  // a size past what can be allocated
    return "out of memory" + While() + " (a size beyond any allocation)";
  } catch (const std::filesystem::filesystem_error& e) {
    std::string what = e.path1().string();
    if (!e.path2().empty()) what += ", " + e.path2().string();
    return (what.empty() ? Activity() : what) + ": " + e.code().message();
  } catch (const nlohmann::json::exception& e) {
    return "invalid JSON" + While() + ": " + WithoutJsonPrefix(e.what());
  } catch (const std::future_error& e) {
    return "internal error" + While() + " (a thread failed)";
  } catch (const std::system_error& e) {  // threads, files
    return e.code().message() + While();
  } catch (const std::out_of_range&) {  // .at(): an index the code missed
    return "internal error" + While() + " (an index out of range)";
  } catch (const std::bad_function_call&) {
    return "internal error" + While() + " (an empty function)";
  } catch (const std::bad_optional_access&) {
    return "internal error" + While() + " (a missing value)";
  } catch (const std::bad_variant_access&) {
    return "internal error" + While() + " (a wrong variant)";
  } catch (const std::bad_cast&) {
    return "internal error" + While() + " (a bad cast)";
  } catch (const std::exception& e) {
    // The project's own errors (runtime_error, invalid_argument, and their
    // kinds) name their cause.
    const std::string what = e.what();
    return what.empty() ? "error" + While() : what;
  } catch (...) {
    return "internal error" + While();
  }
}

int ReportError(std::string_view tool, const std::exception_ptr& error) {
  PrintError(tool, Describe(error));
  try {
    std::rethrow_exception(error);
  } catch (const TrainingDiverged&) {  // valid input, a failed run
    return 1;
  } catch (const ExerciseNotDone&) {  // a student pack's open exercise
    return 1;
  } catch (...) {
    return 2;
  }
}

}  // namespace ffnn::chapters
