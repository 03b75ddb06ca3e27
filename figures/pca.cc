#include "figures/pca.h"

#include <Eigen/Dense>
#include <cstdio>
#include <stdexcept>

#include "figures/plot.h"

namespace ffnn::figures {

const WordGroups& ChosenWordGroups() {
  static const WordGroups groups = {
      {"numbers", {"two", "three", "four", "five", "six", "ten", "twenty"}},
      {"months", {"january", "february", "april", "june", "july", "december"}},
      {"countries",
       {"china", "russia", "japan", "mexico", "germany", "france", "britain"}},
      {"pronouns", {"we", "they", "he", "i", "you", "she"}},
      {"modal verbs", {"will", "would", "should", "must", "can", "may"}}};
  return groups;
}

void ChosenWordsPca(
    const std::string& dir, const std::string& name, const std::string& what,
    const std::function<std::optional<std::vector<double>>(const char*)>&
        vector_of) {
  const WordGroups& groups = ChosenWordGroups();
  std::vector<std::pair<std::size_t, std::string>> rows;  // group, word
  std::vector<std::vector<double>> vectors;
  for (std::size_t g = 0; g < groups.size(); ++g) {
    for (const char* w : groups[g].second) {
      auto v = vector_of(w);
      if (!v) continue;
      rows.emplace_back(g, w);
      vectors.push_back(std::move(*v));
    }
  }
  if (vectors.size() < 3) {
    throw std::runtime_error(name + ": fewer than 3 chosen words are known");
  }
  const auto n = static_cast<Eigen::Index>(vectors.size());
  const auto d = static_cast<Eigen::Index>(vectors[0].size());
  Eigen::MatrixXd E(n, d);
  for (Eigen::Index i = 0; i < n; ++i) {
    for (Eigen::Index j = 0; j < d; ++j) E(i, j) = vectors[i][j];
  }
  // PCA: the rows centred, projected on the top two right singular vectors.
  E.rowwise() -= E.colwise().mean();
  Eigen::JacobiSVD<Eigen::MatrixXd> svd(E, Eigen::ComputeThinV);
  const Eigen::MatrixXd P = E * svd.matrixV().leftCols(2);
  const Eigen::VectorXd sv = svd.singularValues();
  char explained[32];
  std::snprintf(explained, sizeof explained, "%.0f",
                sv.head(2).squaredNorm() / sv.squaredNorm() * 100.0);
  Render(dir, name, 900, 640, [&](Gnuplot& gp) {
    gp << "set title '" << what
       << " of chosen words, first two principal components (" << explained
       << "% of their variance)'\nset grid\nset xlabel 'PC 1'\n"
          "set ylabel 'PC 2'\nset key outside right\nset offsets 0.1, 0.1, "
          "0.1, 0.1\nplot ";
    // Colours that stay apart and readable on white (Okabe-Ito).
    const char* colours[] = {"#9400d3", "#009e73", "#0072b2", "#e69f00",
                             "#d55e00"};
    for (std::size_t g = 0; g < groups.size(); ++g) {
      const char* c = colours[g % 5];
      gp << (g ? ", " : "")
         << "'-' u 1:2:3 w labels font ',9' point pt 7 ps 1 lc rgb '" << c
         << "' tc rgb '" << c << "' offset 0.5,0.5 t '" << groups[g].first
         << "'";
    }
    gp << "\n";
    for (std::size_t g = 0; g < groups.size(); ++g) {
      for (std::size_t i = 0; i < rows.size(); ++i) {
        if (rows[i].first != g) continue;
        gp << P(Eigen::Index(i), 0) << " " << P(Eigen::Index(i), 1) << " "
           << rows[i].second << "\n";
      }
      gp << "e\n";
    }
  });
}

}  // namespace ffnn::figures
