// ch03_backprop's report: every worked example of chapter 3 beside the
// slides' numbers (worked_ch03.h).
#include "chapters/03_backprop/worked_ch03.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "chapters/03_backprop/backprop.h"
#include "chapters/03_backprop/graph.h"
#include "chapters/03_backprop/optimizers.h"
#include "chapters/03_backprop/xor_rules.h"
#include "chapters/common/gradcheck.h"
#include "chapters/common/iris.h"
#include "chapters/common/worked.h"

namespace ffnn::ch03 {
namespace {

using chapters::ChapterOptions;
using chapters::Example;
using chapters::Format;
using chapters::Report;
using chapters::SlideValue;
using chapters::Source;
using namespace chapters::decks;
using ch02::Activation;

using gradcheck::CentralDifference;

// The worst error of a gradient against central differences of f.
double WorstGradientError(const std::function<double(const Vector&)>& f,
                          const Vector& theta, const Vector& grad) {
  return gradcheck::CheckGradient(f, theta, grad).worst_error;
}

void GraphExample(Report& r) {
  //! [graph_example]
  Graph g;
  const auto a = g.Input("a", 3), b = g.Input("b", 1), c = g.Input("c", -2);
  const auto d = g.Mul(g.Const(2), b, "d");  // d = 2 * b
  const auto e = g.Add(a, d, "e");           // e = a + d
  const auto L = g.Mul(c, e, "L");           // L = c * e
  g.Backward(L);
  //! [graph_example]
  // The graph's gradients against central differences of c (a + 2b).
  const auto f = [](double av, double bv, double cv) {
    return cv * (av + 2 * bv);
  };
  const double fd_a =
      CentralDifference([&](double v) { return f(v, 1, -2); }, 3);
  const double fd_b =
      CentralDifference([&](double v) { return f(3, v, -2); }, 1);
  const double fd_c =
      CentralDifference([&](double v) { return f(3, 1, v); }, -2);
  r.Add("graph.c_a_plus_2b", Source(kJm,
                                    "Computation Graphs: Example – "
                                    "forward pass / backward pass"))
      .Step("L(a, b, c) = c (a + 2b) at a = 3, b = 1, c = -2")
      .Step("forward: d = 2 * b, e = a + d, L = c * e")
      .Step("backward: dL/de = c, dL/dc = e, de/da = 1, de/dd = 1, dd/db = 2")
      .Add("d", g.value(d))
      .Add("e", g.value(e))
      .Add("L", g.value(L))
      .Add("dL/da", g.grad(a))
      .Add("dL/db", g.grad(b))
      .Add("dL/dc", g.grad(c))
      .AddCheck(
          "max |graph - finite difference|",
          std::max({std::abs(g.grad(a) - fd_a), std::abs(g.grad(b) - fd_b),
                    std::abs(g.grad(c) - fd_c)}),
          gradcheck::kFiniteDifferenceBound, gradcheck::kFiniteDifferenceWhy);
}

// UCL chain-rule examples: d/dx (x^2 + 1)^2 = 4x (x^2 + 1) and
// d/dx ln(a x) = 1/x, symbolic vs the graph vs finite differences.
void ChainExamples(Report& r) {
  Example& e =
      r.Add("chain.examples",
            Source(kUcl, "Chain rule (the (x^2 + 1)^2 and ln(ax) examples)"));
  double worst_graph = 0, worst_fd = 0;
  for (double x : {-2.0, -0.5, 0.3, 1.0, 2.5}) {
    Graph g;
    const auto xi = g.Input("x", x);
    const auto y = g.Square(g.Add(g.Square(xi), g.Const(1)));
    g.Backward(y);
    const double symbolic = 4 * x * (x * x + 1);
    const double fd =
        CentralDifference([](double t) { return std::pow(t * t + 1, 2); }, x);
    e.Step("x = " + Format(x) + ": d/dx (x^2+1)^2 = " + Format(symbolic) +
           " (symbolic), " + Format(g.grad(xi)) + " (graph), " + Format(fd) +
           " (finite difference)");
    worst_graph = std::max(worst_graph, std::abs(g.grad(xi) - symbolic));
    worst_fd = std::max(
        worst_fd, std::abs(fd - symbolic) / std::max(1.0, std::abs(symbolic)));
  }
  for (double x : {0.25, 1.0, 3.0}) {
    const double a = 2.0;
    Graph g;
    const auto xi = g.Input("x", x);
    const auto y = g.Log(g.Mul(g.Const(a), xi));
    g.Backward(y);
    const double fd =
        CentralDifference([&](double t) { return std::log(a * t); }, x);
    e.Step("x = " + Format(x) + ", a = 2: d/dx ln(a x) = 1/x = " +
           Format(1 / x) + " (symbolic), " + Format(g.grad(xi)) + " (graph), " +
           Format(fd) + " (finite difference)");
    worst_graph = std::max(worst_graph, std::abs(g.grad(xi) - 1 / x));
    worst_fd = std::max(worst_fd, std::abs(fd - 1 / x) / std::max(1.0, 1 / x));
  }
  e.AddCheck("max |graph - symbolic|", worst_graph, gradcheck::kRoundingBound,
             gradcheck::kRoundingWhy)
      .AddCheck("max relative |finite difference - symbolic|", worst_fd,
                gradcheck::kFiniteDifferenceBound,
                gradcheck::kFiniteDifferenceWhy);
}

// UCL: a 2-2-1 sigmoid network without biases and binary cross-entropy;
// closed forms dL/du_i = (c - y) a_i and dL/dw_ij = (c - y) u_i a_i (1 - a_i)
// x_j against backpropagation and finite differences.
void UclTwoLayer(Report& r) {
  std::mt19937_64 rng(33);
  std::uniform_real_distribution<double> u01(-1, 1);
  double worst_bp = 0, worst_fd = 0;
  for (int trial = 0; trial < 5; ++trial) {
    const Matrix W = {{u01(rng), u01(rng)}, {u01(rng), u01(rng)}};
    const Matrix U = {{u01(rng), u01(rng)}};
    const Matrix x = {{u01(rng) * 2, u01(rng) * 2}};
    const Matrix y = {{trial % 2 == 0 ? 1.0 : 0.0}};
    const Mlp net(
        {{W, {0, 0}, Activation::kSigmoid}, {U, {0}, Activation::kSigmoid}});
    const Trace t = net.Forward(x);
    const Gradients bp = Backward(net, t, y, Loss::kBinaryCrossEntropy);
    const double c = t.output()(0, 0);
    Vector closed, backprop;
    for (int i = 0; i < 2; ++i) {
      const double a = t.a[1](0, i);
      for (int j = 0; j < 2; ++j) {
        closed.push_back((c - y(0, 0)) * U(0, i) * a * (1 - a) * x(0, j));
        backprop.push_back(bp.W[0](i, j));
      }
    }
    for (int i = 0; i < 2; ++i) {
      closed.push_back((c - y(0, 0)) * t.a[1](0, i));
      backprop.push_back(bp.W[1](0, i));
    }
    for (std::size_t k = 0; k < closed.size(); ++k) {
      worst_bp = std::max(worst_bp, std::abs(closed[k] - backprop[k]) /
                                        std::max(1.0, std::abs(closed[k])));
    }
    // Finite differences over W and U (biases fixed at 0).
    const auto loss_of = [&](const Vector& th) {
      const Mlp n({{Matrix{{th[0], th[1]}, {th[2], th[3]}},
                    {0, 0},
                    Activation::kSigmoid},
                   {Matrix{{th[4], th[5]}}, {0}, Activation::kSigmoid}});
      return LossValue(Loss::kBinaryCrossEntropy, n.Forward(x).output(), y);
    };
    const Vector theta = {W(0, 0), W(0, 1), W(1, 0), W(1, 1), U(0, 0), U(0, 1)};
    worst_fd = std::max(worst_fd, WorstGradientError(loss_of, theta, closed));
  }
  r.Add("ucl.two_layer_gradients",
        Source(kUcl,
               "Feedforward NN with 2 layers with 2 and 1 units "
               "(backpropagation)"))
      .Step(
          "2-2-1, sigmoid everywhere, no biases, L = BCE(c, y); 5 random "
          "points (seed 33)")
      .Step("dL/du_i = (c - y) a_i,  dL/dw_ij = (c - y) u_i a_i (1 - a_i) x_j")
      .AddCheck("max relative |closed form - backprop|", worst_bp,
                gradcheck::kRoundingBound, gradcheck::kRoundingWhy)
      .AddCheck("max relative |closed form - finite difference|", worst_fd,
                gradcheck::kFiniteDifferenceBound,
                gradcheck::kFiniteDifferenceWhy);
}

// The gradients of `loss` by backpropagation, and their largest relative
// error against central differences of the loss.
//! [iris_backward_correct]
std::pair<Gradients, double> CheckedGradients(const Mlp& net, const Matrix& X,
                                              const Matrix& Y, Loss loss) {
  const Gradients g = Backward(net, net.Forward(X), Y, loss);
  const double fd_error = WorstGradientError(
      [&](const Vector& theta) {
        return LossValue(loss, Unflatten(net, theta).Forward(X).output(), Y);
      },
      Flatten(net), Flatten(g));
  return {g, fd_error};
}
//! [iris_backward_correct]

// The DL4NLP backward walk-through's errata, with the numbers the real
// forward pass gives: yhat (t), the slide's recipe on it (deck), and the
// correct dL/dyhat of the slide's loss.
void IrisBackwardErrata(Report& r, const Trace& t,
                        const DeckBackwardRecipe& deck) {
  const Vector& dL_do = deck.dL_do;
  const Matrix& grad = deck.dL_dW2;
  // The correct dL/dyhat of the slide's loss on yhat as the slide prints
  // it (the recipe's input).
  Matrix yhat(1, 3);
  yhat.data = deck.yhat;
  const Matrix dL_dyhat =
      LossGradient(Loss::kBinaryCrossEntropy, yhat, Matrix{{1, 0, 0}});
  r.AddErratum(
      {"dl4nlp.backward_from_yhat2",
       Source(kDl4nlp, "Walk-Through Example: Backward Pass I and IV"),
       "dL/do_2 = -1.47 and dL/dW2_22 = -0.23, from yhat_2 = 0.32",
       "the forward pass gives yhat_2 = " + Format(t.output()(0, 1)) +
           ", printed 0.33 (chapter 2, erratum dl4nlp.iris_yhat2); the "
           "slide's own recipe on it gives dL/do_2 = " +
           Format(dL_do[1]) + " and dL/dW2_22 = " + Format(grad(1, 1)),
       "the backward pass was worked from the forward pass's misprinted "
       "yhat_2; the other 16 numbers of the recipe come out the same"});
  r.AddErratum(
      {"dl4nlp.bce_derivative_sign",
       Source(kDl4nlp, "Walk-Through Example: Backward Pass I"),
       "dL/dyhat_i = -1 (y_i / yhat_i + (1 - y_i) / (1 - yhat_i)), "
       "giving (-2.63, -1.47, -1.43)",
       "dL/dyhat_i = -y_i / yhat_i + (1 - y_i) / (1 - yhat_i), giving "
       "(" +
           Format(dL_dyhat(0, 0)) + ", " + Format(dL_dyhat(0, 1)) + ", " +
           Format(dL_dyhat(0, 2)) + ") on the same yhat",
       "the derivative of -(1 - y) log(1 - yhat) is +(1 - y)/(1 - yhat): "
       "the sign of the second term is wrong, so the slide pushes the "
       "wrong classes' scores up"});
  r.AddErratum(
      {"dl4nlp.softmax_diagonal",
       Source(kDl4nlp, "Walk-Through Example: Backward Pass II"),
       "d o_i,out / d o_i,in = yhat_i (1 - yhat_i) = (0.23, 0.22, 0.21) "
       "as the whole softmax derivative (and a stray square in the "
       "middle entry's numerator)",
       "the softmax Jacobian is diag(yhat) - yhat yhat^T: every output "
       "depends on every logit, d yhat_i / d z_j = -yhat_i yhat_j for "
       "i != j",
       "with the off-diagonal terms dropped, dL/dW2 is not the gradient "
       "of any of the slide's losses; for the cross-entropy the chain "
       "collapses to dL/dz = yhat - y"});
  r.AddErratum(
      {"dl4nlp.backward_update",
       Source(kDl4nlp, "Walk-Through Example: Backward Pass IV"),
       "dL/dW2 = ((-0.17, -0.44), (-0.09, -0.23), (-0.08, -0.22)) and "
       "W2 updated to ((0.39, -0.08), (0.25, 0.22), (0.34, -0.09))",
       "for the cross-entropy, dL/dW2 = (yhat - y) h^T: the rows of the "
       "wrong classes 2 and 3 are positive (see the iris.backward "
       "table), so gradient descent lowers their weights",
       "the two slips above compound: the slide's update raises the "
       "scores of the classes the example does not belong to; the "
       "slide also calls the learning rate lambda, the symbol its "
       "algorithm uses for the regularization weight"});
}

void IrisBackward(Report& r) {
  Example& e =
      r.Add("iris.backward",
            Source(kDl4nlp, "Walk-Through Example: Backward Pass I–IV"));
  //! [iris_backward_slide]
  // The slide's recipe (DeckIrisBackward) on the real forward pass of the
  // slide's network: its yhat, h and logits, rounded as the slide prints
  // them, then the slide's arithmetic with its rounding at every step.
  const Mlp net = ch02::IrisSlideNetwork();
  const Matrix X = {{1.8, 0.5}}, Y = {{1, 0, 0}};
  const Trace t = net.Forward(X);
  const Vector y = {1, 0, 0};
  const DeckBackwardRecipe deck = DeckIrisBackward(net, t, y, 0.5);
  //! [iris_backward_slide]
  const Vector& dL_do = deck.dL_do;
  const Vector& dsoft = deck.dsoftmax;
  const Matrix& grad = deck.dL_dW2;
  const Matrix& updated = deck.W2_updated;
  const double s_dl[] = {-2.63, -1.47, -1.43}, s_ds[] = {0.23, 0.22, 0.21};
  const double s_g[3][2] = {{-0.17, -0.44}, {-0.09, -0.23}, {-0.08, -0.22}};
  const double s_w[3][2] = {{0.39, -0.08}, {0.25, 0.22}, {0.34, -0.09}};
  // Two of the slide's numbers come from its yhat_2 = 0.32, which the
  // forward pass does not give (0.326: chapter 2's erratum
  // dl4nlp.iris_yhat2); on the real trace the slide's own recipe gives
  // dL/do_2 = -1.49 and dL/dW2_22 = -0.24 (erratum
  // dl4nlp.backward_from_yhat2).
  const char* kFromYhat2 = "dl4nlp.backward_from_yhat2";
  auto add = [&](const std::string& name, double v, double slide,
                 bool inherits) {
    if (inherits) {
      e.AddWrong(name, v, SlideValue{slide, 2}, kFromYhat2);
    } else {
      e.Add(name, v, SlideValue{slide, 2});
    }
  };
  for (int i = 0; i < 3; ++i) {
    const std::string k = std::to_string(i + 1);
    add("slide recipe dL/do_" + k, dL_do[i], s_dl[i], i == 1);
    add("slide recipe do_out/do_in_" + k, dsoft[i], s_ds[i], false);
  }
  for (int i = 0; i < 3; ++i) {
    for (int j = 0; j < 2; ++j) {
      const std::string ij = std::to_string(i + 1) + std::to_string(j + 1);
      add("slide recipe dL/dW2_" + ij, grad(i, j), s_g[i][j], ij == "22");
      add("slide recipe W2_" + ij + " updated", updated(i, j), s_w[i][j],
          false);
    }
  }
  // The correct gradients at full precision, by backpropagation, for the
  // standard cross-entropy and for the slide's loss (binary cross-entropy
  // summed over classes, natural log), both through the full softmax
  // Jacobian, each confirmed by finite differences.
  for (Loss loss : {Loss::kCrossEntropy, Loss::kBinaryCrossEntropy}) {
    const auto [g, fd_error] = CheckedGradients(net, X, Y, loss);
    const std::string name = loss == Loss::kCrossEntropy
                                 ? "cross-entropy"
                                 : "slide's loss (summed BCE)";
    for (int i = 0; i < 3; ++i) {
      for (int j = 0; j < 2; ++j) {
        e.Add(name + " dL/dW2_" + std::to_string(i + 1) + std::to_string(j + 1),
              g.W[1](i, j));
      }
    }
    e.AddCheck(name + ": max error vs finite differences", fd_error,
               gradcheck::kFiniteDifferenceBound,
               gradcheck::kFiniteDifferenceWhy);
  }
  IrisBackwardErrata(r, t, deck);
}

// The rules are gradient descent on (1/2)(y - yhat)^2: each change equals
// -eta dE/dtheta. The largest relative difference, by central differences,
// over the four inputs at five random starts.
double WorstRuleError(double eta) {
  double worst = 0;
  for (std::uint64_t seed = 11; seed < 16; ++seed) {
    XorNet net = RandomXorNet(seed);  // perturbed in place, then restored
    for (int i = 0; i < 4; ++i) {
      const double x1 = i / 2, x2 = i % 2, y = (i == 1 || i == 2) ? 1 : 0;
      const XorNet delta = DeckUpdate(net, x1, x2, y, eta);
      auto check = [&](double& param, double change) {
        const double saved = param;
        const double fd = CentralDifference(
            [&](double v) {
              param = v;
              const double out = HalfSquaredError(net, x1, x2, y);
              param = saved;
              return out;
            },
            saved);
        worst = std::max(worst, std::abs(change - (-eta * fd)) /
                                    std::max(1.0, std::abs(change)));
      };
      for (int k = 0; k < 3; ++k) check(net.v[k], delta.v[k]);
      for (int k = 0; k < 2; ++k)
        for (int j = 0; j < 3; ++j) check(net.w[k][j], delta.w[k][j]);
    }
  }
  return worst;
}

void XorOnlineVsBatch(Report& r) {
  Example& e = r.Add("xor.online_vs_batch",
                     Source(kBackprop,
                            "Learning rate (weight update rules); "
                            "Online vs. batch learning"));
  const double eta = 0.5;
  const double worst = WorstRuleError(eta);
  e.Step(
      "v_k <- v_k + eta h_k (y - yhat) f'(v.h); "
      "w_kj <- w_kj + eta x_j f'(w_k.x) v_k f'(v.h) (y - yhat)");
  e.AddCheck("max relative |rule - (-eta dE/dtheta)| (finite differences)",
             worst, gradcheck::kFiniteDifferenceBound,
             gradcheck::kFiniteDifferenceWhy);
  // Train online and in batch from the same start (seed 2), eta = 0.5,
  // until every |y - yhat| < 0.1.
  const XorNet init = RandomXorNet(2);
  const XorRun online = TrainXor(init, true, eta, 50000, 0.1, 2);
  const XorRun batch = TrainXor(init, false, eta, 50000, 0.1, 2);
  e.Step(
      "seed 2, eta = 0.5, shuffled every epoch; solved when every "
      "|y - yhat| < 0.1");
  e.Add("online epochs", online.epochs).Add("batch epochs", batch.epochs);
  for (const auto& [name, run] :
       {std::pair<const char*, const XorRun*>{"online", &online},
        {"batch", &batch}}) {
    std::string table = std::string(name) + " truth table:";
    for (int i = 0; i < 4; ++i) {
      const double yhat = XorPredict(run->net, i / 2, i % 2);
      table += " (" + std::to_string(i / 2) + "," + std::to_string(i % 2) +
               ")->" + Format(yhat);
      e.Add(std::string(name) + " yhat(" + std::to_string(i / 2) + "," +
                std::to_string(i % 2) + ")",
            yhat);
    }
    e.Step(table);
  }
  // Two hidden units are barely enough: some starts end in a local minimum.
  int online_solved = 0, batch_solved = 0;
  for (std::uint64_t seed = 1; seed <= 8; ++seed) {
    const XorNet start = RandomXorNet(seed);
    online_solved += TrainXor(start, true, eta, 50000, 0.1, seed).solved;
    batch_solved += TrainXor(start, false, eta, 50000, 0.1, seed).solved;
  }
  e.Add("seeds 1-8 solved online", online_solved)
      .Add("seeds 1-8 solved in batch", batch_solved);
  r.AddErratum({"lmu.mse_derivative",
                Source(kLmu,
                       "Backpropagation (backup slides): Compute E, "
                       "Compute dE/dO_i"),
                "E = (1/n) sum_i (y_i - O_i)^2 (mean squared) and "
                "dE/dO_i = -(y_i - O_i)",
                "dE/dO_i = -(2/n)(y_i - O_i) for that E; -(y_i - O_i) is the "
                "derivative of (1/2) sum_i (y_i - O_i)^2",
                "the derivative does not follow from the loss on the same "
                "slide; the 'Backpropagation' deck's rules use the half sum of "
                "squares, for which it does"});
}

void Optimizers(Report& r, const IrisSplit& data) {
  const Mlp init =
      RandomMlp({4, 16, 3}, Activation::kTanh, Activation::kSoftmax, 5);
  Example& e = r.Add("optimizers", Source(kUcl,
                                          "Updating the parameters of the "
                                          "NN, and the untitled slide after "
                                          "it (SGD, RMSProp, Adam, Adagrad)"));
  e.Step(
      "Iris, 120 train / 30 test (seed 2024), z-scored; 4-16-3 tanh/softmax "
      "(seed 5); cross-entropy; minibatches of 16; 100 epochs");
  const std::pair<Optimizer, double> runs[] = {{Optimizer::kSgd, 0.1},
                                               {Optimizer::kMomentum, 0.02},
                                               {Optimizer::kAdagrad, 0.1},
                                               {Optimizer::kRmsprop, 0.005},
                                               {Optimizer::kAdam, 0.01}};
  for (const auto& [opt, lr] : runs) {
    const TrainResult t = Train(init, data.X_train, data.Y_train, data.X_test,
                                data.Y_test, {opt, lr, 100, 16, 1});
    const std::string name = OptimizerName(opt);
    if (t.diverged || t.train_loss.empty()) {
      throw std::runtime_error(
          name + " (lr " + Format(lr) + ") diverged at epoch " +
          std::to_string(t.diverged_epoch) + " on the Iris data");
    }
    e.Step(name + " (lr " + Format(lr) + "): train loss " +
           Format(t.train_loss.front()) + " -> " + Format(t.train_loss.back()) +
           ", test accuracy " + Format(t.test_accuracy) +
           (t.diverged ? ", DIVERGED" : ""));
    e.Add(name + " final train loss", t.train_loss.back())
        .Add(name + " test accuracy", t.test_accuracy);
  }
}

// The UCL deck's learning-rate lesson with SGD: too small crawls, too large
// diverges (and is caught).
void LearningRateSweep(Report& r, const IrisSplit& data) {
  const Mlp init =
      RandomMlp({4, 16, 3}, Activation::kTanh, Activation::kSoftmax, 5);
  Example& e = r.Add("optimizers.learning_rate",
                     Source(kUcl,
                            "the slide after 'Updating the "
                            "parameters of the NN' (the learning rate)"));
  for (double lr : {0.001, 0.1, 2.0, 500.0}) {
    const TrainResult t = Train(init, data.X_train, data.Y_train, data.X_test,
                                data.Y_test, {Optimizer::kSgd, lr, 100, 16, 1});
    const std::string name = "lr " + Format(lr);
    if (t.diverged) {
      e.Step(name + ": diverged at epoch " + std::to_string(t.diverged_epoch) +
             " (the loss stopped being finite or exploded); training stopped");
    } else {
      e.Step(name + ": train loss " + Format(t.train_loss.front()) + " -> " +
             Format(t.train_loss.back()) + " in 100 epochs, test accuracy " +
             Format(t.test_accuracy));
    }
    e.Add(name + " diverged", t.diverged ? 1 : 0);
    if (t.diverged) {
      e.Add(name + " diverged at epoch", t.diverged_epoch);
    } else {
      e.Add(name + " final train loss", t.train_loss.back());
    }
  }
}

}  // namespace

chapters::Report BuildReport(const ChapterOptions& options) {
  Report r("03_backprop");
  r.Run(GraphExample);
  r.Run(ChainExamples);
  r.Run(UclTwoLayer);
  r.Run(IrisBackward);
  r.Run(XorOnlineVsBatch);
  const IrisSplit data = SplitIris(options.data_dir);
  r.Run([&](Report& report) { Optimizers(report, data); });
  r.Run([&](Report& report) { LearningRateSweep(report, data); });
  return r;
}

}  // namespace ffnn::ch03
