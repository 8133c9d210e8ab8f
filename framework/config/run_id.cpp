// A run's id: a hash of its normalized job config, the same however a source run is named.
#include "framework/config/run_id.h"

#include "framework/config/run_reference.h"
#include "framework/core/hashing.h"
#include "framework/core/yaml_io.h"

namespace aelab {

namespace {

/// A source run named by its file (`results/x/runs/<id>.h5`, relative or absolute) hashes as its
/// run id, as a bare id does: the same source gives the same run id however its path is written.
/// (A run id hashes a run's config, so runs of one id are the same run.)
void hash_run_reference_as_its_id(ConfigNode& config, const std::string& key) {
  ConfigNode* reference = config.find(key);
  if (!reference || reference->kind() != ConfigNode::Kind::kString) return;
  *reference = ConfigNode::string(run_reference_as_id(reference->as_string()));
}

}  // namespace

std::string run_id_of(const ConfigNode& config) {
  ConfigNode hashed = config;
  for (const std::string& key : run_reference_keys()) hash_run_reference_as_its_id(hashed, key);
  if (ConfigNode* trainer = hashed.get("trainer"); trainer && trainer->is_map()) {
    trainer->remove("keep_checkpoint");
    // Runs made before trainer.precision existed trained in fp32: their ids stay.
    if (const ConfigNode* precision = trainer->get("precision");
        precision && precision->is_scalar() && precision->text() == "fp32")
      trainer->remove("precision");
  }
  // Runs made before data.test_subset existed measured on every test image: their ids stay.
  if (ConfigNode* data = hashed.get("data"); data && data->is_map())
    if (const ConfigNode* test_subset = data->get("test_subset");
        test_subset && test_subset->is_null())
      data->remove("test_subset");
  return short_hash(yaml_for_hashing(hashed), 12);
}

std::string same_run_key(const ConfigNode& config) {
  ConfigNode without_name = config;
  without_name.remove("name");
  return run_id_of(without_name);
}

}  // namespace aelab
