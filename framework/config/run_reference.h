// References to another run in a job's config (`transfer.from=<id or run file>`): the keys that
// hold them, and the run id a reference names, so that a path and a bare id are one run.
#pragma once

#include <string>
#include <vector>

namespace aelab {

/// The keys that name another run and whose path and bare id hash alike in a run id
/// (`transfer.from`, `trainer.init_from`). `segmentation.encoder_from` is hashed as written: its
/// existing runs keep their ids.
const std::vector<std::string>& run_reference_keys();

/// Every key that names another run: those of run_reference_keys() and
/// `segmentation.encoder_from`.
const std::vector<std::string>& keys_naming_a_run();

/// A reference to another run as its run id: the stem of a run file's path
/// (`results/x/runs/<id>.h5`), else `reference` as written.
std::string run_reference_as_id(const std::string& reference);

}  // namespace aelab
