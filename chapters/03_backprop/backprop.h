// Chapter 3: backpropagation through the chapter 2 network, on the kernels.
#ifndef FFNN_CHAPTERS_03_BACKPROP_BACKPROP_H_
#define FFNN_CHAPTERS_03_BACKPROP_BACKPROP_H_

#include <string>
#include <vector>

#include "chapters/02_mlp/mlp.h"

namespace ffnn::ch03 {

using ch02::Activation;
using ch02::Layer;
using ch02::Matrix;
using ch02::Mlp;
using ch02::RandomMlp;
using ch02::Trace;
using ch02::Vector;

// The losses, each the mean over the examples (rows) of a per-example loss
// of the prediction yhat and the target y (both (c)):
//   kCrossEntropy        -sum_k y_k log yhat_k
//   kBinaryCrossEntropy  -sum_k [y_k log yhat_k + (1 - y_k) log(1 - yhat_k)]
//   kMse                 (1/c) sum_k (y_k - yhat_k)^2
//   kHalfSse             (1/2) sum_k (y_k - yhat_k)^2
// log_base 0 means the natural logarithm.
enum class Loss { kCrossEntropy, kBinaryCrossEntropy, kMse, kHalfSse };
Loss ParseLoss(const std::string& name);
const char* LossName(Loss loss);

double LossValue(Loss loss, const Matrix& Yhat, const Matrix& Y,
                 double log_base = 0);

// dL/dyhat of LossValue (the mean over the rows), (n, c): the derivative
// each loss's value defines, e.g. -y/yhat + (1 - y)/(1 - yhat) for the
// binary cross-entropy and -(2/c)(y - yhat) for the MSE.
Matrix LossGradient(Loss loss, const Matrix& Yhat, const Matrix& Y,
                    double log_base = 0);

// True where the output activation and the loss pair up (softmax with the
// cross-entropy, sigmoid with the binary cross-entropy): their composition
// has the simple derivative dL/dz = yhat sum(y) - y (softmax; p - y when y
// sums to 1) or yhat - y (sigmoid), and log yhat comes from the logits.
bool IsFusedPair(Activation output, Loss loss);

// The loss at a forward trace of net. For a fused pair, log yhat is
// computed from the output logits z (log-sum-exp for softmax, softplus for
// sigmoid), so an output whose probability rounds to 0 or 1 still gives
// the finite loss (yhat = 1.0 in double when z > 37 for the sigmoid).
// Otherwise LossValue of the trace's output.
double TraceLoss(const Mlp& net, const Trace& trace, const Matrix& Y, Loss loss,
                 double log_base = 0);

struct Gradients {
  std::vector<Matrix> W;  // dL/dW[i], shaped like W[i]
  std::vector<Vector> b;  // dL/db[i]
};

// dL/dW and dL/db of the mean loss at the trace's forward pass. For a
// fused pair (IsFusedPair) the output layer's dL/dz is computed directly
// (never dividing by a probability that rounds to 0 or 1); otherwise
// dL/dyhat goes back through the output activation as for any layer.
Gradients Backward(const Mlp& net, const Trace& trace, const Matrix& Y,
                   Loss loss, double log_base = 0);

// DL4NLP "Walk-Through Example: Backward Pass I-IV" as the slide does it,
// on a real forward trace of a 2-layer network with a softmax output (one
// example): the trace's yhat, h and logits are first rounded to two
// decimals, as the slide prints them (that rounding is the slide's input);
// then, rounding every result to two decimals as the slide does,
//   dL/do_i = -(y_i / yhat_i + (1 - y_i) / (1 - yhat_i))  (its sign slip),
//   do_out/do_in_i = p_i (1 - p_i), p = softmax(rounded logits) (the
//                    diagonal of the Jacobian only),
//   dL/dW2_ij = dL/do_i do_out/do_in_i h_j,  W2_ij - eta dL/dW2_ij.
// The chapter shows these beside the slide's numbers and the errata; the
// correct gradient is Backward's.
struct DeckBackwardRecipe {
  Vector yhat;                // (3): the trace's output as the slide prints it
  Vector dL_do, dsoftmax;     // (3)
  Matrix dL_dW2, W2_updated;  // (3, 2)
};
DeckBackwardRecipe DeckIrisBackward(const Mlp& net, const Trace& trace,
                                    const Vector& y, double eta);

// theta <- theta - lr grad, layer by layer (kernels::SgdStep).
Mlp SgdUpdate(const Mlp& net, const Gradients& g, double lr);

// Every parameter as one flat vector (W[0] row-major, b[0], W[1], ...), and
// back: for finite differences and the optimizers.
Vector Flatten(const Mlp& net);
Mlp Unflatten(const Mlp& like, const Vector& theta);
Vector Flatten(const Gradients& g);

}  // namespace ffnn::ch03

#endif  // FFNN_CHAPTERS_03_BACKPROP_BACKPROP_H_
