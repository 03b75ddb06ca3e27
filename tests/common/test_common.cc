// chapters/common: the pieces every tool shares to meet hostile input: the
// check of floating-point options, memory budgets, the last-resort error
// message, and outputs that never destroy an input and appear together or
// not at all.
#define BOOST_TEST_MODULE ffnn_common
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <future>
#include <new>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <vector>

#include "chapters/common/cli.h"
#include "chapters/common/corpus.h"
#include "chapters/common/errors.h"
#include "chapters/common/files.h"
#include "chapters/common/memory.h"
#include "chapters/common/progress.h"
#include "chapters/common/text.h"
#include "chapters/common/top_k.h"
#include "chapters/common/vocabulary.h"
#include "chapters/common/worked.h"
#include "tests/support/files.h"

namespace ffnn::testing {
namespace {

namespace fs = std::filesystem;
using chapters::NamedPath;

// ---- options ----------------------------------------------------------------

// What the validator says of `text` ("" if it takes it).
std::string Validate(const CLI::Validator& v, std::string text) {
  return v(text);
}

BOOST_AUTO_TEST_SUITE(options)

// The one --threads of every tool: ParseThreads's rule and message at parse
// time, FFNN_THREADS when the option is not given, the option over it.
BOOST_AUTO_TEST_CASE(threads_option_checks_and_falls_back_to_the_environment) {
  auto parse = [](std::vector<std::string> args, int& threads) {
    CLI::App app;
    const CLI::Option* option = chapters::AddThreadsOption(app, threads);
    std::reverse(args.begin(), args.end());
    app.parse(args);
    return chapters::ResolveThreads(option, threads);
  };
  int threads = 1;
  ::setenv("FFNN_THREADS", "3", 1);
  BOOST_TEST(parse({}, threads) == 3);
  BOOST_TEST(parse({"--threads", "2"}, threads) == 2);
  for (const char* bad : {"0", "257", "two", "1.5", "-1"}) {
    try {
      parse({"--threads", bad}, threads);
      BOOST_ERROR("--threads " << bad << " accepted");
    } catch (const CLI::ParseError& e) {
      const std::string what = e.what();
      BOOST_TEST(what.find("is not a thread count") != std::string::npos, what);
    }
  }
  ::setenv("FFNN_THREADS", "x", 1);
  BOOST_CHECK_THROW(parse({}, threads), std::invalid_argument);
  ::unsetenv("FFNN_THREADS");
  BOOST_TEST(parse({}, threads) == 1);
}

BOOST_AUTO_TEST_CASE(
    finite_in_refuses_nan_and_infinity_that_range_lets_through) {
  const CLI::Validator finite = chapters::FiniteIn(0.0, 1e12);
  // CLI11's own Range passes NaN: every comparison with NaN is false.
  BOOST_TEST(Validate(CLI::Range(0.0, 1e12), "nan").empty());
  for (const char* bad :
       {"nan", "NaN", "-nan", "inf", "-inf", "Infinity", "1e400", "-1e400"}) {
    BOOST_TEST(Validate(finite, bad) ==
                   "must be a finite number from 0 to 1e+12, got '" +
                       std::string(bad) + "'",
               bad);
  }
}

BOOST_AUTO_TEST_CASE(finite_in_takes_the_range_and_only_whole_numbers) {
  const CLI::Validator v = chapters::FiniteIn(0.0, 0.95);
  for (const char* good : {"0", "0.95", "0.5", "5e-1", "1e-300", "-0"}) {
    BOOST_TEST(Validate(v, good).empty(), good);
  }
  for (const char* bad : {"0.96", "-1e-9", "", "0.5x", "abc", "1,5"}) {
    BOOST_TEST(!Validate(v, bad).empty(), bad);
  }
}

BOOST_AUTO_TEST_CASE(a_parsed_option_names_itself_and_the_value) {
  CLI::App app;
  double clip = 5;
  app.add_option("--clip", clip)->check(chapters::FiniteIn(0.0, 1e12));
  try {
    app.parse("--clip nan", false);
    BOOST_FAIL("--clip nan was accepted");
  } catch (const CLI::ValidationError& e) {
    BOOST_TEST(std::string(e.what()) ==
               "--clip: must be a finite number from 0 to 1e+12, got 'nan'");
  }
  BOOST_TEST(clip == 5.0);
}

BOOST_AUTO_TEST_SUITE_END()

// ---- memory ----------------------------------------------------------------

BOOST_AUTO_TEST_SUITE(memory)

BOOST_AUTO_TEST_CASE(sizes_are_formatted_for_people) {
  BOOST_TEST(chapters::FormatBytes(0) == "0 bytes");
  BOOST_TEST(chapters::FormatBytes(1) == "1 byte");
  BOOST_TEST(chapters::FormatBytes(1023) == "1023 bytes");
  BOOST_TEST(chapters::FormatBytes(1024) == "1.0 KiB");
  BOOST_TEST(chapters::FormatBytes(1536) == "1.5 KiB");
  BOOST_TEST(chapters::FormatBytes(std::uint64_t{255} << 20) == "255 MiB");
  // 50,000 x 4,096 floats, twice: 1,638,400,000 bytes.
  BOOST_TEST(chapters::FormatBytes(2ull * 50000 * 4096 * 4) == "1.5 GiB");
  BOOST_TEST(chapters::FormatBytes(std::uint64_t{3} << 40) == "3.0 TiB");
  BOOST_TEST(chapters::Grouped(0) == "0");
  BOOST_TEST(chapters::Grouped(999) == "999");
  BOOST_TEST(chapters::Grouped(50000) == "50,000");
  BOOST_TEST(chapters::Grouped(134348810) == "134,348,810");
}

BOOST_AUTO_TEST_CASE(sizes_are_parsed_with_binary_units) {
  BOOST_TEST(chapters::ParseBytes("4096", "--max-memory") == 4096u);
  BOOST_TEST(chapters::ParseBytes("512M", "m") == 512ull << 20);
  BOOST_TEST(chapters::ParseBytes("512MiB", "m") == 512ull << 20);
  BOOST_TEST(chapters::ParseBytes("512mb", "m") == 512ull << 20);
  BOOST_TEST(chapters::ParseBytes("1.5G", "m") == 3ull << 29);
  BOOST_TEST(chapters::ParseBytes("2k", "m") == 2048u);
  BOOST_TEST(chapters::ParseBytes("1T", "m") == 1ull << 40);
  for (const char* bad : {"", "G", "0", "0.1", "-1G", "12Q", "1.2.3G", "nan",
                          "1e9", "4 G", "99999999999999999999999999999999T"}) {
    BOOST_CHECK_THROW(chapters::ParseBytes(bad, "m"), std::invalid_argument);
  }
  try {
    chapters::ParseBytes("12Q", "--max-memory");
  } catch (const std::invalid_argument& e) {
    BOOST_TEST(
        std::string(e.what()).starts_with("--max-memory: '12Q' is not a size"));
  }
}

BOOST_AUTO_TEST_CASE(a_need_over_the_budget_is_refused_in_words) {
  const chapters::MemoryBudget budget{std::uint64_t{1} << 30,
                                      "is the --max-memory limit"};
  BOOST_CHECK_NO_THROW(chapters::RequireMemory(1u << 30, "x", budget));
  try {
    chapters::RequireMemory(2ull * 50000 * 4096 * 4 + 1, "the vectors", budget);
    BOOST_FAIL("not refused");
  } catch (const chapters::MemoryError& e) {
    BOOST_TEST(std::string(e.what()) ==
               "needs 1.5 GiB for the vectors; 1.0 GiB is the --max-memory "
               "limit");
  }
}

BOOST_AUTO_TEST_CASE(the_budget_is_at_most_the_limit_given_and_what_is_free) {
  const auto free_now = chapters::AvailableMemory();
  BOOST_TEST(free_now.bytes > 0u);
  const auto limited = chapters::AvailableMemory(std::uint64_t{1} << 20);
  BOOST_TEST(limited.bytes == std::uint64_t{1} << 20);
  BOOST_TEST(limited.source == "is the --max-memory limit");
  // A limit above what is free does not raise the budget.
  const auto above = chapters::AvailableMemory(free_now.bytes * 4);
  BOOST_TEST(above.bytes <= free_now.bytes * 2);
}

BOOST_AUTO_TEST_SUITE_END()

// ---- errors ----------------------------------------------------------------

BOOST_AUTO_TEST_SUITE(errors)

// What Describe says of whatever `f` throws.
template <class F>
std::string DescribeCall(const F& f) {
  try {
    f();
  } catch (...) {
    return chapters::Describe(std::current_exception());
  }
  return "(nothing thrown)";
}

template <class E, class... Args>
std::string DescribeThrown(Args&&... args) {
  return DescribeCall([&] { throw E(std::forward<Args>(args)...); });
}

BOOST_AUTO_TEST_CASE(out_of_memory_names_the_activity_not_the_exception) {
  chapters::SetActivity("training");
  BOOST_TEST(DescribeThrown<std::bad_alloc>() ==
             "out of memory while training");
  BOOST_TEST(DescribeThrown<std::bad_array_new_length>() ==
             "out of memory while training");
  BOOST_TEST(DescribeCall([] {
               std::vector<float> v;
               v.reserve(v.max_size() + 1);
             }) ==
             "out of memory while training (a size beyond any allocation)");
}

// One divergence error for every trainer: ReportError exits 1 for it (the
// input was valid, the run failed), 2 for bad input, and prints its what().
BOOST_AUTO_TEST_CASE(a_diverged_run_exits_1_and_bad_input_2) {
  auto status = [](auto thrown) {
    try {
      throw thrown;
    } catch (...) {
      return chapters::ReportError("tool", std::current_exception());
    }
  };
  BOOST_TEST(status(chapters::TrainingDiverged("diverged in epoch 3")) == 1);
  BOOST_TEST(status(chapters::InputError("a.txt: no such file")) == 2);
  BOOST_TEST(status(std::bad_alloc()) == 2);
  BOOST_TEST(DescribeThrown<chapters::TrainingDiverged>(
                 "training diverged in epoch 3 (learning rate 10)") ==
             "training diverged in epoch 3 (learning rate 10)");
}

BOOST_AUTO_TEST_CASE(internal_errors_name_no_library_text) {
  chapters::SetActivity("counting n-grams");
  BOOST_TEST(DescribeCall([] { (void)std::vector<int>(3).at(7); }) ==
             "internal error while counting n-grams (an index out of range)");
  BOOST_TEST(DescribeCall([] { std::function<void()>()(); }) ==
             "internal error while counting n-grams (an empty function)");
  BOOST_TEST(DescribeCall([] { throw 42; }) ==
             "internal error while counting n-grams");
}

BOOST_AUTO_TEST_CASE(json_and_file_system_errors_say_what_is_wrong) {
  chapters::SetActivity("reading the peers' results");
  std::string what =
      DescribeCall([] { (void)nlohmann::json::parse("{\"a\": 1}").at("b"); });
  BOOST_TEST(what.find("json.exception") == std::string::npos, what);
  BOOST_TEST(what.starts_with("invalid JSON while reading the peers' "
                              "results: key 'b' not found"),
             what);
  BOOST_TEST(chapters::WithoutJsonPrefix(
                 "spec: invalid JSON: [json.exception.parse_error.101] parse "
                 "error at line 1") ==
             "spec: invalid JSON: parse error at line 1");
  what = DescribeCall([] { fs::create_directories("/proc/self/no/such"); });
  BOOST_TEST(what.starts_with("/proc/self/no/such: "), what);
  BOOST_TEST(what.find("filesystem error") == std::string::npos, what);
}

BOOST_AUTO_TEST_CASE(the_projects_own_errors_keep_their_message) {
  BOOST_TEST(DescribeThrown<std::runtime_error>("corpus.txt: no words") ==
             "corpus.txt: no words");
  BOOST_TEST(DescribeThrown<std::invalid_argument>("--top: too large") ==
             "--top: too large");
  BOOST_TEST(DescribeThrown<chapters::MemoryError>("needs 2 GiB") ==
             "needs 2 GiB");
}

// Error lines stay one line: breaks become spaces, control bytes \xNN.
// A long message first shortens its long words (paths) from the middle,
// keeping their first 16 bytes and their ends, so the short words between
// them (the cause) survive; only then does the line lose its middle. Cuts
// fall on UTF-8 character boundaries.
BOOST_AUTO_TEST_CASE(error_messages_are_one_readable_line) {
  using chapters::OneLine;
  BOOST_TEST(OneLine("a\nb\r\tc") == "a b  c");
  BOOST_TEST(OneLine(std::string("nul\0here", 8)) == "nul\\x00here");
  BOOST_TEST(OneLine("\x1b[31m") == "\\x1b[31m");
  BOOST_TEST(OneLine(std::string(400, 'y')) == std::string(400, 'y'));
  // 600 bytes, one 506-byte path: it keeps "path/" and 11 x's, "...", and
  // its last 284 bytes; 16 + 3 + 284 + 97 = 400.
  const std::string path = "path/" + std::string(500, 'x') + ":";
  const std::string cut =
      OneLine(path + " no such file" + std::string(81, 'z'));
  BOOST_TEST(cut.size() == 400u);
  BOOST_TEST(cut.starts_with("path/xxxxxxxxxxx...xxx"));
  BOOST_TEST(cut.ends_with("x: no such file" + std::string(81, 'z')));
  // A cut inside a two-byte character moves to its boundary: 300 é are one
  // word; its tail starts at an even byte, so the line is 399 bytes.
  std::string utf8;
  for (int i = 0; i < 300; ++i) utf8 += "\xC3\xA9";  // é, 600 bytes
  const std::string cut8 = OneLine(utf8);
  BOOST_TEST(cut8.size() == 399u);
  BOOST_TEST(cut8.substr(0, 16) == utf8.substr(0, 16));
  BOOST_TEST(cut8.substr(16, 3) == "...");
  BOOST_TEST(cut8.substr(19) == utf8.substr(220));
  // Many short words: the middle of the line gives way, " ... " between
  // the first 133 bytes and the last 262.
  std::string words;
  for (int i = 0; i < 200; ++i) words += "ab ";
  const std::string cut_words = OneLine(words + "end");
  BOOST_TEST(cut_words.size() == 400u);
  BOOST_TEST(cut_words.substr(133, 5) == " ... ");
  BOOST_TEST(cut_words.ends_with("ab ab end"));
}

// The CI failure that made the rule: three 110-byte paths around the
// cause "is the input"; the old middle cut took the cause out.
// With 120 more bytes in each path the excess exceeds a whole path.
BOOST_DATA_TEST_CASE(long_paths_keep_the_cause_between_them,
                     boost::unit_test::data::make({0, 120}), extra) {
  const std::string dir = "/check/work/main/" + std::string(extra, 'x') +
                          "build/default/tests/hostile_use/"
                          "nplm.inputs.corpus_out_is_the_sotu_folder_copy/sotu";
  const std::string what = dir + "/train.txt (--out): is the input " + dir +
                           "/train.txt (in " + dir +
                           " (--corpus-dir)); refusing to overwrite it";
  const std::string line = chapters::OneLine(what, 387);
  BOOST_TEST(line.size() <= 387u);
  BOOST_TEST(line.find("/train.txt (--out): is the input ") !=
             std::string::npos);
  BOOST_TEST(line.find("/train.txt (in ") != std::string::npos);
  BOOST_TEST(line.ends_with("/sotu (--corpus-dir)); refusing to overwrite it"));
}

BOOST_AUTO_TEST_SUITE_END()

// ---- top-k
// -------------------------------------------------------------------

BOOST_AUTO_TEST_SUITE(top_k)

BOOST_AUTO_TEST_CASE(best_first_ties_to_the_smaller_index_capped_at_the_size) {
  const std::vector<double> p = {0.1, 0.4, 0.1, 0.3, 0.1};
  BOOST_TEST(chapters::TopK(p, 3) == (std::vector<std::int32_t>{1, 3, 0}),
             boost::test_tools::per_element());
  // --top 10 on a vocabulary of 5: all five, not a read past the end.
  BOOST_TEST(
      chapters::TopK(p, 10) == (std::vector<std::int32_t>{1, 3, 0, 2, 4}),
      boost::test_tools::per_element());
  BOOST_TEST(chapters::TopK(std::vector<double>{}, 10).empty());
}

BOOST_AUTO_TEST_SUITE_END()

// ---- files
// -------------------------------------------------------------------

BOOST_AUTO_TEST_SUITE(files)

// A bounded read of a stream takes one byte past the limit and no more.
BOOST_AUTO_TEST_CASE(a_stream_is_read_up_to_one_byte_past_the_limit) {
  std::istringstream short_text("abc"), long_text(std::string(100, 'x'));
  BOOST_TEST(chapters::ReadAtMost(short_text, 10) == "abc");
  BOOST_TEST(chapters::ReadAtMost(long_text, 10) == std::string(11, 'x'));
}

// A writer killed with SIGKILL while it writes leaves the previous file
// whole: the child rewrites a 32 MiB file over and over (each version
// filled with one byte value) until the parent kills it at a few times
// within the first writes; the file must then be one complete version.
// Mid-write nothing else is left (the temporary file is unnamed); in the
// instant between naming it and the rename a "<path>.tmp.<pid>" can be,
// and the next write removes it: afterwards the directory holds the file
// alone.
BOOST_AUTO_TEST_CASE(a_killed_writer_leaves_a_whole_file_and_no_temporary) {
  TempDir dir("ffnn_atomic_kill");
  const std::string path = (dir.path / "vectors.bin").string();
  constexpr std::size_t kBytes = std::size_t{32} << 20;
  chapters::WriteFileAtomically(path, std::string(kBytes, 'a'));
  for (const int delay_ms : {5, 20, 60}) {
    const pid_t child = ::fork();
    BOOST_TEST_REQUIRE(child >= 0);
    if (child == 0) {
      for (char c = 'b';; c = c == 'z' ? 'b' : char(c + 1)) {
        chapters::WriteFileAtomically(path, std::string(kBytes, c));
      }
    }
    ::usleep(static_cast<useconds_t>(delay_ms) * 1000);
    ::kill(child, SIGKILL);
    int status = 0;
    ::waitpid(child, &status, 0);
    BOOST_TEST(WIFSIGNALED(status));
    std::ifstream in(path, std::ios::binary);
    const std::string got((std::istreambuf_iterator<char>(in)), {});
    BOOST_TEST_REQUIRE(got.size() == kBytes, "after " << delay_ms << " ms");
    BOOST_TEST(got.find_first_not_of(got[0]) == std::string::npos,
               "a mixed file after " << delay_ms << " ms");
    chapters::WriteFileAtomically(path, std::string(kBytes, 'a'));
    std::size_t entries = 0;
    for (const auto& e : std::filesystem::directory_iterator(dir.path)) {
      ++entries;
      BOOST_TEST(e.path().filename() == "vectors.bin", e.path());
    }
    BOOST_TEST(entries == 1u);
  }
}

// The message CheckOutputs throws ("" if none).
std::string Refusal(const std::vector<NamedPath>& outputs,
                    const std::vector<NamedPath>& inputs) {
  try {
    chapters::CheckOutputs(outputs, inputs);
  } catch (const chapters::FileError& e) {
    return e.what();
  }
  return "";
}

BOOST_AUTO_TEST_CASE(an_output_that_is_an_input_is_refused_however_reached) {
  TempDir dir("common_inputs");
  const std::string text = dir.Write("text.txt", "the cat\n");
  const std::string pairs = dir.Write("pairs.txt", "cat dog 1\n");
  fs::create_symlink(text, dir.path / "soft.vec");
  fs::create_hard_link(text, dir.path / "hard.vec");
  const std::vector<NamedPath> inputs = {{text, "-train"},
                                         {pairs, "--eval-pairs"}};
  for (const std::string& out : {text, (dir.path / "soft.vec").string(),
                                 (dir.path / "hard.vec").string(),
                                 (dir.path / "." / "text.txt").string()}) {
    BOOST_TEST(Refusal({{out, "-output"}}, inputs) ==
                   out + " (-output): is the input " + text +
                       " (-train); refusing to overwrite it",
               out);
  }
  BOOST_TEST(Refusal({{pairs, "--history"}}, inputs) ==
             pairs + " (--history): is the input " + pairs +
                 " (--eval-pairs); refusing to overwrite it");
  BOOST_TEST(
      Refusal({{(dir.path / "new.vec").string(), "-output"}}, inputs).empty());
  BOOST_TEST(Slurp(text) == "the cat\n");
}

BOOST_AUTO_TEST_CASE(an_input_folder_stands_for_its_files) {
  TempDir dir("common_folder");
  const std::string address = dir.Write("1990_Bush.txt", "Union.\n");
  const std::string out = address;
  const std::string why =
      Refusal({{out, "--output"}}, {{dir.path.string(), "--sotu"}});
  BOOST_TEST(why.starts_with(out + " (--output): is the input " + address +
                             " (in " + dir.path.string() + " (--sotu))"),
             why);
}

BOOST_AUTO_TEST_CASE(directories_doubles_and_missing_folders_are_refused) {
  TempDir dir("common_outputs");
  const std::string d = dir.path.string();
  BOOST_TEST(Refusal({{d, "--out"}}, {}) ==
             d + " (--out): is a directory, not a file");
  const std::string v = d + "/v.txt";
  BOOST_TEST(Refusal({{v, "-output"}, {v, "--history"}}, {}) ==
             v + " (--history): is also the output " + v + " (-output)");
  dir.Write("v.txt", "old");  // existing: the same file twice, by inode
  BOOST_TEST(Refusal({{v, "-output"}, {d + "/./v.txt", "--history"}}, {})
                 .starts_with(d + "/./v.txt (--history): is also the output"));
  BOOST_TEST(Refusal({{d + "/missing/m.nplm", "--out"}}, {}) ==
             d + "/missing/m.nplm (--out): the directory " + d +
                 "/missing does not exist");
  BOOST_TEST(Refusal({{v + "/x", "--out"}}, {}) ==
             v + "/x (--out): " + v + " is not a directory");
  // A folder the tool creates: its nearest existing ancestor must do, the
  // working directory for a relative one ("newdir/train.txt").
  BOOST_TEST(
      Refusal({{d + "/new/deeper/train.txt", "--out", true}}, {}).empty());
  BOOST_TEST(
      Refusal({{"no_such_folder_here/train.txt", "--out", true}}, {}).empty());
  BOOST_TEST(Refusal({{"", "-output"}}, {}) ==
             " (-output): an empty path names no file");
  // A device may take several outputs (both are written into it).
  BOOST_TEST(Refusal({{"/dev/null", "-output"}, {"/dev/null", "--history"}}, {})
                 .empty());
}

BOOST_AUTO_TEST_CASE(an_unwritable_folder_is_refused_before_any_work) {
  if (::geteuid() == 0) {
    // Root writes anywhere but on a read-only file system: /proc is one.
    BOOST_TEST(Refusal({{"/proc/self/v.txt", "-output"}}, {})
                   .starts_with("/proc/self/v.txt (-output): cannot write "
                                "into /proc/self"));
    return;
  }
  TempDir dir("common_readonly");
  fs::permissions(dir.path, fs::perms::owner_read | fs::perms::owner_exec);
  const std::string v = (dir.path / "v.txt").string();
  BOOST_TEST(Refusal({{v, "-output"}}, {})
                 .starts_with(v + " (-output): cannot write into " +
                              dir.path.string()));
  fs::permissions(dir.path, fs::perms::owner_all);
}

BOOST_AUTO_TEST_CASE(a_pipe_is_written_into_never_replaced) {
  TempDir dir("common_pipe");
  const std::string fifo = (dir.path / "out.fifo").string();
  BOOST_REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  BOOST_TEST(Refusal({{fifo, "-output"}}, {}).empty());
  auto reader = std::async(std::launch::async, [&] { return Slurp(fifo); });
  chapters::WriteFileAtomically(fifo, "vectors\n");
  BOOST_TEST(reader.get() == "vectors\n");
  struct stat st;
  BOOST_REQUIRE(::lstat(fifo.c_str(), &st) == 0);
  BOOST_TEST(S_ISFIFO(st.st_mode));
}

BOOST_AUTO_TEST_CASE(a_device_is_written_into_never_replaced) {
  // /dev/null itself: the old writer replaced it by a regular file (as root).
  BOOST_REQUIRE_NO_THROW(chapters::WriteFileAtomically("/dev/null", "x\n"));
  struct stat st;
  BOOST_REQUIRE(::stat("/dev/null", &st) == 0);
  BOOST_TEST(S_ISCHR(st.st_mode));
  BOOST_TEST(Refusal({{"/dev/null", "-output"}}, {}).empty());
}

BOOST_AUTO_TEST_CASE(a_symbolic_link_is_written_through) {
  TempDir dir("common_link");
  const std::string target = dir.Write("target.vec", "old\n");
  fs::create_symlink(target, dir.path / "link.vec");
  chapters::WriteFileAtomically((dir.path / "link.vec").string(), "new\n");
  BOOST_TEST(fs::is_symlink(dir.path / "link.vec"));
  BOOST_TEST(Slurp(target) == "new\n");
  // A dangling link, relative, through a second link: its target appears.
  fs::create_symlink("made.vec", dir.path / "dangling.vec");
  fs::create_symlink("dangling.vec", dir.path / "twice.vec");
  chapters::WriteFileAtomically((dir.path / "twice.vec").string(), "made\n");
  BOOST_TEST(fs::is_symlink(dir.path / "twice.vec"));
  BOOST_TEST(fs::is_symlink(dir.path / "dangling.vec"));
  BOOST_TEST(Slurp((dir.path / "made.vec").string()) == "made\n");
  // Its target's folder is what must exist and take the file.
  fs::create_symlink("nodir/x.vec", dir.path / "nowhere.vec");
  BOOST_TEST(Refusal({{(dir.path / "nowhere.vec").string(), "-output"}}, {})
                 .find("nodir does not exist") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(an_uncommitted_file_leaves_no_trace) {
  TempDir dir("common_uncommitted");
  const std::string v = (dir.path / "v.txt").string();
  dir.Write("v.txt", "old\n");
  {
    chapters::AtomicFile f(v);
    f.Write(std::string(3 << 20, 'x'));  // past the write buffer
  }
  BOOST_TEST(Slurp(v) == "old\n");
  BOOST_TEST(std::distance(fs::directory_iterator(dir.path),
                           fs::directory_iterator()) == 1);
}

BOOST_AUTO_TEST_CASE(files_committed_together_appear_together) {
  TempDir dir("common_together");
  const std::string a = (dir.path / "train.txt").string();
  const std::string b = (dir.path / "vocab.txt").string();
  chapters::WriteFilesAtomically({{a, "a1"}, {b, "b1"}});
  BOOST_TEST(Slurp(a) == "a1");
  BOOST_TEST(Slurp(b) == "b1");
  // The second cannot even be opened (a directory): the first is not
  // written either.
  fs::remove(b);
  fs::create_directory(b);
  BOOST_CHECK_THROW(chapters::WriteFilesAtomically({{a, "a2"}, {b, "b2"}}),
                    chapters::FileError);
  BOOST_TEST(Slurp(a) == "a1");
  BOOST_TEST(std::distance(fs::directory_iterator(dir.path),
                           fs::directory_iterator()) == 2);
}

BOOST_AUTO_TEST_CASE(a_failed_rename_puts_the_earlier_outputs_back) {
  TempDir dir("common_rollback");
  const std::string a = dir.Write("a.txt", "a-old");
  const std::string b = (dir.path / "b.txt").string();
  const std::string c = dir.Write("c.txt", "c-old");
  std::vector<chapters::AtomicFile> files;
  for (const auto& [path, bytes] :
       {std::pair(a, "a-new"), std::pair(b, "b-new"), std::pair(c, "c-new")}) {
    files.emplace_back(path);
    files.back().Write(bytes);
  }
  // b's place becomes a folder with a file in it after b was opened: its
  // rename fails after a's has happened.
  fs::create_directory(b);
  std::ofstream(b + "/inside") << "x";
  BOOST_CHECK_THROW(chapters::CommitTogether(files), chapters::FileError);
  BOOST_TEST(Slurp(a) == "a-old");
  BOOST_TEST(Slurp(c) == "c-old");
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir.path)) {
    names.push_back(e.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  BOOST_TEST(names == (std::vector<std::string>{"a.txt", "b.txt", "c.txt"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_SUITE_END()

// ---- The progress line ------------------------------------------------------

BOOST_AUTO_TEST_SUITE(progress)

BOOST_AUTO_TEST_CASE(durations_read_in_minutes_and_seconds) {
  BOOST_TEST(chapters::Duration(0) == "0m00s");
  BOOST_TEST(chapters::Duration(65.4) == "1m05s");
  BOOST_TEST(chapters::Duration(4500) == "75m00s");
  BOOST_TEST(chapters::Duration(-1) == "?");
  BOOST_TEST(chapters::Duration(std::nan("")) == "?");
}

// 2000 of 10000 tokens in 4 s: 500 tokens/s, 8000 left, 16 s.
BOOST_AUTO_TEST_CASE(line_shows_share_rate_loss_and_time_left) {
  chapters::Progress p(nullptr, false);
  p.Start("epoch 2/5", 10000, "tokens");
  BOOST_TEST(p.Line(2000, 5.1234, 4.0) ==
             "epoch 2/5  20.0%       500 tokens/s  loss 5.123  ETA 0m16s");
  // No loss yet, no rate yet.
  BOOST_TEST(p.Line(0, -1, 0.0) ==
             "epoch 2/5   0.0%         0 tokens/s  ETA ?");
}

// Into a log (not a terminal) a line is due only every 10 s: a run of a
// few updates prints nothing, and Finish adds no stray "\r".
BOOST_AUTO_TEST_CASE(a_log_gets_no_line_before_ten_seconds) {
  std::FILE* log = std::tmpfile();
  BOOST_REQUIRE(log);
  chapters::Progress p(log, false);
  p.Start("word2vec", 100, "words");
  for (int i = 0; i < 100; ++i) p.Update(i, 1.0);
  p.Finish();
  BOOST_TEST(std::ftell(log) == 0L);
  std::fclose(log);
  chapters::Progress quiet(nullptr);
  quiet.Update(1, 1);  // no stream: nothing, no crash
  quiet.Finish();
}

BOOST_AUTO_TEST_SUITE_END()

// ---- Citations --------------------------------------------------------------

BOOST_AUTO_TEST_SUITE(citations)

// The reports cite a deck by course and title for readers; the file name
// stays in the source string (and the JSON) for tools.
BOOST_AUTO_TEST_CASE(sources_read_as_course_deck_and_slide) {
  using namespace chapters::decks;
  const std::string two =
      chapters::Source(kLmu, "Dot product with (trained) weight matrix") +
      "; " + chapters::Source(kJm, "Computation Graphs");
  BOOST_TEST(two.starts_with("000_bedaec524881b9e9.txt — Dot product"));
  BOOST_TEST(chapters::CiteForReaders(two) ==
             "LMU, Feedforward Neural Networks and Word Embeddings, slide "
             "'Dot product with (trained) weight matrix'; Jurafsky & Martin, "
             "Neural Networks and Neural Language Models, slide 'Computation "
             "Graphs'");
  // Not a deck: unchanged.
  BOOST_TEST(chapters::CiteForReaders("measured here") == "measured here");
  // A second title of the same deck; a remark in parentheses (holding
  // "; ") outside the quotes; a description that is not a title.
  BOOST_TEST(chapters::CiteForReaders(
                 chapters::Source(kDl4nlp,
                                  "The XOR Problem; Perceptrons are Linear "
                                  "Classifiers")) ==
             "DL4NLP, 2. Neural Networks, slide 'The XOR Problem'; slide "
             "'Perceptrons are Linear Classifiers'");
  BOOST_TEST(chapters::CiteForReaders(chapters::Source(
                 kUcl, "NN unit (worked example; its title was lost)")) ==
             "UCL COMP0087, Introduction to neural networks and "
             "backpropagation, slide 'NN unit' (worked example; its title "
             "was lost)");
  BOOST_TEST(chapters::CiteForReaders(chapters::Source(
                 kUcl,
                 "the slide after 'Updating the parameters of the NN' "
                 "(the learning rate)")) ==
             "UCL COMP0087, Introduction to neural networks and "
             "backpropagation, the slide after 'Updating the parameters of "
             "the NN' (the learning rate)");
  BOOST_TEST(chapters::CiteForReaders(chapters::Source(
                 kUcl,
                 "Updating the parameters of the NN, and the untitled "
                 "slide after it (SGD, Adam)")) ==
             "UCL COMP0087, Introduction to neural networks and "
             "backpropagation, slide 'Updating the parameters of the NN' and "
             "the untitled slide after it (SGD, Adam)");
  BOOST_TEST(chapters::CiteForReaders("") == "");
}

BOOST_AUTO_TEST_SUITE_END()

// ---- Text and vocabulary (the tokenizer of chapters 4 and 5) ---------------

BOOST_AUTO_TEST_SUITE(text)

using chapters::InputError;
using chapters::Sentence;
using chapters::Tokenize;

std::vector<Sentence> Tok(const std::string& text) {
  return Tokenize(text, "test");
}

BOOST_AUTO_TEST_CASE(tokenizer_normalizes_quotes_dashes_and_accents) {
  // U+201C/U+201D quotes, U+2019 apostrophe, U+2014 dash, accented letters.
  const auto s =
      Tok("\xE2\x80\x9C"
          "Se\xC3\xB1or N\xC3\x9A\xC3\x91"
          "EZ"
          "\xE2\x80\x99s\xE2\x80\x9D plan\xE2\x80\x94good--or bad");
  const Sentence want = {"\"", "señor", "núñez", "'s", "\"", "plan",
                         "--", "good",  "--",    "or", "bad"};
  BOOST_TEST(s.size() == 1u);
  BOOST_TEST(s[0] == want, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(tokenizer_splits_clitics_as_the_penn_treebank) {
  const auto s =
      Tok("Don't we're they've I'll she'd I'm the nation's "
          "states' well-being");
  const Sentence want = {
      "do", "n't", "we", "'re", "they",   "'ve", "i",      "'ll", "she",
      "'d", "i",   "'m", "the", "nation", "'s",  "states", "'",   "well-being"};
  BOOST_TEST(s[0] == want, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(tokenizer_keeps_abbreviations_initials_and_numbers) {
  const auto s =
      Tok("Mr. John F. Kennedy of the U.S. spoke. It cost 3.5% "
          "of $1,000 in the 1990s, etc. and more.");
  BOOST_TEST(s.size() == 2u);
  const Sentence first = {"mr.", "john", "f.",    "kennedy", "of",
                          "the", "u.s.", "spoke", "."};
  const Sentence second = {"it", "cost",  "3.5", "%",    "of",
                           "$",  "1,000", "in",  "the",  "1990s",
                           ",",  "etc.",  "and", "more", "."};
  BOOST_TEST(s[0] == first, boost::test_tools::per_element());
  BOOST_TEST(s[1] == second, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(tokenizer_ends_sentences_at_marks_and_line_ends) {
  const auto s = Tok("One. Two! Three? (Four.) Five\nSix... seven\n\n");
  const std::vector<Sentence> want = {
      {"one", "."}, {"two", "!"},   {"three", "?"}, {"(", "four", ".", ")"},
      {"five"},     {"six", "..."}, {"seven"}};
  BOOST_TEST(s.size() == want.size());
  for (std::size_t i = 0; i < std::min(s.size(), want.size()); ++i) {
    BOOST_TEST(s[i] == want[i], boost::test_tools::per_element());
  }
}

// Every kind of invalid UTF-8 is refused with the byte where it starts.
BOOST_AUTO_TEST_CASE(tokenizer_refuses_invalid_utf8_naming_the_byte) {
  const std::pair<std::string, std::string> bad[] = {
      {"\xC0\xAF", "at byte 0"},          // overlong '/'
      {"ab\xED\xA0\x80", "at byte 2"},    // surrogate U+D800
      {"\xF4\x90\x80\x80", "at byte 0"},  // beyond U+10FFFF
      {"ab\xE2\x82", "truncated UTF-8 sequence at byte 2"},
      {"a\x80", "at byte 1"},  // lone continuation
      {"x\xFF", "at byte 1"},
      {std::string("a\0b", 3), "NUL byte at byte 1"}};
  for (const auto& [text, want] : bad) {
    try {
      Tokenize(text, "f.txt");
      BOOST_ERROR("accepted invalid input, expected '" << want << "'");
    } catch (const InputError& e) {
      const std::string what = e.what();
      BOOST_TEST(what.find("f.txt: ") == 0, what);
      BOOST_TEST(what.find(want) != std::string::npos, what);
    }
  }
}

// The vocabulary by hand: b (3 times), a (2), c (1) with min_count 2.
BOOST_AUTO_TEST_CASE(vocabulary_orders_by_count_and_maps_the_rest_to_unk) {
  const std::vector<Sentence> train = {{"b", "a", "b"}, {"c", "b", "a"}};
  const chapters::Vocabulary v(train, 2);
  BOOST_TEST(v.size() == 4u);
  BOOST_TEST(v.Word(0) == "<unk>");
  BOOST_TEST(v.Word(1) == "</s>");
  BOOST_TEST(v.Word(2) == "b");
  BOOST_TEST(v.Word(3) == "a");
  BOOST_TEST(v.Count(0) == 1);  // c
  BOOST_TEST(v.Count(1) == 2);  // two sentences
  BOOST_TEST(v.Count(2) == 3);
  BOOST_TEST(v.Id("c") == 0);
  BOOST_TEST(v.Id("never seen") == 0);
  const auto stream = chapters::ToStream(train, v);
  const std::vector<std::int32_t> want = {2, 3, 2, 1, 0, 2, 3, 1};
  BOOST_TEST(stream == want, boost::test_tools::per_element());
  const auto st = chapters::Stats(stream);
  BOOST_TEST(st.tokens == 8u);
  BOOST_TEST(st.unk == 1u);
  BOOST_CHECK_THROW(
      chapters::Vocabulary({{"<unk>", 0}, {"</s>", 0}, {"a", 1}, {"a", 2}}),
      InputError);
  BOOST_CHECK_THROW(chapters::Vocabulary({{"a", 1}}), InputError);
}

// RankWords, the one ranking of every vocabulary: by count, ties in byte
// order, below min_count left out, whatever the map's order.
BOOST_AUTO_TEST_CASE(words_rank_by_count_then_bytes) {
  const std::unordered_map<std::string_view, std::int64_t> counts = {
      {"b", 3}, {"a", 3}, {"c", 1}, {"d", 2}, {"\xC3\xA9", 2}};
  const auto ranked = chapters::RankWords(counts, 2);
  const std::vector<std::pair<std::string, std::int64_t>> want = {
      {"a", 3}, {"b", 3}, {"d", 2}, {"\xC3\xA9", 2}};
  BOOST_TEST((ranked == want));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace ffnn::testing
