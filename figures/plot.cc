#include "figures/plot.h"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>
#include <stdexcept>

#include "chapters/common/cli.h"
#include "chapters/common/errors.h"
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

namespace {

// Characters a path may hold to be written into a shell command line and a
// gnuplot string without quoting.
bool NeedsNoQuoting(const std::string& path) {
  return !path.empty() && path.find_first_not_of(
                              "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRS"
                              "TUVWXYZ0123456789/._-") == std::string::npos;
}

// A private directory for gnuplot's output, "ffnn-gnuplot.<pid>.XXXXXX"
// under $TMPDIR (when its name needs no quoting) or /tmp; removed with its
// contents when done. A killed run's directory is removed by the next run.
class GnuplotDir {
 public:
  GnuplotDir() {
    namespace fs = std::filesystem;
    const char* env = std::getenv("TMPDIR");
    std::string base = env && NeedsNoQuoting(env) && fs::is_directory(env)
                           ? std::string(env)
                           : std::string("/tmp");
    RemoveStale(base);
    std::string name = base + "/ffnn-gnuplot." +
                       std::to_string(static_cast<long>(::getpid())) +
                       ".XXXXXX";
    if (::mkdtemp(name.data()) == nullptr) {
      throw std::runtime_error("cannot create a temporary directory in " +
                               base + " for gnuplot");
    }
    path_ = name;
  }
  ~GnuplotDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  const std::string& path() const { return path_; }

 private:
  static void RemoveStale(const std::string& base) {
    namespace fs = std::filesystem;
    std::error_code ec;
    const std::string prefix = "ffnn-gnuplot.";
    for (fs::directory_iterator it(base, ec), end; !ec && it != end;
         it.increment(ec)) {
      const std::string name = it->path().filename().string();
      if (name.rfind(prefix, 0) != 0) continue;
      const std::string pid = name.substr(
          prefix.size(), name.find('.', prefix.size()) - prefix.size());
      if (pid.empty() || pid.size() > 9 ||
          pid.find_first_not_of("0123456789") != std::string::npos) {
        continue;
      }
      if (::kill(static_cast<pid_t>(std::stol(pid)), 0) != 0 &&
          errno == ESRCH) {
        std::error_code ignored;
        fs::remove_all(it->path(), ignored);
      }
    }
  }
  std::string path_;
};

// The figures the running program declared (FigureProgram::figures).
std::vector<std::string>& DeclaredFigures() {
  static std::vector<std::string> names;
  return names;
}

std::string FirstLine(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    if (line.find_first_not_of(" \t^") != std::string::npos) return line;
  }
  return "";
}

}  // namespace

std::string GnuplotString(const std::string& text) {
  std::string out = "'";
  for (const char c : text) {
    if (c == '\'') {
      out += "''";
    } else if (c == '\n' || c == '\r') {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out + "'";
}

void Render(const std::string& dir, const std::string& name, int width,
            int height, const std::function<void(Gnuplot&)>& body) {
  if (!NeedsNoQuoting(name) || name.find('/') != std::string::npos) {
    throw std::logic_error("Render: the figure name '" + name +
                           "' is not a plain file name");
  }
  const auto& declared = DeclaredFigures();
  if (!declared.empty() &&
      std::find(declared.begin(), declared.end(), name) == declared.end()) {
    throw std::logic_error("Render: the figure " + name +
                           " is not among the program's declared figures");
  }
  const GnuplotDir tmp;
  const std::string base = tmp.path() + "/" + name;
  const std::string errors = tmp.path() + "/gnuplot.err";
  {
    Gnuplot gp("gnuplot 2>" + errors);  // the path needs no shell quoting
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
      gp << "set output " << GnuplotString(base + "." + o.ext) << "\n";
      body(gp);
      gp << "unset multiplot\nset output\n";
    }
    gp << "exit\n";
  }  // ~Gnuplot waits for gnuplot to finish writing
  std::vector<std::pair<std::string, std::string>> files;
  for (const std::string ext : {"png", "pdf", "svg"}) {
    const std::string path = base + "." + ext;
    std::error_code ec;
    if (!std::filesystem::exists(path, ec) ||
        std::filesystem::file_size(path, ec) == 0) {
      const std::string why = FirstLine(errors);
      throw std::runtime_error("gnuplot did not write " + name + "." + ext +
                               (why.empty() ? "" : ": " + why));
    }
    std::string bytes;
    {
      std::ifstream in(path, std::ios::binary);
      bytes.assign(std::istreambuf_iterator<char>(in), {});
    }
    if (ext == "pdf") bytes = FixPdfDate(std::move(bytes));
    files.emplace_back(dir + "/" + name + "." + ext, std::move(bytes));
  }
  std::filesystem::create_directories(dir);
  // The three formats of a figure appear together or not at all.
  chapters::WriteFilesAtomically(files);
  std::cout << "wrote " << dir << "/" << name << ".{png,pdf,svg}\n";
}

int FigureMain(int argc, char** argv, const FigureProgram& program) {
  const std::string tool = std::filesystem::path(argv[0]).filename().string();
  CLI::App app{program.description};
  std::string dir;
  app.add_option("OUTPUT_DIR", dir,
                 "folder the figures are written into (created if needed)")
      ->required();
  if (program.add_options) program.add_options(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return chapters::ExitOnParseError(app, e, tool.c_str());
  }
  try {
    chapters::SetActivity("checking the outputs");
    std::vector<chapters::NamedPath> inputs, outputs;
    for (const std::string& name : program.figures) {
      for (const char* ext : {".png", ".pdf", ".svg"}) {
        outputs.push_back({dir + "/" + name + ext, "OUTPUT_DIR", true});
      }
    }
    if (program.files) program.files(inputs, outputs);
    chapters::CheckOutputs(outputs, inputs);
    DeclaredFigures() = program.figures;
    chapters::SetActivity("drawing the figures");
    program.draw(dir);
  } catch (...) {
    return chapters::ReportError(tool, std::current_exception());
  }
  return 0;
}

}  // namespace ffnn::figures
