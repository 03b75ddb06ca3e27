// Worked examples: each number a chapter computes, beside the number the
// slide printed, with the check that they agree within the slide's rounding.
// Every chapter target prints its Report three ways: as text for a student
// at a terminal, as JSON (--json) for tools, and as Markdown tables with
// Doxygen snippet markers (--markdown) that the book pulls in.
#ifndef FFNN_CHAPTERS_COMMON_WORKED_H_
#define FFNN_CHAPTERS_COMMON_WORKED_H_

#include <functional>
#include <iosfwd>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ffnn::chapters {

// A number the slide printed, with the number of decimals it was printed to.
struct SlideValue {
  double value;
  int decimals;
};

// A computed value agrees with a slide value when it rounds to it: within
// half a unit of the slide's last printed digit (plus 1e-12 for the binary
// representation of the printed decimal).
bool AgreesWithSlide(double computed, SlideValue slide);

// One quantity of a worked example.
struct Quantity {
  std::string name;                 // the slide's symbol, e.g. "sigma(z)"
  double computed;                  // full double precision
  std::optional<SlideValue> slide;  // what the slide printed, if it did
  std::string note;                 // e.g. which deck printed it
  std::string erratum;  // id of the Erratum when the slide is known wrong
  // A check instead of a slide value: |computed| must be at most bound
  // (NaN fails), for the reason bound_why gives.
  std::optional<double> bound;
  std::string bound_why;
};

// Whether a check's value is within its bound (a NaN is not).
bool WithinBound(const Quantity& q);

// One worked example: an id (the JSON key), the deck file and slide title,
// the steps as the slide shows them, and the quantities.
struct Example {
  std::string id;
  std::string source;  // "<deck file> — <slide title>"
  std::vector<std::string> steps;
  std::vector<Quantity> quantities;

  Example& Step(std::string line);
  Example& Add(std::string name, double computed);
  Example& Add(std::string name, double computed, SlideValue slide,
               std::string note = "");
  // A slide value that is wrong, explained by the erratum `erratum_id`: it is
  // shown beside the correct value and does not count as a disagreement.
  Example& AddWrong(std::string name, double computed, SlideValue slide,
                    std::string erratum_id);
  // A check the chapter computes (an error against finite differences, a
  // difference of two ways to the same number): |computed| <= bound, or
  // the target fails. `why` justifies the bound in a few words; both are
  // printed beside the value.
  Example& AddCheck(std::string name, double computed, double bound,
                    std::string why);
  // Whether every quantity with a slide value agrees with it (known errata
  // excepted) and every check is within its bound.
  bool AllAgree() const;
  // The first quantity that does not (its name, value, and the slide value
  // or bound), or "" if all do.
  std::string FirstDisagreement() const;
};

// An erratum: what a deck says, what is right, and why.
struct Erratum {
  std::string id;
  std::string source;  // "<deck file> — <slide title>"
  std::string slide_says;
  std::string correct;
  std::string why;
};

class Report {
 public:
  explicit Report(std::string chapter) : chapter_(std::move(chapter)) {}
  Example& Add(std::string id, std::string source);
  void AddErratum(Erratum e) { errata_.push_back(std::move(e)); }

  // Runs one worked example, work(*this). In a student pack, where an
  // exercise the example needs is not done yet (ExerciseNotDone), the
  // report keeps none of the example's partial output and remembers the
  // exercise instead: the other examples still run.
  void Run(const std::function<void(Report&)>& work);
  // "exercise 2.3 (stable softmax) is not done yet", once per exercise, in
  // the order they were met.
  const std::vector<std::string>& unsolved() const { return unsolved_; }

  const std::vector<Example>& examples() const { return examples_; }
  const std::vector<Erratum>& errata() const { return errata_; }

