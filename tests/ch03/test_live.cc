// The book's live panels (tools/live/live.h), natively: each example from
// the slide's inputs reproduces the slide's numbers (read off the decks,
// half a unit in the last printed digit) and the chapter library's own
// results; edited inputs change what they should; every bad input is one
// refusal naming its field. Suite `live` (labels ch03, live, badinput); the
// browser side is tests/book/check_live.py.
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "chapters/01_perceptron/perceptron.h"
#include "chapters/03_backprop/nn_trace.h"
#include "chapters/03_backprop/optimizers.h"
#include "chapters/common/iris.h"
#include "tests/support/files.h"
#include "tools/live/live.h"

namespace ffnn::live {
namespace {

using json = nlohmann::ordered_json;

json Ask(const std::string& example, const json& inputs) {
  return json::parse(
      Call(json{{"example", example}, {"inputs", inputs}}.dump()));
}

json Outputs(const std::string& example, const json& inputs) {
  const json r = Ask(example, inputs);
  BOOST_TEST_REQUIRE(r["ok"].get<bool>(), r.dump());
  return r["outputs"];
}

// The refusal's text, which must start with the field's name.
std::string Refusal(const std::string& example, const json& inputs) {
  const json r = Ask(example, inputs);
  BOOST_TEST_REQUIRE(!r["ok"].get<bool>(), r.dump());
  return r["error"];
}

bool StartsWith(const std::string& s, const std::string& prefix) {
  return s.rfind(prefix, 0) == 0;
}

BOOST_AUTO_TEST_SUITE(live)

// UCL/DL4NLP/J&M "Neural Network Unit: An Example": z = 0.87, sigma = 0.705.
BOOST_AUTO_TEST_CASE(neuron_from_the_slide_gives_z_0_87_and_sigma_0_705) {
  const json o = Outputs("neuron", Defaults("neuron"));
  BOOST_TEST(std::abs(o["z"].get<double>() - 0.87) <= 0.005);
  BOOST_TEST(std::abs(o["sigma(z)"].get<double>() - 0.705) <= 0.0005);
  // Edited: b = -0.87 puts z at 0 (to rounding), sigma at 1/2.
  json in = Defaults("neuron");
  in["b"] = "-0.37";
  const json e = Outputs("neuron", in);
  BOOST_TEST(std::abs(e["z"].get<double>()) <= 1e-15);
  BOOST_TEST(std::abs(e["sigma(z)"].get<double>() - 0.5) <= 1e-15);
  // Saturated: z = 40 rounds sigma to 1, and the panel says so.
  in["b"] = 40;
  const json r = Ask("neuron", in);
  BOOST_TEST(r["outputs"]["sigma(z)"].get<double>() == 1.0);
  BOOST_TEST(r["notes"].dump().find("saturated") != std::string::npos);
}

// DL4NLP "Perceptron Training I/II": w = (0.5, -5, 9.5) after 15 epochs;
// the slide's first step: -y w.x = -2, no update.
BOOST_AUTO_TEST_CASE(perceptron_from_the_slide_converges_to_the_slides_w) {
  const json o = Outputs("perceptron", Defaults("perceptron"));
  BOOST_TEST(o["w"] == json({0.5, -5.0, 9.5}));
  BOOST_TEST(o["epochs"].get<int>() == 15);
  BOOST_TEST(o["converged"].get<bool>());
  BOOST_TEST(o["steps"][0]["score"].get<double>() == 2.0);
  BOOST_TEST(!o["steps"][0]["updated"].get<bool>());
  BOOST_TEST(o["steps"][1]["w"] == json({0.5, 1.5, 3.0}));  // after x2
}

BOOST_AUTO_TEST_CASE(perceptron_on_xor_reports_the_cycle_it_never_leaves) {
  json in = Defaults("perceptron");
  in["points"] = {{0, 0, -1}, {0, 1, 1}, {1, 0, 1}, {1, 1, -1}};
  const json r = Ask("perceptron", in);
  BOOST_TEST(!r["outputs"]["converged"].get<bool>());
  BOOST_TEST(r["outputs"]["cycle_length"].get<int>() > 0);
  BOOST_TEST(r["notes"].dump().find("cycle") != std::string::npos);
}

// J&M / DL4NLP XOR with ReLU: outputs exactly 0, 1, 1, 0; LMU XNOR:
// >= 0.99 where XNOR is 1, <= 0.01 where it is 0.
BOOST_AUTO_TEST_CASE(composition_networks_compute_xor_and_xnor) {
  const json x = Outputs("composition", Defaults("composition"));
  const double want[] = {0, 1, 1, 0};
  for (int i = 0; i < 4; ++i) {
    BOOST_TEST(x["table"][i]["yhat"].get<double>() == want[i]);
  }
  BOOST_TEST(x["correct"].get<bool>());
  BOOST_TEST(x["grid"]["yhat"].size() == 41u * 41u);
  // (x1, x2) = (0, 1): column 10, row 10 of the grid from (-0.5, 1.5).
  BOOST_TEST(x["grid"]["yhat"][10 * 41 + 10].get<double>() == 1.0);
  const json n = Outputs("composition", Defaults("composition.xnor"));
  for (int i = 0; i < 4; ++i) {
    const double y = n["table"][i]["yhat"];
    BOOST_TEST((i == 0 || i == 3 ? y >= 0.99 : y <= 0.01), i << ": " << y);
  }
  json broken = Defaults("composition.xnor");
  broken["W2"] = json::array({json::array({"0", "0"})});
  const json r = Ask("composition", broken);
  BOOST_TEST(!r["outputs"]["correct"].get<bool>());
  BOOST_TEST(r["notes"].dump().find("no longer compute XNOR") !=
             std::string::npos);
}

// DL4NLP "Walk-Through Example": yhat = (0.38, 0.33, 0.30) on the slide; the
// panel's answer is nn-trace's, number for number.
BOOST_AUTO_TEST_CASE(iris_walkthrough_is_nn_traces_answer) {
  const json o = Outputs("iris", Defaults("iris"));
  const double slide[] = {0.38, 0.33, 0.30};
  for (int k = 0; k < 3; ++k) {
    BOOST_TEST(std::abs(o["layers"][1]["a"][0][k].get<double>() - slide[k]) <=
               0.005);
  }
  const json spec = json::parse(
      testing::Slurp(std::string(FFNN_SPECS_DIR) + "/iris_walkthrough.json"));
  const json native = json::parse(ch03::TraceSpecText(
      testing::Slurp(std::string(FFNN_SPECS_DIR) + "/iris_walkthrough.json"),
      "json", -1, 0));
  for (const char* key : {"layers", "loss", "grads", "updated"}) {
    BOOST_TEST(o[key] == native[key], key);
  }
  BOOST_TEST(o["spec"]["layers"] == spec["layers"]);
}

// The chapter target's five runs: the panel trains the same network with
// the same library, so the same numbers.
BOOST_AUTO_TEST_CASE(optimizers_from_the_chapter_repeat_its_runs) {
  const json o = Outputs("optimizers", Defaults("optimizers"));
  BOOST_TEST_REQUIRE(o["runs"].size() == 5u);
  const chapters::IrisSplit data = chapters::SplitIris(FFNN_DATA_DIR);
  const ch02::Mlp init = ch02::RandomMlp({4, 16, 3}, ch02::Activation::kTanh,
                                         ch02::Activation::kSoftmax, 5);
  const ch03::TrainResult adam =
      ch03::Train(init, data.X_train, data.Y_train, data.X_test, data.Y_test,
                  {ch03::Optimizer::kAdam, 0.01, 100, 16, 1});
  const json& run = o["runs"][4];
  BOOST_TEST(run["optimizer"] == "Adam");
  BOOST_TEST(run["train_loss"].back().get<double>() == adam.train_loss.back());
  BOOST_TEST(run["test_accuracy"].get<double>() == adam.test_accuracy);
  json in = Defaults("optimizers");
  in["lr"]["SGD"] = 500;  // the chapter's diverging rate
  const json r = Ask("optimizers", in);
  BOOST_TEST(r["outputs"]["runs"][0]["diverged"].get<bool>());
  BOOST_TEST(r["notes"].dump().find("SGD (lr 500) diverged") !=
             std::string::npos);
}

BOOST_AUTO_TEST_CASE(nn_trace_answers_in_three_formats_or_its_error_line) {
  const std::string text =
      testing::Slurp(std::string(FFNN_SPECS_DIR) + "/ucl_2_2_1.json");
  const json o = Outputs("nn_trace", {{"spec", text}, {"decimals", "2"}});
  BOOST_TEST(o["markdown"] == ch03::TraceSpecText(text, "markdown", 2, 0));
  BOOST_TEST(o["latex"] == ch03::TraceSpecText(text, "latex", 2, 0));
  // The messages tests/ch03 reads from the nn-trace command.
  const json bad = Outputs(
      "nn_trace",
      {{"spec",
        R"({"layers": [{"W": [[1, "x"]], "b": [0], "activation": "relu"}], "loss": "mse", "x": [[1, 2]], "y": [[1]], "learning_rate": 1})"}});
  BOOST_TEST(StartsWith(bad["error"],
                        "nn-trace: error: layers[0].W[0][1]: expected a "
                        "number"),
             bad.dump());
  BOOST_TEST(StartsWith(Outputs("nn_trace", {{"spec", "{"}})["error"],
                        "nn-trace: error: spec: invalid JSON"));
}

BOOST_AUTO_TEST_CASE(every_bad_input_is_refused_naming_its_field,
                     *boost::unit_test::label("badinput")) {
  json in = Defaults("neuron");
  in["w"][0] = "nan";
  BOOST_TEST(Refusal("neuron", in) ==
             "w[1]: must be a number from -1e+06 to 1e+06, got 'nan'");
  in["w"][0] = "1e7";
  BOOST_TEST(StartsWith(Refusal("neuron", in), "w[1]: must be a number"));
  in["w"] = {1, 2};
  BOOST_TEST(StartsWith(Refusal("neuron", in), "w: must be a list of 3"));
  in = Defaults("perceptron");
  in["eta"] = "0";
  BOOST_TEST(StartsWith(Refusal("perceptron", in), "eta: must be a number"));
  in = Defaults("perceptron");
  in["max_epochs"] = "1.5";
  BOOST_TEST(StartsWith(Refusal("perceptron", in),
                        "max_epochs: must be a whole number"));
  in["max_epochs"] = 100000;
  BOOST_TEST(StartsWith(Refusal("perceptron", in), "max_epochs: must be"));
  in = Defaults("perceptron");
  in["points"][2][2] = 0;
  BOOST_TEST(StartsWith(Refusal("perceptron", in),
                        "points[3][3]: the label y must be +1 or -1"));
  in["points"] = json::array();
  for (int i = 0; i < 13; ++i) in["points"].push_back({0, 0, 1});
  BOOST_TEST(StartsWith(Refusal("perceptron", in), "points: must be a list"));
  in = Defaults("composition");
  in["network"] = "and";
  BOOST_TEST(StartsWith(Refusal("composition", in), "network: must be"));
  in = Defaults("iris");
  in["W2"][2][1] = "";
  BOOST_TEST(StartsWith(Refusal("iris", in), "W2[3][2]: must be a number"));
  in = Defaults("iris");
  in["y"] = json::array({json::array({2, 0, 0})});  // a cross-entropy target
  BOOST_TEST(Refusal("iris", in) ==
             "y[1][1]: must be a number from 0 to 1, "
             "got '2'");
  in = Defaults("optimizers");
  in["lr"].erase("Adam");
  BOOST_TEST(Refusal("optimizers", in) == "Adam: missing");
  in = Defaults("optimizers");
  in["epochs"] = 301;
  BOOST_TEST(StartsWith(Refusal("optimizers", in), "epochs: must be"));
  BOOST_TEST(
      StartsWith(Refusal("nn_trace", {{"spec", "{}"}, {"log_base", "0.5"}}),
                 "log_base: must be 'e' or a finite number > 1"));
  BOOST_TEST(
      StartsWith(Refusal("bench", json{{"kernel", "fft"}}), "kernel: must be"));
  BOOST_TEST(Refusal("bench", json{{"kernel", "gemm"},
                                   {"type", "f32"},
                                   {"n", 512},
                                   {"reps", 1000000}}) ==
             "reps: n and reps ask for 2.68e+14 flops, more than the 2e10 a "
             "call may take");
  // The request itself.
  BOOST_TEST(StartsWith(json::parse(Call("{"))["error"].get<std::string>(),
                        "request: not valid JSON: parse error"));
  // Only decimal notation: no hexadecimal, inf or nan spelled out.
  in = Defaults("neuron");
  for (const char* text : {"0x10", "inf", "1,5", " 0.2", "0.2 "}) {
    in["b"] = text;
    BOOST_TEST(StartsWith(Refusal("neuron", in), "b: must be a number"), text);
  }
  BOOST_TEST(json::parse(Call(R"({"example": "xor"})"))["error"] ==
             "example: unknown: 'xor'");
  BOOST_TEST(StartsWith(json::parse(Call("[]"))["error"].get<std::string>(),
                        "request: must be"));
  BOOST_TEST(StartsWith(
      json::parse(Call(std::string(kMaxRequestBytes + 1, ' ')))["error"]
          .get<std::string>(),
      "request: is 8388609 bytes"));
  BOOST_TEST(json::parse(Call("\xff\xfe"))["ok"] == false);
  BOOST_TEST(json::parse(Call("\"\xff\""))["ok"] == false);
}

// The kernel test vectors the browser's builds are compared on, checked
// natively against the same sequence regenerated here and summed in long
// double: the double dot at n = 257 within n eps sum |x_i y_i|, softmax rows
// summing to 1.
BOOST_AUTO_TEST_CASE(kernel_vectors_match_an_independent_long_double_dot) {
  const auto sequence = [](std::size_t n, std::uint64_t seed) {
    std::vector<double> v(n);
    std::uint64_t s = seed * 0x9E3779B97F4A7C15ULL + 1;
    for (double& x : v) {
      s = s * 6364136223846793005ULL + 1442695040888963407ULL;
      x = static_cast<double>(s >> 11) * 0x1.0p-52 - 1.0;
    }
    return v;
  };
  const json v = KernelVectors();
  BOOST_TEST_REQUIRE(v["f64"].size() == 7u);
  for (const json& r : v["f64"]) {
    const std::size_t n = r["n"];
    const std::vector<double> x = sequence(n + 1, 1), y = sequence(n + 1, 2);
    long double dot = 0, abs_dot = 0;
    for (std::size_t i = 1; i <= n; ++i) {
      dot += static_cast<long double>(x[i]) * y[i];
      abs_dot += std::abs(static_cast<long double>(x[i]) * y[i]);
    }
    BOOST_TEST(std::abs(r["dot"].get<double>() - static_cast<double>(dot)) <=
                   n * 2.3e-16 * static_cast<double>(abs_dot),
               "n = " << n);
    double sum = 0;
    for (const double p : r["softmax"]) sum += p;
    BOOST_TEST(std::abs(sum - 1) <= 1e-14 * n, "n = " << n);
  }
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace ffnn::live
