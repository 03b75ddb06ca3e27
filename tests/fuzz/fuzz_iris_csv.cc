// Chapter 3's Iris path: iris.csv read by LoadIris, split and z-scored by
// SplitIris, then one epoch of Adam on a 4-8-3 network. On success every
// split value and the test loss are finite (or training says it diverged).
#include <cstddef>
#include <cstdint>
#include <string>

#include "chapters/03_backprop/optimizers.h"
#include "chapters/common/iris.h"
#include "tests/fuzz/fuzz_support.h"

namespace {

void RequireFinite(const ffnn::chapters::Matrix& m, const char* what) {
  for (std::size_t i = 0; i < m.rows; ++i) {
    for (std::size_t j = 0; j < m.cols; ++j) {
      ffnn::fuzz::RequireFinite(m(i, j), what);
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  using namespace ffnn;
  const std::string path =
      fuzz::ScratchFile("iris.csv", fuzz::Bytes(data, size));
  fuzz::Refusing([&] {
    const chapters::IrisData iris = chapters::LoadIris(path);
    fuzz::Require(iris.X.rows == iris.labels.size() &&
                      iris.X.cols == chapters::kIrisFeatures &&
                      iris.class_names.size() == chapters::kIrisClasses,
                  "LoadIris: inconsistent shapes");
    RequireFinite(iris.X, "LoadIris: X");
    const ch03::IrisSplit split = ch03::SplitIris(fuzz::ScratchDir().string());
    RequireFinite(split.X_train, "SplitIris: X_train");
    RequireFinite(split.X_test, "SplitIris: X_test");
    ch03::TrainConfig config;
    config.optimizer = ch03::Optimizer::kAdam;
    config.lr = 0.01;
    config.epochs = 1;
    const ch03::TrainResult r = ch03::Train(
        ch03::RandomMlp({4, 8, 3}, ch02::Activation::kTanh,
                        ch02::Activation::kSoftmax, 5),
        split.X_train, split.Y_train, split.X_test, split.Y_test, config);
    if (!r.diverged) {
      fuzz::Require(r.test_loss.size() == 1, "Train: one loss per epoch");
      fuzz::RequireFinite(r.test_loss[0], "Train: test loss");
      fuzz::Require(r.test_accuracy >= 0 && r.test_accuracy <= 1,
                    "Train: accuracy outside [0, 1]");
    }
  });
  return 0;
}
