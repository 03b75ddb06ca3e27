#include "chapters/03_backprop/graph.h"

#include <cmath>
#include <stdexcept>

namespace ffnn::ch03 {

Graph::Id Graph::Push(Node n) {
  for (Id in : n.inputs) Check(in);
  nodes_.push_back(std::move(n));
  return static_cast<Id>(nodes_.size()) - 1;
}

void Graph::Check(Id id) const {
  if (id < 0 || id >= size()) {
    throw std::out_of_range("Graph: no node " + std::to_string(id));
  }
}

Graph::Id Graph::Input(std::string name, double value) {
  return Push({std::move(name), value, {}, {}});
}
Graph::Id Graph::Const(double value) {
  return Push({std::to_string(value), value, {}, {}});
}

//! [graph_ops]
Graph::Id Graph::Add(Id a, Id b, std::string name) {
  Check(a);
  Check(b);
  // e = a + d: de/da = 1, de/dd = 1
  return Push({std::move(name), value(a) + value(b), {a, b}, {1.0, 1.0}});
}

Graph::Id Graph::Mul(Id a, Id b, std::string name) {
  Check(a);
  Check(b);
  // L = c * e: dL/dc = e, dL/de = c
  return Push(
      {std::move(name), value(a) * value(b), {a, b}, {value(b), value(a)}});
}
//! [graph_ops]

Graph::Id Graph::Square(Id a, std::string name) {
  Check(a);
  return Push({std::move(name), value(a) * value(a), {a}, {2 * value(a)}});
}

Graph::Id Graph::Log(Id a, std::string name) {
  Check(a);
  if (!(value(a) > 0)) {
    throw std::domain_error("Graph::Log of " + std::to_string(value(a)));
  }
  return Push({std::move(name), std::log(value(a)), {a}, {1 / value(a)}});
}

//! [graph_backward]
void Graph::Backward(Id output) {
  Check(output);
  for (Node& n : nodes_) n.grad = 0;
  nodes_[output].grad = 1;  // dL/dL
  // Reverse creation order is a reverse topological order.
  for (Id id = output; id >= 0; --id) {
    const Node& n = nodes_[id];
    for (std::size_t k = 0; k < n.inputs.size(); ++k) {
      // chain rule: dL/d(input) += dL/d(node) * d(node)/d(input)
      nodes_[n.inputs[k]].grad += n.grad * n.local[k];
    }
  }
}
//! [graph_backward]

}  // namespace ffnn::ch03
