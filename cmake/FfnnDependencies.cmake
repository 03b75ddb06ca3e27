# Every dependency comes from the distribution (scripts/setup.sh installs it);
# nothing is downloaded at configure, build or run time.
find_package(Eigen3 3.4 REQUIRED NO_MODULE)
find_package(hwy REQUIRED)  # Google Highway 1.0.3: hwy::hwy, hwy::hwy_contrib
find_package(Threads REQUIRED)

if(FFNN_BUILD_TESTS)
  find_package(Boost 1.74 REQUIRED COMPONENTS unit_test_framework)
endif()
if(FFNN_BUILD_BENCH)
  find_package(benchmark REQUIRED)
endif()

# The chapters: JSON output (--json, nn-trace specs) and command-line options.
find_package(nlohmann_json 3 REQUIRED)
find_package(CLI11 REQUIRED)
