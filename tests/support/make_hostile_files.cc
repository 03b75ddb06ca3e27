// Writes the hostile inputs of the bad-input catalogue (tests/CMakeLists.txt)
// into DIR, the same bytes on every run (a fixed-seed generator). For every
// reader:
//   empty         0 bytes
//   random        1 MiB of random bytes
//   bad_utf8      text lines with an invalid UTF-8 sequence
//   long_line     one line of 10 MiB ("a " repeated)
//   dir/          a directory
// and for the formats with rows, numbers or a header (the file names say
// which format):
//   vectors_ragged, vectors_nan, vectors_lying_header   word2vec text
//   pairs_ragged, pairs_nan                             word pairs
//   analogy_ragged                                      analogy questions
//   spec_ragged, spec_nan                               nn-trace specs
//   checkpoint_lying_header, checkpoint_nan             nplm checkpoints
//   iris_<case>/iris.csv    each of the above cases (but dir) and ragged,
//                           nan, lying_header, for --data-dir
// Usage: make_hostile_files DIR
#include <cmath>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <limits>
#include <random>
#include <string>

namespace {

template <class T>
void Put(std::string& out, T v) {
  char b[sizeof(T)];
  std::memcpy(b, &v, sizeof(T));
  out.append(b, sizeof(T));
}

// An nplm checkpoint ("NPLMCKP3", chapters/04_neural_lm/checkpoint.cc) of
// a model V = 3, n = 1, d = 1, h = 1 without history: header_vocab is what
// the header claims, first_value the first parameter.
std::string Checkpoint(std::uint64_t header_vocab, float first_value) {
  std::string b = "NPLMCKP3";
  for (std::uint64_t v :
       {header_vocab, std::uint64_t{1}, std::uint64_t{1}, std::uint64_t{1}}) {
    Put(b, v);
  }
  Put<std::uint8_t>(b, 0);                      // direct
  Put<std::uint64_t>(b, 128);                   // batch
  Put<std::uint8_t>(b, 0);                      // adam
  for (double v : {1e-3, 0.0, 5.0}) Put(b, v);  // lr, decay, clip
  Put<std::uint8_t>(b, 0);                      // freeze
  for (double v : {0.0, 0.0}) Put(b, v);        // dropout, weight decay
  Put<std::uint32_t>(b, 1);                     // epochs
  Put<std::uint32_t>(b, 0);                     // patience
  for (std::uint64_t v : {1, 0, 0}) Put<std::uint64_t>(b, v);  // seed...
  Put<std::uint32_t>(b, 0);                                    // no history
  // V d + h n d + h + V h + V = 3 + 1 + 1 + 3 + 3 = 11 parameters, 3 tables.
  for (int i = 0; i < 33; ++i) Put<float>(b, i == 0 ? first_value : 0.1f);
  return b;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: make_hostile_files DIR\n";
    return 2;
  }
  const std::filesystem::path dir = argv[1];
  std::filesystem::create_directories(dir / "dir");
  auto write = [&](const std::string& name, const std::string& bytes) {
    std::ofstream(dir / name, std::ios::binary) << bytes;
  };
  std::mt19937_64 rng(2024);
  std::string random(std::size_t{1} << 20, '\0');
  for (char& c : random) c = static_cast<char>(rng() & 0xFF);
  std::string long_line;
  for (std::size_t i = 0; i < (std::size_t{5} << 20); ++i) long_line += "a ";
  const std::pair<std::string, std::string> generic[] = {
      {"empty", ""},
      {"random", random},
      {"bad_utf8", "the cat sat on the mat\nthe dog \xC3\x28 sat\n"},
      {"long_line", long_line + "\n"}};
  for (const auto& [name, bytes] : generic) write(name, bytes);

  write("vectors_ragged", "2 3\nalpha 1 2 3\nbeta 1 2\n");
  write("vectors_nan", "2 3\nalpha nan 1 2\nbeta 1 inf 2\n");
  write("vectors_lying_header", "1000000000 300\nalpha 1 2 3\n");
  write("pairs_ragged", "coast shore 9.1\nrich money\n");
  write("pairs_nan", "coast shore 9.1\nrich money nan\n");
  write("analogy_ragged", ": capitals\nparis france rome\n");
  write("spec_ragged",
        R"({"layers": [{"W": [[1, 2], [3]], "b": [0, 0], "activation": "relu"}],
 "loss": "mse", "x": [[1, 2]], "y": [[1, 1]], "learning_rate": 1})");
  write("spec_nan",
        R"({"layers": [{"W": [[NaN, 2]], "b": [0], "activation": "relu"}],
 "loss": "mse", "x": [[1, 2]], "y": [[Infinity]], "learning_rate": 1})");
  write("checkpoint_lying_header", Checkpoint(std::uint64_t{1} << 24, 0.1f));
  write("checkpoint_nan",
        Checkpoint(3, std::numeric_limits<float>::quiet_NaN()));

  // Iris: each case as <dir>/iris_<case>/iris.csv, for --data-dir.
  std::string ragged =
      "3,4,setosa,versicolor,virginica\n5.1,3.5,1.4,0.2,0\n"
      "4.9,3.0,1.4,0\n6.3,2.9,5.6,1.8,2\n";
  std::string nan =
      "3,4,setosa,versicolor,virginica\n5.1,3.5,1.4,0.2,0\n"
      "4.9,nan,1.4,0.2,1\n6.3,2.9,inf,1.8,2\n";
  std::string lying =
      "200000000,4,setosa,versicolor,virginica\n"
      "5.1,3.5,1.4,0.2,0\n";
  const std::pair<std::string, std::string> iris[] = {
      {"empty", ""},
      {"random", random},
      {"bad_utf8", "150,4,setosa,versicolor,virgin\xC3\x28\n"},
      {"long_line", long_line + "\n"},
      {"ragged", ragged},
      {"nan", nan},
      {"lying_header", lying}};
  for (const auto& [name, bytes] : iris) {
    std::filesystem::create_directories(dir / ("iris_" + name));
    write("iris_" + name + "/iris.csv", bytes);
  }
  std::filesystem::create_directories(dir / "iris_dir" / "iris.csv");
  return 0;
}
