// Chapter 1 figures: activations and their derivatives, AND/OR/XOR with the
// perceptron's decision lines, the perceptron's line after each update on the
// DL4NLP points, and three learning rates compared.
#include <cmath>
#include <string>
#include <vector>

#include "chapters/01_perceptron/perceptron.h"
#include "figures/plot.h"
#include "kernels/activations.h"

namespace ffnn::figures {
namespace {

using ch01::PerceptronRun;
using ch01::Vector;

// The line w0 + w1 x1 + w2 x2 = 0 clipped to x1 in [lo, hi] (two points).
Points DecisionLine(const Vector& w, double lo, double hi) {
  if (std::abs(w[2]) < 1e-12) {  // vertical: x1 = -w0 / w1
    const double x1 = -w[0] / w[1];
    return {{x1, lo}, {x1, hi}};
  }
  return {{lo, -(w[0] + w[1] * lo) / w[2]}, {hi, -(w[0] + w[1] * hi) / w[2]}};
}

void Activations(const std::string& dir) {
  Vector x;
  for (int i = 0; i <= 240; ++i) x.push_back(-6 + 0.05 * i);
  const Vector ones(x.size(), 1.0);
  Vector s(x.size()), t(x.size()), r(x.size()), ds(x.size()), dt(x.size()),
      dr(x.size());
  kernels::Sigmoid(x, s);
  kernels::Tanh(x, t);
  kernels::Relu(x, r);
  kernels::SigmoidBackward(ones, s, ds);
  kernels::TanhBackward(ones, t, dt);
  kernels::ReluBackward(ones, r, dr);
  auto pts = [&](const Vector& y) {
    Points p;
    for (std::size_t i = 0; i < x.size(); ++i) p.emplace_back(x[i], y[i]);
    return p;
  };
  Render(dir, "ch01_activations", 1000, 420, [&](Gnuplot& gp) {
    gp << "set multiplot layout 1,2\nset grid\nset key top left\n"
          "set xlabel 'z'\nset yrange [-1.2:2.2]\n"
          "set title 'Activations g(z)'\n"
          "plot '-' w l lw 2 t 'sigmoid', '-' w l lw 2 t 'tanh', "
          "'-' w l lw 2 t 'ReLU'\n";
    gp.send1d(pts(s));
    gp.send1d(pts(t));
    gp.send1d(pts(r));
    gp << "set title \"Derivatives g'(z): sigmoid' <= 1/4; sigmoid', tanh' "
          "vanish for large |z|\"\n"
          "set yrange [-0.1:1.2]\n"
          "plot '-' w l lw 2 t \"sigmoid'\", '-' w l lw 2 t \"tanh'\", "
          "'-' w l lw 2 t \"ReLU'\"\n";
    gp.send1d(pts(ds));
    gp.send1d(pts(dt));
    gp.send1d(pts(dr));
  });
}

void AndOrXor(const std::string& dir) {
  Render(dir, "ch01_and_or_xor", 1200, 420, [&](Gnuplot& gp) {
    gp << "set multiplot layout 1,3\nset size ratio -1\n"
          "set xrange [-0.5:1.5]\nset yrange [-0.5:1.5]\n"
          "set xlabel 'x_1'\nset ylabel 'x_2'\nset grid\n"
          "set key outside bottom center horizontal\n";
    for (const ch01::BooleanTask& t : ch01::AndOrXor()) {
      const auto& [X, y] = t.data;
      const PerceptronRun run =
          ch01::TrainPerceptron(X, y, {0, 0, 0}, 0.5, 1000);
      Points pos, neg;
      for (std::size_t i = 0; i < X.size(); ++i) {
        (y[i] > 0 ? pos : neg).emplace_back(X[i][1], X[i][2]);
      }
      if (run.converged) {
        gp << "set title '" << t.name << ": separable, learned in "
           << run.epochs << " epochs'\n"
           << "plot '-' w p pt 7 ps 2 lc rgb '#1f77b4' t 'class +1', "
              "'-' w p pt 2 ps 2 lw 3 lc rgb '#d62728' t 'class -1', "
              "'-' w l lw 2 lc rgb 'black' t 'w . x = 0'\n";
        gp.send1d(pos);
        gp.send1d(neg);
        gp.send1d(DecisionLine(run.w, -0.5, 1.5));
      } else {
        gp << "set title 'XOR: not separable (training cycles)'\n"
           << "plot '-' w p pt 7 ps 2 lc rgb '#1f77b4' t 'class +1', "
              "'-' w p pt 2 ps 2 lw 3 lc rgb '#d62728' t 'class -1'\n";
        gp.send1d(pos);
        gp.send1d(neg);
      }
    }
  });
}

const auto [kX, kY] = ch01::Dl4nlpTrainingPoints();

void PerceptronUpdates(const std::string& dir) {
  const PerceptronRun run = ch01::TrainPerceptron(kX, kY, {0, -1, 1}, 0.5, 100);
  // The line after every update as a 3-column block (x1, x2, epoch). Each
  // x1 update tilts the line; each x2 update pulls it back to x2 = x1 with a
  // larger |w|, until in epoch 14 the tilt survives.
  std::vector<std::vector<std::tuple<double, double, int>>> lines;
  for (const auto& s : run.steps) {
    if (!s.updated) continue;
    std::vector<std::tuple<double, double, int>> seg;
    for (const auto& [a, b] : DecisionLine(s.w, 0, 7)) {
      seg.emplace_back(a, b, s.epoch);
    }
    lines.push_back(seg);
  }
  Render(dir, "ch01_perceptron_updates", 900, 640, [&](Gnuplot& gp) {
    gp << "set title \"DL4NLP points, {/Symbol h} = 0.5: the line w . x = 0 "
          "after every update\\nx_1 updates tilt it, x_2 updates pull it "
          "back to x_2 = x_1, until epoch 14\"\n"
       << "set cbrange [1:" << run.epochs << "]\n"
       << "set xrange [0:7]\nset yrange [0:6]\nset size ratio -1\nset grid\n"
          "set xlabel 'x_1'\nset ylabel 'x_2'\nset cblabel 'epoch'\n"
          "set palette defined (0 '#fde725', 0.5 '#21918c', 1 '#440154')\n"
          "set key bottom right\n"
          "plot '-' w l lw 1.5 lc palette notitle, "
          "'-' w l lw 2 dt 2 lc rgb 'gray40' t 'initial w = (0, -1, 1)', "
          "'-' w l lw 3 lc rgb 'black' t 'final w', "
          "'-' w p pt 7 ps 2 lc rgb '#1f77b4' t 'positive', "
          "'-' w p pt 2 ps 2 lw 3 lc rgb '#d62728' t 'negative'\n";
    gp.send2d(lines);
    gp.send1d(DecisionLine({0, -1, 1}, 0, 7));
    gp.send1d(DecisionLine(run.w, 0, 7));
    gp.send1d(Points{{1, 3}, {5, 4}});
    gp.send1d(Points{{6, 3}, {3, 1}});
  });
}

void LearningRates(const std::string& dir) {
  const double etas[] = {0.2, 0.5, 1.0};
  const char* eta_text[] = {"0.2", "0.5",
                            "1.0"};  // the stream prints 17 digits
  std::vector<Points> losses, finals;
  std::vector<int> epochs;
  for (double eta : etas) {
    const PerceptronRun run =
        ch01::TrainPerceptron(kX, kY, {0, -1, 1}, eta, 200);
    Points per_epoch;
    for (const auto& s : run.steps) {
      if (per_epoch.empty() || per_epoch.back().first != s.epoch) {
        per_epoch.emplace_back(s.epoch, 0.0);
      }
      per_epoch.back().second += s.loss;
    }
    losses.push_back(per_epoch);
    finals.push_back(DecisionLine(run.w, 0, 7));
    epochs.push_back(run.epochs);
  }
  Render(dir, "ch01_learning_rates", 1100, 450, [&](Gnuplot& gp) {
    gp << "set multiplot layout 1,2\nset grid\n"
          "set title 'Perceptron loss per epoch, from w = (0, -1, 1)'\n"
          "set xlabel 'epoch'\nset ylabel 'sum of max(0, -y w . x)'\n";
    gp << "plot ";
    for (int i = 0; i < 3; ++i) {
      gp << (i ? ", " : "") << "'-' w lp lw 2 t '{/Symbol h} = " << eta_text[i]
         << " (" << epochs[i] << " epochs)'";
    }
    gp << "\n";
    for (const auto& l : losses) gp.send1d(l);
    gp << "set title 'Final decision lines (they coincide)'\nset xrange [0:7]\n"
          "set yrange [0:6]\nset xlabel 'x_1'\nset ylabel 'x_2'\n"
          "set key bottom right\nplot ";
    for (int i = 0; i < 3; ++i) {
      gp << "'-' w l lw " << 6 - 2 * i << " t '{/Symbol h} = " << eta_text[i]
         << "', ";
    }
    gp << "'-' w p pt 7 ps 2 lc rgb '#1f77b4' t 'positive', "
          "'-' w p pt 2 ps 2 lw 3 lc rgb '#d62728' t 'negative'\n";
    for (const auto& f : finals) gp.send1d(f);
    gp.send1d(Points{{1, 3}, {5, 4}});
    gp.send1d(Points{{6, 3}, {3, 1}});
  });
}

}  // namespace
}  // namespace ffnn::figures

int main(int argc, char** argv) {
  return ffnn::figures::FigureMain(
      argc, argv,
      {.description = "fig_ch01: chapter 1's figures (activations, AND/OR/XOR, "
                      "perceptron updates, learning rates) as PNG, PDF and SVG",
       .figures = {"ch01_activations", "ch01_and_or_xor",
                   "ch01_perceptron_updates", "ch01_learning_rates"},
       .draw =
           [](const std::string& dir) {
             ffnn::figures::Activations(dir);
             ffnn::figures::AndOrXor(dir);
             ffnn::figures::PerceptronUpdates(dir);
             ffnn::figures::LearningRates(dir);
           },
       .add_options = nullptr,
       .files = nullptr});
}
