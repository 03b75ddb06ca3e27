// The last-resort error handler of every tool: whatever escapes, the user
// reads one line "<tool>: error: <what>" that names the cause and what the
// tool was doing, never an internal exception name (std::bad_alloc,
// vector::_M_default_append, [json.exception...]).
#ifndef FFNN_CHAPTERS_COMMON_ERRORS_H_
#define FFNN_CHAPTERS_COMMON_ERRORS_H_

#include <exception>
#include <stdexcept>
#include <string>
#include <string_view>

namespace ffnn::chapters {

// Thrown for unreadable or invalid input (a file, a corpus, a vocabulary);
// what() is one line naming the file. The tools print it and exit 2.
struct InputError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Thrown by every training loop whose loss stops being a number or
// explodes; what() names the step or epoch and the learning rate. The tools
// print it and exit 1: the input was valid, the run failed.
struct TrainingDiverged : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// What the tool is doing now ("reading the training text", "training"),
// set by its main at each stage, for messages that would otherwise say
// nothing (out of memory, an internal error).
void SetActivity(std::string what);
const std::string& Activity();

// The message for an exception: the what() of the project's own errors
// (they name their file, option or value), and for the standard library's
// "out of memory while <activity>", "<path>: <reason>" for a file system
// error, "internal error while <activity>" for a broken invariant (with no
// library-internal text). Never empty.
std::string Describe(const std::exception_ptr& error);

// nlohmann's messages name the exception ("[json.exception.parse_error.101]
// parse error at line 1, column 2: ..."): the text without that tag,
// wherever it stands in `what`.
std::string WithoutJsonPrefix(std::string_view what);

// Prints the exception's one line and returns the exit status (the tools'
// convention): 1 for a diverged training (TrainingDiverged: the input was
// valid, the run failed) and for an exercise a student pack has not done
// yet (ExerciseNotDone), 2 for bad input, usage and everything the
// machine cannot do (memory, files). Failed checks (also 1) the tools
// report themselves.
int ReportError(std::string_view tool, const std::exception_ptr& error);

}  // namespace ffnn::chapters

#endif  // FFNN_CHAPTERS_COMMON_ERRORS_H_
