#include "figures/plot.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>
#include <stdexcept>

#include "chapters/common/cli.h"
#include "chapters/common/files.h"

namespace ffnn::figures {
namespace {

// cairo stamps PDFs with the time of day (and Debian 12's cairo ignores
// SOURCE_DATE_EPOCH): the date is replaced with a fixed one of the same
// length, so that the cross-reference offsets stay valid.
std::string FixPdfDate(std::string pdf) {
  const std::string key = "/CreationDate (D:";
  const auto at = pdf.find(key);
  if (at == std::string::npos) return pdf;
  const auto begin = at + key.size();
  for (auto i = begin; i < pdf.size() && pdf[i] >= '0' && pdf[i] <= '9'; ++i) {
    pdf[i] = i - begin < 4 ? "2000"[i - begin]
                           : (i - begin < 8 ? "0101"[i - begin - 4] : '0');
  }
  return pdf;
}

}  // namespace

void Render(const std::string& dir, const std::string& name, int width,
            int height, const std::function<void(Gnuplot&)>& body) {
  std::filesystem::create_directories(dir);
  const std::string base = dir + "/" + name;
  // gnuplot writes temporary files "<figure>.tmp.<pid>", which go into
  // place through WriteFileAtomically once all three are complete: an
  // interrupted run leaves the previous figures, never a part of one, and
  // the temporaries of a killed run are removed by the next run's writes
  // (they carry a dead writer's pid, as WriteFileAtomically's own do).
  const std::string part = ".tmp." + std::to_string(::getpid());
  {
    Gnuplot gp("gnuplot");
    const struct {
      std::string terminal, ext;
    } outputs[] = {
        {"pngcairo enhanced font 'DejaVu Sans,11' size " +
             std::to_string(width) + "," + std::to_string(height),
         "png"},
        {"pdfcairo enhanced font 'DejaVu Sans,9' size " +
             std::to_string(width / 100.0) + "in," +
             std::to_string(height / 100.0) + "in",
         "pdf"},
        {"svg enhanced font 'DejaVu Sans,11' size " + std::to_string(width) +
             "," + std::to_string(height),
         "svg"},
    };
    for (const auto& o : outputs) {
      gp << "reset\nset terminal " << o.terminal << "\n";
      gp << "set output '" << base << "." << o.ext << part << "'\n";
      body(gp);
      gp << "unset multiplot\nset output\n";
    }
    gp << "exit\n";
  }  // ~Gnuplot waits for gnuplot to finish writing
  for (const char* ext : {"png", "pdf", "svg"}) {
    const std::string path = base + "." + ext + part;
    if (!std::filesystem::exists(path) ||
        std::filesystem::file_size(path) == 0) {
      for (const char* e : {"png", "pdf", "svg"}) {
        std::error_code ignored;
        std::filesystem::remove(base + "." + e + part, ignored);
      }
      throw std::runtime_error("gnuplot did not write " + base + "." + ext);
    }
  }
  for (const std::string ext : {"png", "pdf", "svg"}) {
    const std::string tmp = base + "." + ext + part;
    std::string bytes;
    {
      std::ifstream in(tmp, std::ios::binary);
      bytes.assign(std::istreambuf_iterator<char>(in), {});
    }
    if (ext == "pdf") bytes = FixPdfDate(std::move(bytes));
    chapters::WriteFileAtomically(base + "." + ext, bytes);
    std::filesystem::remove(tmp);
  }
  std::cout << "wrote " << base << ".{png,pdf,svg}\n";
}

int FigureMain(int argc, char** argv,
               const std::function<void(const std::string&)>& draw) {
  const std::string tool = std::filesystem::path(argv[0]).filename().string();
  if (argc != 2) {
    chapters::PrintError(tool, "usage: " + tool + " OUTPUT_DIR");
    return 2;
  }
  try {
    draw(argv[1]);
  } catch (const std::exception& e) {
    chapters::PrintError(tool, e.what());
    return 1;
  }
  return 0;
}

}  // namespace ffnn::figures
