// Any folder of MNIST-format IDX files (MNIST, KMNIST, EMNIST, ...), named by data.root.
#include "framework/data/idx_dataset.h"

namespace aelab {

AELAB_REGISTER_PLUGIN(dataset_registry(), "idx", IdxDataset, FolderDatasetOptions)
    .describe("a folder of MNIST-format IDX files, gzip or plain (set data.root)");

}  // namespace aelab
