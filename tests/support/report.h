// Reading a chapter target's report in the tests.
#ifndef FFNN_TESTS_SUPPORT_REPORT_H_
#define FFNN_TESTS_SUPPORT_REPORT_H_

#include <boost/test/unit_test.hpp>
#include <string>

#include "chapters/common/worked.h"

namespace ffnn::testing {

// The computed value of quantity `name` of example `id`; fails the test if
// there is none.
inline double Quantity(const chapters::Report& r, const std::string& id,
                       const std::string& name) {
  for (const auto& e : r.examples()) {
    if (e.id != id) continue;
    for (const auto& q : e.quantities) {
      if (q.name == name) return q.computed;
    }
  }
  BOOST_FAIL("no quantity '" << name << "' in " << id);
  return 0;
}

}  // namespace ffnn::testing

#endif  // FFNN_TESTS_SUPPORT_REPORT_H_
