// Chapter 2 figures: XOR in input space and in the ReLU network's hidden
// space, and the sigmoid XNOR network's output over the unit square.
#include <string>
#include <vector>

#include "chapters/02_mlp/mlp.h"
#include "figures/plot.h"

namespace ffnn::figures {
namespace {

using ch02::Matrix;

void XorSpaces(const std::string& dir) {
  const Matrix X = {{0, 0}, {0, 1}, {1, 0}, {1, 1}};
  const int y[] = {0, 1, 1, 0};  // XOR
  const ch02::Trace t = ch02::XorReluNetwork().Forward(X);
  Points x_pos, x_neg, h_pos, h_neg;
  for (std::size_t i = 0; i < 4; ++i) {
    (y[i] ? x_pos : x_neg).emplace_back(X(i, 0), X(i, 1));
    (y[i] ? h_pos : h_neg).emplace_back(t.a[1](i, 0), t.a[1](i, 1));
  }
  // The output w . h + b = h1 - 2 h2 crosses 1/2 on h2 = (h1 - 1/2) / 2.
  const Points boundary = {{-0.25, (-0.25 - 0.5) / 2},
                           {2.25, (2.25 - 0.5) / 2}};
  Render(dir, "ch02_xor_spaces", 1000, 460, [&](Gnuplot& gp) {
    gp << "set multiplot layout 1,2\nset size ratio -1\nset grid\n"
          "set key outside bottom center horizontal\n"
          "set title 'Input space x: no line separates XOR'\n"
          "set xrange [-0.25:1.25]\nset yrange [-0.25:1.25]\n"
          "set xlabel 'x_1'\nset ylabel 'x_2'\n"
          "plot '-' w p pt 7 ps 2.5 lc rgb '#1f77b4' t 'XOR = 1', "
          "'-' w p pt 2 ps 2.5 lw 3 lc rgb '#d62728' t 'XOR = 0'\n";
    gp.send1d(x_pos);
    gp.send1d(x_neg);
    gp << "set title 'Hidden space h = max(0, Wx + c): (0,1) and (1,0) "
          "meet'\nset xrange [-0.25:2.25]\nset yrange [-0.25:1.25]\n"
          "set xlabel 'h_1'\nset ylabel 'h_2'\n"
          "plot '-' w p pt 7 ps 2.5 lc rgb '#1f77b4' t 'XOR = 1 (two "
          "points)', '-' w p pt 2 ps 2.5 lw 3 lc rgb '#d62728' t 'XOR = 0', "
          "'-' w l lw 2 lc rgb 'black' t 'h_1 - 2 h_2 = 1/2'\n";
    gp.send1d(h_pos);
    gp.send1d(h_neg);
    gp.send1d(boundary);
  });
}

void XnorHeatmap(const std::string& dir) {
  const int n = 101;
  Matrix grid(n * n, 2);
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < n; ++j) {
      grid(i * n + j, 0) = -0.25 + 1.5 * i / (n - 1);
      grid(i * n + j, 1) = -0.25 + 1.5 * j / (n - 1);
    }
  }
  const Matrix out = ch02::XnorNetwork().Forward(grid).output();
  // gnuplot's image format: blocks of constant x1, one row per x2.
  std::vector<std::vector<std::tuple<double, double, double>>> blocks(n);
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < n; ++j) {
      blocks[i].emplace_back(grid(i * n + j, 0), grid(i * n + j, 1),
                             out(i * n + j, 0));
    }
  }
  Render(dir, "ch02_xnor_heatmap", 760, 640, [&](Gnuplot& gp) {
    gp << "set title 'The sigmoid XNOR network (LMU): output over the unit "
          "square'\nset size ratio -1\nset xrange [-0.25:1.25]\n"
          "set yrange [-0.25:1.25]\nset xlabel 'x_1'\nset ylabel 'x_2'\n"
          "set cblabel 'h(x)'\nset cbrange [0:1]\n"
          "set palette defined (0 '#440154', 0.5 '#21918c', 1 '#fde725')\n"
          "set key outside bottom center horizontal\n"
          "plot '-' w image notitle, "
          "'-' w p pt 7 ps 2.5 lc rgb '#d62728' t 'XNOR = 1', "
          "'-' w p pt 2 ps 2.5 lw 3 lc rgb 'black' t 'XNOR = 0'\n";
    gp.send2d(blocks);
    gp.send1d(Points{{0, 0}, {1, 1}});
    gp.send1d(Points{{0, 1}, {1, 0}});
  });
}

}  // namespace
}  // namespace ffnn::figures

int main(int argc, char** argv) {
  return ffnn::figures::FigureMain(
      argc, argv,
      {.description = "fig_ch02: chapter 2's figures (XOR's hidden space, the "
                      "XNOR network's output) as PNG, PDF and SVG",
       .figures = {"ch02_xor_spaces", "ch02_xnor_heatmap"},
       .draw =
           [](const std::string& dir) {
             ffnn::figures::XorSpaces(dir);
             ffnn::figures::XnorHeatmap(dir);
           },
       .add_options = nullptr,
       .files = nullptr});
}
