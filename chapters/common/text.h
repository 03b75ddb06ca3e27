// Text processing of chapters 4 and 5: strict UTF-8, lowercasing and the
// tokenizer that makes sentences of words.
//
// Tokenization (decided here, stated in the chapter):
// - input must be valid UTF-8 (checked strictly: overlong forms, surrogates
//   and code points past U+10FFFF are errors naming the file and byte);
// - letters are lowercased (ASCII and the Latin-1 and Latin Extended-A
//   letters, so accented names keep their letters);
// - curly quotes become ' and ", the dashes (U+2010..U+2015, "--") one
//   token "--";
// - a word is a run of letters and digits, with inner apostrophes, hyphens,
//   and (between digits) periods and commas: "don't", "well-being", "3.5",
//   "1,000"; clitics are split as in the Penn Treebank: "nation 's",
//   "do n't", "we 're" / "'ve" / "'ll" / "'d" / "'m";
// - every other character is a token of its own; a period after a known
//   abbreviation ("mr", "mrs", "dr", "st", "jr", "gen", "gov", "hon", "messrs",
//   "no", "vs", "etc", "i.e", "e.g") or a single letter ("john f. kennedy")
//   or a dotted word ("u.s.") stays attached to it;
// - a sentence ends after ".", "!" or "?" (not attached; with the closing
//   brackets and quotes right after them) and at every line end; empty
//   sentences are dropped.
#ifndef FFNN_CHAPTERS_COMMON_TEXT_H_
#define FFNN_CHAPTERS_COMMON_TEXT_H_

#include <string>
#include <string_view>
#include <vector>

namespace ffnn::chapters {

using Sentence = std::vector<std::string>;

// Tokenizes UTF-8 text into sentences (rules above). `where` names the
// input in error messages; invalid UTF-8 throws InputError (errors.h).
std::vector<Sentence> Tokenize(std::string_view text, const std::string& where);

// text lowercased as the tokenizer lowercases (ASCII, Latin-1 and Latin
// Extended-A), so that evaluation files find the corpus's words: "Zürich"
// becomes "zürich". Throws InputError for invalid UTF-8.
std::string LowerCase(std::string_view text, const std::string& where);

// Throws InputError "<where>: ..." naming the byte offset of the first
// invalid UTF-8 sequence or NUL byte of text.
void CheckUtf8(std::string_view text, const std::string& where);

}  // namespace ffnn::chapters

#endif  // FFNN_CHAPTERS_COMMON_TEXT_H_
