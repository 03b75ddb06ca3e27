// A scatter of chosen words' vectors on their first two principal
// components, one colour per group (chapters 4 and 5 draw the same groups,
// from the NPLM's embedding table and from word2vec's vectors).
#ifndef FFNN_FIGURES_PCA_H_
#define FFNN_FIGURES_PCA_H_

#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace ffnn::figures {

using WordGroups =
    std::vector<std::pair<const char*, std::vector<const char*>>>;

// Groups of words that share contexts in the addresses.
const WordGroups& ChosenWordGroups();

// Renders <dir>/<name>.* with the title "<what> of chosen words, ...";
// vector_of returns a word's vector, or nothing for a word outside the
// vocabulary (skipped).
void ChosenWordsPca(
    const std::string& dir, const std::string& name, const std::string& what,
    const std::function<std::optional<std::vector<double>>(const char*)>&
        vector_of);

}  // namespace ffnn::figures

#endif  // FFNN_FIGURES_PCA_H_
