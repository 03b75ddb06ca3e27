// Writes the hostile inputs of the bad-input catalogue (tests/CMakeLists.txt)
// into DIR, the same bytes on every run (a fixed-seed generator):
//   empty         0 bytes
//   random        1 MiB of random bytes
//   bad_utf8      text lines with an invalid UTF-8 sequence
//   long_line     one line of 10 MiB ("a " repeated)
//   nan_values    a word2vec text file whose numbers are nan and inf
//   dir/          a directory
// Usage: make_hostile_files DIR
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
#include <string>

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: make_hostile_files DIR\n";
    return 2;
  }
  const std::filesystem::path dir = argv[1];
  std::filesystem::create_directories(dir / "dir");
  auto write = [&](const char* name, const std::string& bytes) {
    std::ofstream(dir / name, std::ios::binary) << bytes;
  };
  write("empty", "");
  std::mt19937_64 rng(2024);
  std::string random(std::size_t{1} << 20, '\0');
  for (char& c : random) c = static_cast<char>(rng() & 0xFF);
  write("random", random);
  write("bad_utf8", "the cat sat on the mat\nthe dog \xC3\x28 sat\n");
  std::string line;
  for (std::size_t i = 0; i < (std::size_t{5} << 20); ++i) line += "a ";
  write("long_line", line + "\n");
  write("nan_values", "2 3\nalpha nan 1 2\nbeta 1 inf 2\n");
  return 0;
}
