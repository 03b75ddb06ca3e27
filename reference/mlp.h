// Reference forward pass of a multi-layer perceptron, as the decks write it:
//   z[i] = W[i] a[i-1] + b[i],   a[i] = g[i](z[i]),   a[0] = x.
// W[i] has one row per unit of layer i: (d_i, d_{i-1}). A batch is a matrix
// with one example per row (the DL4NLP "design matrix"), so the batched form
// is Z[i] = A[i-1] W[i]^T + 1 b[i]^T.
#ifndef FFNN_REFERENCE_MLP_H_
#define FFNN_REFERENCE_MLP_H_

#include <stdexcept>
#include <string>
#include <vector>

#include "reference/activations.h"
#include "reference/softmax.h"
#include "reference/types.h"

namespace ffnn::reference {

enum class Activation { kIdentity, kSigmoid, kTanh, kRelu, kSoftmax };

// "identity", "sigmoid", "tanh", "relu", "softmax"; throws on anything else.
Activation ParseActivation(const std::string& name);
const char* ActivationName(Activation g);

template <class S>
struct Layer {
  Mat<S> W;  // (d_out, d_in)
  Vec<S> b;  // (d_out)
  Activation g;
};

// Applies g row by row (softmax normalizes each row).
template <class S>
Mat<S> Activate(Activation g, const Mat<S>& Z) {
  switch (g) {
    case Activation::kIdentity:
      return Z;
    case Activation::kSigmoid:
      return (S(1) + (-Z.array()).exp()).inverse().matrix();
    case Activation::kTanh:
      return Z.array().tanh().matrix();
    case Activation::kRelu:
      return Z.array().max(S(0)).matrix();
    case Activation::kSoftmax: {
      Mat<S> A(Z.rows(), Z.cols());
      Softmax<S>(Z, A);
      return A;
    }
  }
  throw std::logic_error("unknown activation");
}

//! [reference_forward]
// Forward pass of a batch X: (n, d_0). Returns a[0] = X, a[1], ..., a[L].
template <class S>
std::vector<Mat<S>> Forward(const std::vector<Layer<S>>& layers,
                            const Mat<S>& X) {
  std::vector<Mat<S>> a = {X};
  for (const Layer<S>& layer : layers) {
    // Z = A W^T + 1 b^T: one row per example
    const Mat<S> Z =
        (a.back() * layer.W.transpose()).rowwise() + layer.b.transpose();
    a.push_back(Activate(layer.g, Z));
  }
  return a;
}
//! [reference_forward]

inline Activation ParseActivation(const std::string& name) {
  if (name == "identity") return Activation::kIdentity;
  if (name == "sigmoid") return Activation::kSigmoid;
  if (name == "tanh") return Activation::kTanh;
  if (name == "relu") return Activation::kRelu;
  if (name == "softmax") return Activation::kSoftmax;
  throw std::invalid_argument("unknown activation '" + name +
                              "' (expected identity, sigmoid, tanh, relu or "
                              "softmax)");
}

inline const char* ActivationName(Activation g) {
  switch (g) {
    case Activation::kIdentity:
      return "identity";
    case Activation::kSigmoid:
      return "sigmoid";
    case Activation::kTanh:
      return "tanh";
    case Activation::kRelu:
      return "relu";
    case Activation::kSoftmax:
      return "softmax";
  }
  return "?";
}

}  // namespace ffnn::reference

#endif  // FFNN_REFERENCE_MLP_H_
