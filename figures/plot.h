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

#include "chapters/common/files.h"
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

// A figure program: what its command line offers and what it writes.
struct FigureProgram {
  std::string description;
  // The figures draw() renders (each as .png, .pdf and .svg), known before
  // it runs, so that every output is checked before any work; Render
  // refuses a name not declared here.
  std::vector<std::string> figures;
  std::function<void(const std::string& dir)> draw;
  // Options of its own (CLI11), if any.
  std::function<void(CLI::App&)> add_options;
  // After parsing: the files it reads and those it writes besides its
  // figures (--markdown), if any.
  std::function<void(std::vector<chapters::NamedPath>& inputs,
                     std::vector<chapters::NamedPath>& outputs)>
      files;
};

// The command line of every figure program: `prog OUTPUT_DIR` plus its own
// options, with the tools' conventions (--help; errors as one line
// "<prog>: error: <what>", exit status 2). Before any work, every output
// (each figure's three files in OUTPUT_DIR, created if needed, and the
// program's other outputs) is checked (chapters::CheckOutputs): none may be
// an input, a directory or unwritable. Then draw(OUTPUT_DIR) runs; any
// exception it throws is reported the same way, with status 2.
int FigureMain(int argc, char** argv, const FigureProgram& program);

}  // namespace ffnn::figures

#endif  // FFNN_FIGURES_PLOT_H_
