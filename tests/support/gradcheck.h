// The tests' finite-difference gradient checker: the one in
// chapters/common/gradcheck.h, which the chapter targets use too.
#ifndef FFNN_TESTS_SUPPORT_GRADCHECK_H_
#define FFNN_TESTS_SUPPORT_GRADCHECK_H_

#include "chapters/common/gradcheck.h"

namespace ffnn::testing {
using gradcheck::CheckGradient;
using gradcheck::GradCheckResult;
using gradcheck::NumericGradient;
}  // namespace ffnn::testing

#endif  // FFNN_TESTS_SUPPORT_GRADCHECK_H_
