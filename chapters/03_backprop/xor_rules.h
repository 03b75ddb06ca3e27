// The "Backpropagation" deck's update rules for a 2-2-1 sigmoid network on
// XOR, written out weight by weight as the deck writes them, trained online
// (after every example) and in batch (after every epoch).
#ifndef FFNN_CHAPTERS_03_BACKPROP_XOR_RULES_H_
#define FFNN_CHAPTERS_03_BACKPROP_XOR_RULES_H_

#include <array>
#include <cstdint>
#include <vector>

namespace ffnn::ch03 {

// Biases as weights of a constant input 1 (the deck's "Handling bias"):
// w[k] = (w_k0, w_k1, w_k2) for hidden unit k, v = (v_0, v_1, v_2).
struct XorNet {
  std::array<std::array<double, 3>, 2> w{};
  std::array<double, 3> v{};
};

// Weights drawn from U(-1, 1) with the given seed.
XorNet RandomXorNet(std::uint64_t seed);

// yhat = f(v . h), h_k = f(w_k . x), f the sigmoid, x = (1, x1, x2).
double XorPredict(const XorNet& net, double x1, double x2);
// (1/2)(y - yhat)^2: the loss whose negative gradient the rules follow.
double HalfSquaredError(const XorNet& net, double x1, double x2, double y);
// The changes the deck's rules make for one example (eta included).
XorNet DeckUpdate(const XorNet& net, double x1, double x2, double y,
                  double eta);

struct XorRun {
  bool solved = false;
  int epochs = 0;            // epochs run (to the solution, if solved)
  std::vector<double> loss;  // sum of (1/2)(y - yhat)^2 after each epoch
  XorNet net;                // final weights
};

// Trains from `init` with examples shuffled every epoch (seeded), until
// every |y - yhat| < tolerance or max_epochs. Online: update after each
// example; batch: accumulate the updates, divide by 4, update once.
XorRun TrainXor(XorNet init, bool online, double eta, int max_epochs,
                double tolerance, std::uint64_t seed);

}  // namespace ffnn::ch03

#endif  // FFNN_CHAPTERS_03_BACKPROP_XOR_RULES_H_
