#include "chapters/common/worked.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <system_error>

#include "chapters/common/cli.h"
#include "chapters/common/corpus.h"
#include "chapters/common/errors.h"
#include "chapters/common/threads.h"
#include "kernels/exercise.h"

namespace ffnn::chapters {

bool AgreesWithSlide(double computed, SlideValue slide) {
  const double half_unit = 0.5 * std::pow(10.0, -slide.decimals);
  return std::abs(computed - slide.value) <= half_unit + 1e-12;
}

Example& Example::Step(std::string line) {
  steps.push_back(std::move(line));
  return *this;
}
Example& Example::Add(std::string name, double computed) {
  quantities.push_back(
      {std::move(name), computed, std::nullopt, "", "", std::nullopt, ""});
  return *this;
}
Example& Example::Add(std::string name, double computed, SlideValue slide,
                      std::string note) {
  quantities.push_back({std::move(name), computed, slide, std::move(note), "",
                        std::nullopt, ""});
  return *this;
}
Example& Example::AddWrong(std::string name, double computed, SlideValue slide,
                           std::string erratum_id) {
  quantities.push_back({std::move(name), computed, slide, "",
                        std::move(erratum_id), std::nullopt, ""});
  return *this;
}
Example& Example::AddCheck(std::string name, double computed, double bound,
                           std::string why) {
  quantities.push_back(
      {std::move(name), computed, std::nullopt, "", "", bound, std::move(why)});
  return *this;
}

bool WithinBound(const Quantity& q) {
  return !q.bound || std::abs(q.computed) <= *q.bound;  // NaN: false
}

namespace {
bool Agrees(const Quantity& q) {
  if (q.slide && q.erratum.empty() && !AgreesWithSlide(q.computed, *q.slide))
    return false;
  return WithinBound(q);
}
}  // namespace

bool Example::AllAgree() const {
  for (const Quantity& q : quantities) {
    if (!Agrees(q)) return false;
  }
  return true;
}

std::string Example::FirstDisagreement() const {
  for (const Quantity& q : quantities) {
    if (Agrees(q)) continue;
    if (q.bound) {
      return q.name + " = " + Format(q.computed) + " exceeds its bound " +
             Format(*q.bound);
    }
    char slide[32];
    std::snprintf(slide, sizeof slide, "%.*f", q.slide->decimals,
                  q.slide->value);
    return q.name + " = " + Format(q.computed) +
           " disagrees with the slide's " + slide;
  }
  return "";
}

void Report::Run(const std::function<void(Report&)>& work) {
  const std::size_t examples = examples_.size(), errata = errata_.size();
  try {
    work(*this);
  } catch (const ExerciseNotDone& e) {
    examples_.resize(examples);
    errata_.resize(errata);
    if (std::find(unsolved_.begin(), unsolved_.end(), e.what()) ==
        unsolved_.end()) {
      unsolved_.push_back(e.what());
    }
  }
}

std::string UnsolvedLine(const std::vector<std::string>& unsolved) {
  std::string line = "exercises not done yet: ";
  const std::string_view prefix = "exercise ", suffix = " is not done yet";
  std::vector<std::string> sorted = unsolved;  // "exercise 1.2 ..." < "1.4"
  std::sort(sorted.begin(), sorted.end());
  for (std::size_t i = 0; i < sorted.size(); ++i) {
    std::string_view what = sorted[i];
    if (what.starts_with(prefix)) what.remove_prefix(prefix.size());
    if (what.ends_with(suffix)) what.remove_suffix(suffix.size());
    line += (i > 0 ? ", " : "") + std::string(what);
  }
  return line + "; the examples that need them are left out";
}

Example& Report::Add(std::string id, std::string source) {
  examples_.push_back({std::move(id), std::move(source), {}, {}});
  return examples_.back();
}

std::string Format(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

std::string Source(const char* deck, const char* title) {
  return std::string(deck) + " — " + title;
}

namespace {

// The parts of a source joined by "; " outside parentheses (a title may
// hold "; " inside its own parenthetical remark).
std::vector<std::string_view> SourceParts(std::string_view source) {
  std::vector<std::string_view> parts;
  int depth = 0;
  std::size_t begin = 0;
  for (std::size_t i = 0; i < source.size(); ++i) {
    depth += source[i] == '(' ? 1 : source[i] == ')' ? -1 : 0;
    if (depth == 0 && source.substr(i).starts_with("; ")) {
      parts.push_back(source.substr(begin, i - begin));
      begin = i + 2;
    }
  }
  parts.push_back(source.substr(begin));
  return parts;
}

// A slide title as a reader quotes it: "slide 'Title'", with a trailing
// remark in parentheses outside the quotes ("slide 'Chain rule' (the two
// examples)"), ", and the untitled slide after it" outside them too, and
// a description that names no title (it starts in lower case: "the slide
// after 'X'") as it is.
std::string QuoteSlide(std::string_view title) {
  if (!title.empty() && std::islower(static_cast<unsigned char>(title[0]))) {
    return std::string(title);
  }
  std::string_view remark;
  if (title.ends_with(")")) {
    int depth = 0;
    for (std::size_t i = title.size(); i-- > 0;) {
      depth += title[i] == ')' ? 1 : title[i] == '(' ? -1 : 0;
      if (depth == 0) {
        if (i > 0 && title[i - 1] == ' ') {
          remark = title.substr(i);
          title = title.substr(0, i - 1);
        }
        break;
      }
    }
  }
  std::string_view rest;
  if (const std::size_t at = title.find(", and the "); at != title.npos) {
    rest = title.substr(at + 2);
    title = title.substr(0, at);
  }
  std::string out = "slide '" + std::string(title) + "'";
  if (!rest.empty()) out += " " + std::string(rest);
  if (!remark.empty()) out += " " + std::string(remark);
  return out;
}

}  // namespace

std::string CiteForReaders(std::string_view source) {
  // The decks as ../shared/slides/README.md names them.
  static const std::pair<const char*, const char*> kDecks[] = {
      {decks::kLmu, "LMU, Feedforward Neural Networks and Word Embeddings"},
      {decks::kUcl,
       "UCL COMP0087, Introduction to neural networks and backpropagation"},
      {decks::kDl4nlp, "DL4NLP, 2. Neural Networks"},
      {decks::kBackprop, "The \"Backpropagation\" deck"},
      {decks::kJm,
       "Jurafsky & Martin, Neural Networks and Neural Language Models"}};
  const std::string_view dash = " — ";
  std::string out;
  bool after_deck = false;  // a part without a deck continues the last one
  for (const std::string_view part : SourceParts(source)) {
    if (!out.empty()) out += "; ";
    std::string cited(part);
    bool deck_found = false;
    for (const auto& [file, deck] : kDecks) {
      const std::string prefix = std::string(file) + std::string(dash);
      if (part.starts_with(prefix)) {
        cited =
            std::string(deck) + ", " + QuoteSlide(part.substr(prefix.size()));
        deck_found = true;
      }
    }
    if (!deck_found && after_deck) cited = QuoteSlide(part);
    after_deck = deck_found || after_deck;
    out += cited;
  }
  return out;
}

std::string FormatVector(std::span<const double> v) {
  std::string s = "(";
  for (std::size_t i = 0; i < v.size(); ++i)
    s += (i ? ", " : "") + Format(v[i]);
  return s + ")";
}

namespace {

std::string SlideString(const SlideValue& s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.*f", s.decimals, s.value);
  return buf;
}

// "agrees", "DIFFERS" or "slide wrong (erratum id)"; for a check "within
// bound" or "EXCEEDS bound".
std::string Verdict(const Quantity& q) {
  if (q.bound) return WithinBound(q) ? "within bound" : "EXCEEDS bound";
  if (!q.slide) return "";
  const bool ok = AgreesWithSlide(q.computed, *q.slide);
  if (!q.erratum.empty()) {
    return ok ? "agrees (see erratum " + q.erratum + ")"
              : "slide wrong: erratum " + q.erratum;
  }
  return ok ? "agrees" : "DIFFERS";
}

}  // namespace

void Report::PrintText(std::ostream& os) const {
  os << "Chapter " << chapter_ << "\n";
  for (const Example& e : examples_) {
    os << "\n== " << e.id << "  [" << CiteForReaders(e.source) << "]\n";
    for (const std::string& s : e.steps) os << "  " << s << "\n";
    for (const Quantity& q : e.quantities) {
      os << "  " << q.name << " = " << Format(q.computed);
      if (q.slide) {
        os << "   slide: " << SlideString(*q.slide);
        if (!q.note.empty()) os << " (" << q.note << ")";
        os << "   " << (Verdict(q) == "agrees" ? "[ok] " : "[!!] ")
           << Verdict(q);
      }
      if (q.bound) {
        os << "   bound: " << Format(*q.bound) << " (" << q.bound_why << ")   "
           << (WithinBound(q) ? "[ok] " : "[!!] ") << Verdict(q);
      }
      os << "\n";
    }
  }
  if (!errata_.empty()) {
    os << "\n== errata\n";
    for (const Erratum& e : errata_) {
      os << "  " << e.id << "  [" << CiteForReaders(e.source) << "]\n"
         << "    slide says: " << e.slide_says << "\n"
         << "    correct:    " << e.correct << "\n"
         << "    why:        " << e.why << "\n";
    }
  }
}

void Report::PrintJson(std::ostream& os) const {
  nlohmann::ordered_json doc;
  doc["chapter"] = chapter_;
  doc["examples"] = nlohmann::ordered_json::array();
  for (const Example& e : examples_) {
    nlohmann::ordered_json ex;
    ex["id"] = e.id;
    ex["source"] = e.source;
    ex["values"] = nlohmann::ordered_json::object();
    nlohmann::ordered_json slide = nlohmann::ordered_json::object(),
                           decimals = nlohmann::ordered_json::object(),
                           errata = nlohmann::ordered_json::object(),
                           bounds = nlohmann::ordered_json::object();
    for (const Quantity& q : e.quantities) {
      ex["values"][q.name] = q.computed;
      if (q.slide) {
        slide[q.name] = q.slide->value;
        decimals[q.name] = q.slide->decimals;
      }
      if (!q.erratum.empty()) errata[q.name] = q.erratum;
      if (q.bound) bounds[q.name] = *q.bound;
    }
    ex["slide"] = slide;
    ex["slide_decimals"] = decimals;
    ex["errata"] = errata;
    ex["bounds"] = bounds;
    ex["agrees_with_slide"] = e.AllAgree();
    doc["examples"].push_back(ex);
  }
  doc["errata"] = nlohmann::ordered_json::array();
  for (const Erratum& e : errata_) {
    doc["errata"].push_back({{"id", e.id},
                             {"source", e.source},
                             {"slide_says", e.slide_says},
                             {"correct", e.correct},
                             {"why", e.why}});
  }
  // Full double precision: 17 significant digits round-trip exactly.
  os << doc.dump(2) << "\n";
}

// "sigma(z) [DL4NLP, J&M]" -> "sigma_z_DL4NLP_J_M": a snippet marker name.
std::string MarkerKey(const std::string& name) {
  std::string key;
  for (char c : name) {
    const bool word = std::isalnum(static_cast<unsigned char>(c));
    if (word) {
      key += c;
    } else if (!key.empty() && key.back() != '_') {
      key += '_';
    }
  }
  while (!key.empty() && key.back() == '_') key.pop_back();
  return key;
}

namespace {
// A Markdown table cell: '|' would end the cell, so it becomes Doxygen's
// escaped pipe, \|.
std::string TableCell(const std::string& text) {
  std::string out;
  for (const char c : text) {
    if (c == '|') {
      out += "\\|";
    } else {
      out.push_back(c);
    }
  }
  return out;
}
}  // namespace

void Report::PrintMarkdown(std::ostream& os) const {
  for (const Example& e : examples_) {
    // A block per value for the prose. Doxygen takes the lines strictly
    // between two marker lines, so the markers need lines of their own.
    for (const Quantity& q : e.quantities) {
      const std::string m = "<!-- [" + e.id + "." + MarkerKey(q.name) + "] -->";
      os << m << "\n" << Format(q.computed) << "\n" << m << "\n";
    }
    os << "<!-- [" << e.id << "] -->\n";
    os << "*" << CiteForReaders(e.source) << "*\n\n";
    if (!e.steps.empty()) {
      os << "~~~\n";
      for (const std::string& s : e.steps) os << s << "\n";
      os << "~~~\n\n";
    }
    os << "| quantity | computed | slide | |\n|---|---|---|---|\n";
    for (const Quantity& q : e.quantities) {
      os << "| " << TableCell(q.name) << " | " << Format(q.computed) << " | "
         << (q.slide ? SlideString(*q.slide)
             : q.bound
                 ? "bound " + Format(*q.bound) + ": " + TableCell(q.bound_why)
                 : "")
         << " | " << Verdict(q) << " |\n";
    }
    os << "<!-- [" << e.id << "] -->\n\n";
  }
  for (const Erratum& e : errata_) {
    os << "<!-- [erratum." << e.id << "] -->\n"
       << "- **" << e.id << "** (" << CiteForReaders(e.source)
       << "). The slide says " << e.slide_says << ". Correct: " << e.correct
       << ". Why: " << e.why << ".\n"
       << "<!-- [erratum." << e.id << "] -->\n\n";
  }
}

const std::string& ChapterOptions::Input(const std::string& name) const {
  const auto it = inputs.find(name);
  if (it == inputs.end()) {
    throw std::logic_error("the chapter declares no input --" + name);
  }
  return it->second;
}

int RunChapterMain(int argc, char** argv, const char* description,
                   Report (*build)(const ChapterOptions&),
                   std::span<const ChapterInput> inputs) {
  CLI::App app{description};
  bool json = false, markdown = false;
  ChapterOptions options;
  options.data_dir = FFNN_DATA_DIR;
  app.add_option("--data-dir", options.data_dir,
                 "directory with the vendored data (default: the source "
                 "tree's data/)");
  app.add_flag("--json", json,
               "print the worked examples as one JSON document");
  app.add_flag("--markdown", markdown,
               "print the worked examples as Markdown for the book");
  for (const ChapterInput& input : inputs) {
    std::string& path = options.inputs[input.name] = input.default_path;
    app.add_option("--" + input.name, path, input.help);
  }
  int threads = 1;
  const CLI::Option* threads_option =
      AddThreadsOption(app, threads, "threads for the kernels");
  const std::string tool = std::filesystem::path(argv[0]).filename();
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return ExitOnParseError(app, e, tool.c_str());
  }
  try {
    options.threads = ResolveThreads(threads_option, threads);
  } catch (const std::invalid_argument& e) {
    PrintError(tool, e.what());
    return 2;
  }
  try {
    SetActivity("working the examples");
    const Report report = build(options);
    if (json) {
      report.PrintJson(std::cout);
    } else if (markdown) {
      report.PrintMarkdown(std::cout);
    } else {
      report.PrintText(std::cout);
    }
    for (const Example& e : report.examples()) {
      if (!e.AllAgree()) {
        PrintError(tool, e.id + ": " + e.FirstDisagreement());
        return 1;
      }
    }
    if (!report.unsolved().empty()) {  // a student pack's open exercises
      PrintError(tool, UnsolvedLine(report.unsolved()));
      return 1;
    }
  } catch (const ExerciseNotDone& e) {  // needed before any example ran
    PrintError(tool, e.what());
    return 1;
  } catch (const InputError& e) {  // unreadable or invalid input files
    PrintError(tool, e.what());
    return 2;
  } catch (const std::system_error&) {  // files, threads: the machine's
    return ReportError(tool, std::current_exception());
  } catch (const std::runtime_error& e) {  // a check exceeded its bound
    PrintError(tool, e.what());
    return 1;
  } catch (...) {  // out of memory, or a broken invariant: named, status 2
    return ReportError(tool, std::current_exception());
  }
  return 0;
}

}  // namespace ffnn::chapters
