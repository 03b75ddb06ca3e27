// A scalar computation graph with reverse-mode differentiation, small
// enough to read in one sitting (J&M "Computation Graphs").
//
// Each node stores its value and the local derivatives with respect to its
// inputs, computed during the forward pass. Nodes can only refer to earlier
// nodes, so creation order is a topological order, and the backward pass is
// one sweep from the output back to the inputs: each node hands
// grad * local derivative to each of its inputs (the chain rule).
#ifndef FFNN_CHAPTERS_03_BACKPROP_GRAPH_H_
#define FFNN_CHAPTERS_03_BACKPROP_GRAPH_H_

#include <string>
#include <vector>

namespace ffnn::ch03 {

class Graph {
 public:
  using Id = int;

  Id Input(std::string name, double value);
  Id Const(double value);
  Id Add(Id a, Id b, std::string name = "");
  Id Mul(Id a, Id b, std::string name = "");
  Id Square(Id a, std::string name = "");
  Id Log(Id a, std::string name = "");

  // Sets every gradient to d(output)/d(node).
  void Backward(Id output);

  double value(Id id) const { return nodes_.at(id).value; }
  double grad(Id id) const { return nodes_.at(id).grad; }
  const std::string& name(Id id) const { return nodes_.at(id).name; }
  int size() const { return static_cast<int>(nodes_.size()); }

 private:
  struct Node {
    std::string name;
    double value = 0;
    std::vector<Id> inputs;
    std::vector<double> local;  // d value / d inputs[k]
    double grad = 0;
  };
  Id Push(Node n);
  void Check(Id id) const;

  std::vector<Node> nodes_;
};

}  // namespace ffnn::ch03

#endif  // FFNN_CHAPTERS_03_BACKPROP_GRAPH_H_
