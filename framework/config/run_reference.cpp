// The keys that reference another run, and the run id a reference names.
#include "framework/config/run_reference.h"

#include <filesystem>

namespace aelab {

const std::vector<std::string>& run_reference_keys() {
  static const std::vector<std::string> keys{"transfer.from", "trainer.init_from"};
  return keys;
}

const std::vector<std::string>& keys_naming_a_run() {
  static const std::vector<std::string> keys = [] {
    std::vector<std::string> all = run_reference_keys();
    all.push_back("segmentation.encoder_from");
    return all;
  }();
  return keys;
}

std::string run_reference_as_id(const std::string& reference) {
  const std::filesystem::path path(reference);
  const std::string stem = path.stem().string();
  const bool run_id =
      stem.size() == 12 && stem.find_first_not_of("0123456789abcdef") == std::string::npos;
  return path.extension() == ".h5" && run_id ? stem : reference;
}

}  // namespace aelab
