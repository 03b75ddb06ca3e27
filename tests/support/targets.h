// Runs a test body once per Highway target compiled into the binary and
// supported by this CPU, with dispatch forced to that target.
#ifndef FFNN_TESTS_SUPPORT_TARGETS_H_
#define FFNN_TESTS_SUPPORT_TARGETS_H_

#include <boost/test/unit_test.hpp>
#include <cstdint>

#include "hwy/highway.h"
#include "hwy/targets.h"

namespace ffnn::testing {

template <class F>
void ForEachTarget(const F& body) {
  const auto targets = hwy::SupportedAndGeneratedTargets();
  BOOST_REQUIRE(!targets.empty());
  for (const int64_t target : targets) {
    hwy::SetSupportedTargetsForTest(target);
    BOOST_TEST_CONTEXT("Highway target " << hwy::TargetName(target)) {
      body(target);
    }
  }
  hwy::SetSupportedTargetsForTest(0);  // back to the best target
}

}  // namespace ffnn::testing

#endif  // FFNN_TESTS_SUPPORT_TARGETS_H_
