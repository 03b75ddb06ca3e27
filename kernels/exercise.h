// The graded exercises' stub (docs/exercises.md, scripts/student_pack.sh).
//
// An exercise is a region of the real code between the comment lines
// "// BEGIN SOLUTION <id>" and "// END SOLUTION" (nbgrader's convention),
// with the prompt in the comment above it. The student pack replaces each
// region by one statement,
//   throw ffnn::ExerciseNotDone("ch02.3.softmax",
//                               "exercise 2.3 (stable softmax) is not done
//                               yet");
// so an unsolved exercise fails clearly wherever it is reached: the grader
// names it (and, for an exercise that only failed because it calls an
// unsolved earlier one, that one), the chapter targets leave out the
// examples that need it and list it, the tools print it as their error.
//
// It lives in kernels/, the bottom layer, because one exercise is a kernel
// and every layer above may throw it; it is header-only so that no library
// has to link anything for it.
#ifndef FFNN_KERNELS_EXERCISE_H_
#define FFNN_KERNELS_EXERCISE_H_

#include <stdexcept>
#include <string>

namespace ffnn {

class ExerciseNotDone : public std::logic_error {
 public:
  ExerciseNotDone(const char* id, const char* message)
      : std::logic_error(message), id_(id) {}
  // The exercise's id, e.g. "ch02.3.softmax".
  const std::string& id() const { return id_; }

 private:
  std::string id_;
};

}  // namespace ffnn

#endif  // FFNN_KERNELS_EXERCISE_H_
