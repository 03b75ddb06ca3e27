// The chapters' activation type and the Eigen twin's are separate types
// (the oracle must not depend on the code it checks): tests convert by
// name, so a new activation missing from either side fails loudly.
#ifndef FFNN_TESTS_SUPPORT_ACTIVATION_H_
#define FFNN_TESTS_SUPPORT_ACTIVATION_H_

#include "chapters/02_mlp/mlp.h"
#include "reference/mlp.h"

namespace ffnn::testing {

inline reference::Activation ToReference(ch02::Activation g) {
  return reference::ParseActivation(ch02::ActivationName(g));
}

}  // namespace ffnn::testing

#endif  // FFNN_TESTS_SUPPORT_ACTIVATION_H_