  // Human-readable: every step, every quantity, slide vs computed, with a
  // mark where they agree within the slide's rounding.
  void PrintText(std::ostream& os) const;
  // {"chapter": ..., "examples": [{"id", "source", "values": {name: v},
  //  "slide": {name: v}, "slide_decimals": {name: d}, "errata": {name: id},
  //  "bounds": {name: b}, "agrees_with_slide"}], "errata": [...]} at full
  //  double precision (tests/support/check_report_json.py checks it).
  void PrintJson(std::ostream& os) const;
  // One Markdown section per example and erratum, delimited by
  // <!-- [id] --> markers for Doxygen's \snippet{doc}, and every quantity as
  // a block of its own between <!-- [id.key] --> lines, for the prose
  // (key = MarkerKey(name)).
  void PrintMarkdown(std::ostream& os) const;

 private:
  std::string chapter_;
  std::vector<Example> examples_;
  std::vector<Erratum> errata_;
  std::vector<std::string> unsolved_;
};

// The one line a chapter target prints for a report with unsolved
// exercises: "exercises not done yet: 2.1 (the forward pass of one layer),
// 2.3 (stable softmax); the examples that need them are left out".
std::string UnsolvedLine(const std::vector<std::string>& unsolved);

// A quantity's name as a snippet marker key: runs of anything but letters
// and digits become one '_' ("sigma(z) [DL4NLP]" -> "sigma_z_DL4NLP").
std::string MarkerKey(const std::string& name);

// The decks, by file name (see ../shared/slides/README.md).
namespace decks {
inline constexpr const char* kLmu = "000_bedaec524881b9e9.txt";
inline constexpr const char* kUcl = "001_2932104d38ef9304.txt";
inline constexpr const char* kDl4nlp = "002_240770638824e75b.txt";
inline constexpr const char* kBackprop = "003_beb177d918fdfc42.txt";
inline constexpr const char* kJm = "004_d502c13735a20208.txt";
}  // namespace decks

// "<deck file> — <slide title>", the form every example cites its source in
// and the JSON keeps for tools; several sources are joined by "; ".
std::string Source(const char* deck, const char* title);

// The citation a reader can follow, for the text report and the book: each
// "<deck file> — <title>" becomes "<course>, <deck title>, slide '<title>'"
// ("LMU, Feedforward Neural Networks and Word Embeddings, slide 'Dot
// product with (trained) weight matrix'"); anything else stays as it is.
std::string CiteForReaders(std::string_view source);

// "(0.5, -1, 3)": a vector as the text report shows it.
std::string FormatVector(std::span<const double> v);

// Formats a double the way the text report shows it (up to 6 significant
// digits); JSON output uses full precision.
std::string Format(double v);

// What a chapter's report may need from the command line.
// An input file a chapter's examples read beyond data/ (chapter 5's
// trained word vectors): the option --<name>, its help, and the path used
// without it.
struct ChapterInput {
  std::string name;
  std::string help;
  std::string default_path;
};

struct ChapterOptions {
  std::string data_dir;  // --data-dir, default: the source tree's data/
  int threads = 1;       // --threads, default FFNN_THREADS or 1
  std::map<std::string, std::string> inputs;  // --<name> of each input
  // The path of a declared input; throws std::logic_error naming an input
  // the chapter did not declare.
  const std::string& Input(const std::string& name) const;
};

// The shared main of every chapter target: parses --json / --markdown /
// --data-dir / --threads / --help, prints the report, and returns the exit
// status (1 if any slide value disagrees, so a wrong number cannot pass
// unnoticed, or if building the report failed, e.g. on bad input data; 2
// with one line "<tool>: error: <what>" for a bad thread count).
// `inputs` are the chapter's own input files (ChapterInput).
int RunChapterMain(int argc, char** argv, const char* description,
                   Report (*build)(const ChapterOptions&),
                   std::span<const ChapterInput> inputs = {});

}  // namespace ffnn::chapters

#endif  // FFNN_CHAPTERS_COMMON_WORKED_H_
