// make_table: a paper-style table of one or more metrics from a sweep's HDF5 run files.
#include <boost/program_options.hpp>
#include <iostream>

#include "framework/core/error.h"
#include "framework/core/error_message.h"
#include "framework/results/result_table.h"

namespace po = boost::program_options;

int main(int argc, char** argv) {
  try {
    po::options_description visible(
        "make_table RESULTS_DIR --rows KEY --cols KEY --metric SPLIT/METRIC [--format "
        "md|latex|csv]");
    visible.add_options()("help,h", "show this help")(
        "rows", po::value<std::string>()->default_value("model.latent_dim"),
        "config key of the rows, or family")(
        "cols", po::value<std::string>()->default_value("family"),
        "config key of the columns, or family (the model family: pca, linear, mlp, conv, vae); "
        "\"\" for none")(
        "metric", po::value<std::string>()->default_value("test/sse"),
        "test/sse, val/mse, train/psnr, ... or baseline/pca/test/sse; a comma-separated list "
        "gives a column per metric")("format", po::value<std::string>()->default_value("md"),
                                     "md, latex or csv")(
        "digits", po::value<int>()->default_value(4), "significant digits")(
        "mean-row", "add a last row with each column's mean over the rows");
    po::options_description all;
    all.add(visible).add_options()("results", po::value<std::string>(), "");
    po::positional_options_description positional;
    positional.add("results", 1);
    po::variables_map args;
    try {
      po::store(po::command_line_parser(argc, argv).options(all).positional(positional).run(),
                args);
      po::notify(args);
    } catch (const po::error& e) {
      throw aelab::ConfigError(std::string(e.what()) + " (see make_table --help)");
    }
    if (args.count("help")) {
      std::cout << visible;
      return 0;
    }
    if (!args.count("results"))
      throw aelab::ConfigError("give the results folder, such as results/bottleneck");
    aelab::TableSpec spec;
    spec.rows = args["rows"].as<std::string>();
    spec.cols = args["cols"].as<std::string>();
    spec.mean_row = args.count("mean-row") > 0;
    spec.metrics = aelab::split_metric_list(args["metric"].as<std::string>());
    spec.format = args["format"].as<std::string>();
    spec.digits = args["digits"].as<int>();
    if (spec.digits < 1 || spec.digits > 17) throw aelab::ConfigError("--digits: expected 1..17");
    std::cout << aelab::make_table(aelab::read_results(args["results"].as<std::string>()), spec);
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "error: " << aelab::one_line_message(e) << "\n";
    return aelab::exit_code_for(e);
  }
}
