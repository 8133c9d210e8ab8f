// Accuracy, cross-entropy and confusion matrix.
#include "framework/metrics/classification_metrics.h"

namespace aelab {

Classification classify(const LogitFunction& logits_of, const LabelledSet& data, int64_t classes,
                        int64_t batch_size) {
  torch::NoGradGuard no_grad;
  torch::Tensor confusion = torch::zeros({classes * classes}, data.y.options().dtype(torch::kLong));
  torch::Tensor loss = torch::zeros({}, data.x.options().dtype(torch::kFloat64));
  for (int64_t begin = 0; begin < data.size(); begin += batch_size) {
    torch::Tensor logits = logits_of(data.x.slice(0, begin, begin + batch_size));
    torch::Tensor labels = data.y.slice(0, begin, begin + batch_size);
    loss += torch::nll_loss(torch::log_softmax(logits.to(torch::kFloat64), /*dim=*/1), labels,
                            /*weight=*/{}, at::Reduction::Sum);
    confusion.index_add_(0, labels * classes + logits.argmax(1), torch::ones_like(labels));
  }
  Classification result;
  result.confusion = confusion.view({classes, classes}).cpu();
  const double n = static_cast<double>(std::max<int64_t>(data.size(), 1));
  result.accuracy = result.confusion.diagonal().sum().item<double>() / n;
  result.cross_entropy = loss.item<double>() / n;
  return result;
}

}  // namespace aelab
