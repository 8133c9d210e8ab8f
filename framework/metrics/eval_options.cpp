// The `eval:` section, declared once for every experiment that reads it.
#include "framework/metrics/eval_options.h"

#include "framework/core/settings_section.h"

namespace aelab {

[[maybe_unused]] static bool eval_section =
    declare_settings_section<EvalOptions>("eval", "the evaluation");

}  // namespace aelab
