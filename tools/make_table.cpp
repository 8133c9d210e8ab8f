// make_table: a paper-style table of one or more metrics from a sweep's HDF5 run files.
#include <algorithm>
#include <boost/program_options.hpp>
#include <filesystem>
#include <iostream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "framework/core/error.h"
#include "framework/core/error_message.h"
#include "framework/core/suggest.h"
#include "framework/results/result_table.h"
#include "framework/results/results_folder.h"
#include "framework/results/table_cells.h"
#include "framework/results/table_renames.h"
#include "framework/results/table_runs.h"
#include "tools/command_line_error.h"

namespace po = boost::program_options;

namespace {

po::options_description visible_options() {
  po::options_description visible(
      "make_table RESULTS_DIR... [--rows KEYS] [--cols KEYS] [--metric M[,M...]] [options]");
  visible.add_options()("help,h", "show this help")(
      "rows", po::value<std::string>()->default_value("model.latent_dim"),
      "config key(s) of the rows, comma-separated: a dotted key, a group name (model: its "
      "preset), family (pca, linear, mlp, conv, vae) or status")(
      "cols", po::value<std::string>()->default_value("family"),
      "config key(s) of the columns, the same way; \"\" for one column (the default where "
      "--rows has family)")(
      "metric", po::value<std::string>(),
      "test/sse, val/mse, test/auroc, ... or baseline/pca/test/sse; a comma-separated list "
      "gives a column per metric (default: the first of test/nll_is, test/auroc, "
      "test/accuracy, test/miou, test/denoise_psnr, test/sse that every completed run has, else "
      "that any has)")(
      "where", po::value<std::vector<std::string>>()->composing(),
      "KEY=VALUE: only runs whose key has this value; KEY=A,B: either value (repeatable: "
      "runs that pass every filter)")(
      "agg", po::value<std::string>()->default_value("mean"),
      "mean (with ± the std over seeds) or median (with its interquartile range)")(
      "baseline", po::value<std::vector<std::string>>()->composing(),
      "NAME: the baseline each run records under /baseline/NAME (pca; raw, scratch for "
      "transfer; ink, majority for segmentation) as a column of its own, or a row when --rows "
      "is family (repeatable, or comma-separated)")(
      "relative-to", po::value<std::string>()->default_value(""),
      "LABEL: each value as a ratio to this column's in the same row (or, with --rows family, "
      "to this row's in the same column); a PSNR (dB), an NLL or ELBO (nats) or a score on [0, 1] "
      "(AUROC, accuracy) as its difference from it (such as pca, with --baseline pca)")(
      "no-bold", "do not mark the best value of each row")(
      "better", po::value<std::vector<std::string>>()->composing(),
      "METRIC=higher|lower: the direction of a metric aelab does not know (repeatable)")(
      "format", po::value<std::string>()->default_value("md"),
      "md (markdown), latex (booktabs) or csv (each column's mean, std and n at full "
      "precision, for pandas)")(
      "digits", po::value<int>()->default_value(4),
      "significant digits at least (a column gets more where its values would look equal)")(
      "mean-row", "add a last row with each column's mean over the rows")(
      "rename", po::value<std::vector<std::string>>()->composing(),
      "OLD=NEW: a header, row label, metric or key as the paper names it, such as "
      "model.latent_dim=k or 'test/nll_is=NLL (nats)' (repeatable)")(
      "order", po::value<std::string>(),
      "LABEL,LABEL,...: these columns first, in this order (such as normal,mog,vamp with "
      "--cols prior), the others after; rows where no column has the first label");
  return visible;
}

std::vector<std::string> list_of(const po::variables_map& args, const char* name) {
  return args.count(name) ? args[name].as<std::vector<std::string>>() : std::vector<std::string>{};
}

aelab::TableSpec spec_of(const po::variables_map& args) {
  aelab::TableSpec spec;
  spec.rows = args["rows"].as<std::string>();
  spec.cols = args["cols"].as<std::string>();
  // Families as rows and as columns would only fill the diagonal: one column instead.
  const std::vector<std::string> row_keys = aelab::split_list(spec.rows, "--rows");
  if (args["cols"].defaulted() &&
      std::find(row_keys.begin(), row_keys.end(), "family") != row_keys.end())
    spec.cols = "";
  spec.mean_row = args.count("mean-row") > 0;
  if (args.count("metric"))
    spec.metrics = aelab::split_metric_list(args["metric"].as<std::string>());
  spec.format = args["format"].as<std::string>();
  spec.digits = args["digits"].as<int>();
  if (spec.digits < 1 || spec.digits > 12)
    throw aelab::ConfigError("--digits " + std::to_string(spec.digits) +
                             ": expected 1 to 12 significant digits");
  spec.where = list_of(args, "where");
  spec.agg = args["agg"].as<std::string>();
  for (const auto& given : list_of(args, "baseline"))
    for (const auto& name : aelab::split_list(given, "--baseline")) spec.baselines.push_back(name);
  spec.relative_to = args["relative-to"].as<std::string>();
  spec.bold = args.count("no-bold") == 0;
  spec.renames = aelab::parse_renames(list_of(args, "rename"));
  if (args.count("order"))
    spec.order = aelab::split_list(args["order"].as<std::string>(), "--order");
  for (const auto& item : list_of(args, "better")) {
    const size_t eq = item.find('=');
    const std::string direction = eq == std::string::npos ? "" : item.substr(eq + 1);
    if (eq == 0 || (direction != "higher" && direction != "lower"))
      throw aelab::ConfigError("--better " + item +
                               ": expected METRIC=higher or METRIC=lower, such as "
                               "test/my_score=higher");
    spec.higher_is_better[item.substr(0, eq)] = direction == "higher";
  }
  return spec;
}

/// The runs `where` keeps (all of them where it keeps none: the table's checks say why).
std::vector<aelab::RunRecord> kept_by_where(const std::vector<aelab::RunRecord>& runs,
                                            const std::vector<std::string>& where) {
  if (where.empty()) return runs;
  std::vector<aelab::RunRecord> kept;
  try {
    for (const auto& run : aelab::filtered(aelab::table_runs_of(runs), where))
      kept.push_back(*run.record);
  } catch (const aelab::ConfigError&) {
    return runs;
  }
  return kept;
}

/// The metric of a table without --metric: the headline metric of the experiment that ran,
/// the first of these that every completed run has (VAEs alone: the NLL; VAEs beside other
/// models: the SSE they share; denoisers alone: the PSNR of their outputs), else that any has.
/// `runs` are those --where keeps.
std::string default_metric(const std::vector<aelab::RunRecord>& runs) {
  const std::vector<std::string> headlines = {"test/nll_is", "test/auroc",        "test/accuracy",
                                              "test/miou",   "test/denoise_psnr", "test/sse"};
  std::vector<const aelab::RunRecord*> completed;
  for (const auto& run : runs)
    if (run.status == "completed") completed.push_back(&run);
  for (const bool every : {true, false})
    for (const auto& metric : headlines) {
      auto has = [&](const aelab::RunRecord* run) {
        return aelab::metric_value(*run, metric).has_value();
      };
      if (!completed.empty() && (every ? std::all_of(completed.begin(), completed.end(), has)
                                       : std::any_of(completed.begin(), completed.end(), has)))
        return metric;
    }
  // No completed run: any headline will do, and the table says there is none, after --where's
  // own checks.
  if (completed.empty()) return headlines.back();
  throw aelab::DataError("no completed run has " + aelab::join(headlines, ", ") +
                         "; name a metric the runs have with --metric");
}

/// `--better` for a metric the table does not show would change nothing: ConfigError.
void check_better_metrics_are_shown(const aelab::TableSpec& spec, bool metrics_given) {
  for (const auto& [metric, higher] : spec.higher_is_better) {
    if (std::find(spec.metrics.begin(), spec.metrics.end(), metric) != spec.metrics.end()) continue;
    const std::string direction = higher ? "=higher" : "=lower";
    const std::string near = aelab::closest_match(metric, spec.metrics);
    throw aelab::ConfigError(
        "--better " + metric + direction + ": the table shows " + aelab::join(spec.metrics, ", ") +
        (metrics_given ? "" : " (its default metric)") + ", not " + metric +
        (near.empty() ? " (--better applies to the table's metrics: add it to --metric)"
                      : " (did you mean --better " + near + direction + "?)"));
  }
}

/// What make_table says of `count` runs of `folder` already read from `earlier` (as the Python
/// reader's repeated_runs_note says it).
std::string repeated_runs_note(const std::string& folder, const std::string& earlier, int count) {
  if (earlier == folder)
    return folder + ": " + std::to_string(count) +
           " run file(s) hold the config and seed of another file there (a copy?), counted once";
  return std::to_string(count) + " run(s) of " + folder + " are also in " + earlier +
         " (the same config and seed, whatever the sweep's name), counted once";
}

/// The runs of every results folder given, a folder given twice read once and a run in several
/// counted once (with a note: the same config and seed, whatever the sweep's name); a run file that
/// cannot be read is left out with a warning (`run_sweep --status` lists them too).
std::vector<aelab::RunRecord> read_all(const std::vector<std::string>& folders) {
  std::vector<aelab::RunRecord> runs;
  std::map<std::string, std::string> folder_of;  // same_run_key -> the folder first read from
  std::set<std::string> read_folders;
  std::vector<std::string> unreadable;
  for (const auto& folder : folders) {
    std::error_code ignored;  // a folder that does not exist gets read_results' own error
    if (!read_folders.insert(std::filesystem::weakly_canonical(folder, ignored).string()).second)
      continue;
    std::map<std::string, int> again_in;  // earlier folder -> runs of this one already read there
    for (auto& run : aelab::read_results(folder, &unreadable)) {
      auto [first, is_new] = folder_of.emplace(aelab::same_run_key(run), folder);
      if (is_new)
        runs.push_back(std::move(run));
      else
        ++again_in[first->second];
    }
    for (const auto& [earlier, count] : again_in)
      std::cerr << "note: " << repeated_runs_note(folder, earlier, count) << "\n";
  }
  for (const auto& problem : unreadable) std::cerr << "warning: left out: " << problem << "\n";
  return runs;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    po::options_description visible = visible_options();
    po::options_description all;
    all.add(visible).add_options()("results", po::value<std::vector<std::string>>(), "");
    po::positional_options_description positional;
    positional.add("results", -1);
    po::variables_map args;
    try {
      po::store(po::command_line_parser(argc, argv).options(all).positional(positional).run(),
                args);
      po::notify(args);
    } catch (const po::error& e) {
      throw aelab::ConfigError(aelab::command_line_error(e, all, "make_table"));
    }
    if (args.count("help")) {
      std::cout << visible;
      return 0;
    }
    if (!args.count("results"))
      throw aelab::ConfigError("give the results folder, such as results/bottleneck");
    aelab::TableSpec spec = spec_of(args);
    const std::vector<aelab::RunRecord> runs =
        read_all(args["results"].as<std::vector<std::string>>());
    if (!args.count("metric")) spec.metrics = {default_metric(kept_by_where(runs, spec.where))};
    check_better_metrics_are_shown(spec, args.count("metric") > 0);
    std::vector<std::string> warnings;
    std::cout << aelab::make_table(runs, spec, &warnings);
    for (const auto& warning : warnings) std::cerr << "warning: " << warning << "\n";
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "error: " << aelab::one_line_message(e) << "\n";
    return aelab::exit_code_for(e);
  }
}
