// Chapter 3 figures: online vs batch training on XOR (the Backpropagation
// deck's rules), the optimizers on Iris, and the learning-rate sweep.
#include <string>
#include <vector>

#include "chapters/03_backprop/optimizers.h"
#include "chapters/03_backprop/xor_rules.h"
#include "figures/plot.h"

namespace ffnn::figures {
namespace {

Points Curve(const std::vector<double>& loss) {
  Points p;
  for (std::size_t i = 0; i < loss.size(); ++i)
    p.emplace_back(i + 1.0, loss[i]);
  return p;
}

void XorOnlineBatch(const std::string& dir) {
  const ch03::XorNet init = ch03::RandomXorNet(2);
  const ch03::XorRun online = ch03::TrainXor(init, true, 0.5, 50000, 0.1, 2);
  const ch03::XorRun batch = ch03::TrainXor(init, false, 0.5, 50000, 0.1, 2);
  Render(dir, "ch03_xor_online_batch", 900, 480, [&](Gnuplot& gp) {
    gp << "set title 'XOR, 2-2-1 sigmoid, the Backpropagation deck rules, "
          "{/Symbol h} = 0.5, seed 2'\nset grid\nset logscale x\n"
          "set xlabel 'epoch'\nset ylabel 'sum over XOR of (y - yhat)^2 / 2'\n"
          "set key top right\n"
       << "plot '-' w l lw 2 t 'online: solved after " << online.epochs
       << " epochs', '-' w l lw 2 t 'batch: solved after " << batch.epochs
       << " epochs'\n";
    gp.send1d(Curve(online.loss));
    gp.send1d(Curve(batch.loss));
  });
}

void IrisOptimizers(const std::string& dir, const ch03::IrisSplit& d) {
  const ch03::Mlp init = ch03::RandomMlp({4, 16, 3}, ch02::Activation::kTanh,
                                         ch02::Activation::kSoftmax, 5);
  const std::pair<ch03::Optimizer, const char*> runs[] = {
      {ch03::Optimizer::kSgd, "0.1"},
      {ch03::Optimizer::kMomentum, "0.02"},
      {ch03::Optimizer::kAdagrad, "0.1"},
      {ch03::Optimizer::kRmsprop, "0.005"},
      {ch03::Optimizer::kAdam, "0.01"}};
  std::vector<ch03::TrainResult> results;
  for (const auto& [opt, lr] : runs) {
    results.push_back(ch03::Train(init, d.X_train, d.Y_train, d.X_test,
                                  d.Y_test, {opt, std::stod(lr), 100, 16, 1}));
  }
  Render(dir, "ch03_optimizers", 1100, 460, [&](Gnuplot& gp) {
    gp << "set multiplot layout 1,2\nset grid\nset logscale y\n"
          "set xlabel 'epoch'\nset ylabel 'mean cross-entropy'\n";
    for (const char* which : {"train", "test"}) {
      gp << "set title 'Iris, 4-16-3: " << which << " loss'\nplot ";
      for (std::size_t i = 0; i < results.size(); ++i) {
        gp << (i ? ", " : "") << "'-' w l lw 2 t '"
           << ch03::OptimizerName(runs[i].first) << " (lr " << runs[i].second
           << ")'";
      }
      gp << "\n";
      for (const auto& r : results) {
        gp.send1d(
            Curve(std::string(which) == "train" ? r.train_loss : r.test_loss));
      }
    }
  });
}

void LearningRates(const std::string& dir, const ch03::IrisSplit& d) {
  const ch03::Mlp init = ch03::RandomMlp({4, 16, 3}, ch02::Activation::kTanh,
                                         ch02::Activation::kSoftmax, 5);
  const char* lrs[] = {"0.001", "0.1", "2", "500"};
  std::vector<ch03::TrainResult> results;
  for (const char* lr : lrs) {
    results.push_back(
        ch03::Train(init, d.X_train, d.Y_train, d.X_test, d.Y_test,
                    {ch03::Optimizer::kSgd, std::stod(lr), 100, 16, 1}));
  }
  Render(dir, "ch03_learning_rates", 900, 480, [&](Gnuplot& gp) {
    gp << "set title 'SGD on Iris: too small crawls, too large diverges'\n"
          "set grid\nset logscale y\nset xlabel 'epoch'\n"
          "set ylabel 'mean training cross-entropy'\nset key top right\nplot ";
    bool first = true;
    for (std::size_t i = 0; i < results.size(); ++i) {
      if (results[i].train_loss.empty()) continue;
      gp << (first ? "" : ", ") << "'-' w l lw 2 t 'lr " << lrs[i] << "'";
      first = false;
    }
    for (std::size_t i = 0; i < results.size(); ++i) {
      if (results[i].diverged) {
        gp << ", NaN t 'lr " << lrs[i] << ": diverged in epoch "
           << results[i].diverged_epoch << " (stopped)'";
      }
    }
    gp << "\n";
    for (const auto& r : results) {
      if (!r.train_loss.empty()) gp.send1d(Curve(r.train_loss));
    }
  });
}

}  // namespace
}  // namespace ffnn::figures

int main(int argc, char** argv) {
  return ffnn::figures::FigureMain(
      argc, argv,
      {.description = "fig_ch03: chapter 3's figures (online and batch XOR, "
                      "optimizers, learning rates) as PNG, PDF and SVG",
       .figures = {"ch03_xor_online_batch", "ch03_optimizers",
                   "ch03_learning_rates"},
       .draw =
           [](const std::string& dir) {
             ffnn::figures::XorOnlineBatch(dir);
             const auto data = ffnn::ch03::SplitIris(FFNN_DATA_DIR);
             ffnn::figures::IrisOptimizers(dir, data);
             ffnn::figures::LearningRates(dir, data);
           },
       .add_options = nullptr,
       .files =
           [](std::vector<ffnn::chapters::NamedPath>& inputs,
              std::vector<ffnn::chapters::NamedPath>&) {
             inputs.push_back({FFNN_DATA_DIR, "the data folder"});
           }});
}
