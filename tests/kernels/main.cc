// The kernel test executable: differential (kernels vs reference/ on every
// Highway target), gradient checks, AutoDiff checks, and shape errors.
#define BOOST_TEST_MODULE ffnn_kernels
#include <boost/test/unit_test.hpp>
