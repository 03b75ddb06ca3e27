// The figure helper: one gnuplot script rendered to PNG, PDF and SVG,
// without a display (cairo and SVG terminals), byte for byte the same on
// every run.
#ifndef FFNN_FIGURES_PLOT_H_
#define FFNN_FIGURES_PLOT_H_

#include <CLI/CLI.hpp>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "gnuplot-iostream.h"

namespace ffnn::figures {

using Points = std::vector<std::pair<double, double>>;

// Renders `body` (which writes gnuplot commands and data to the stream) to
// <dir>/<name>.png, .pdf and .svg at width x height pixels (PDF scaled to
// inches at 100 px per inch), the three together or none. gnuplot never
// sees `dir`: it writes into a private temporary directory whose name needs
// no quoting, and the files are then moved into `dir`, so that no folder
// name (a quote, "'.system('...').'") can break or extend its commands.
// Throws std::runtime_error naming gnuplot's first error if it fails.
void Render(const std::string& dir, const std::string& name, int width,
            int height, const std::function<void(Gnuplot&)>& body);

// A string as a gnuplot single-quoted string, quotes included: a quote is
// doubled (gnuplot's only escape there) and a line break, which would end
// the command, becomes a space. For text that comes from data.
std::string GnuplotString(const std::string& text);

// The command line of every figure program: `prog OUTPUT_DIR` plus the
// options `add_options` declares (CLI11), with the tools' conventions
// (--help; errors as one line "<prog>: error: <what>", exit status 2).
// Runs draw(OUTPUT_DIR), which writes only into OUTPUT_DIR (created if
// needed) and into files named by options; any exception it throws is
// reported the same way, with status 2.
int FigureMain(int argc, char** argv, const std::string& description,
               const std::function<void(const std::string&)>& draw,
               const std::function<void(CLI::App&)>& add_options = {});

}  // namespace ffnn::figures

#endif  // FFNN_FIGURES_PLOT_H_
