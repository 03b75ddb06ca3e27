// The figure helper: one gnuplot script rendered to PNG, PDF and SVG,
// without a display (cairo and SVG terminals), byte for byte the same on
// every run.
#ifndef FFNN_FIGURES_PLOT_H_
#define FFNN_FIGURES_PLOT_H_

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "gnuplot-iostream.h"

namespace ffnn::figures {

using Points = std::vector<std::pair<double, double>>;

// Renders `body` (which writes gnuplot commands and data to the stream) to
// <dir>/<name>.png, .pdf and .svg at width x height pixels (PDF scaled to
// inches at 100 px per inch). Throws std::runtime_error if gnuplot fails.
void Render(const std::string& dir, const std::string& name, int width,
            int height, const std::function<void(Gnuplot&)>& body);

// Parses `prog <output-dir>` and runs `draw(dir)`; reports errors on stderr
// and returns the exit status.
int FigureMain(int argc, char** argv,
               const std::function<void(const std::string&)>& draw);

}  // namespace ffnn::figures

#endif  // FFNN_FIGURES_PLOT_H_
