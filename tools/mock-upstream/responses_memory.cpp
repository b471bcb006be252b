#include "responses_memory.hpp"

#include <random>

namespace llmux::mock {

ResponsesMemory::ResponsesMemory(std::size_t capacity) : capacity_(capacity) {
  std::random_device entropy;
  static constexpr char hex[] = "0123456789abcdef";
  for (int i = 0; i < 16; ++i) secret_ += hex[entropy() & 0xf];
}

void ResponsesMemory::put(const std::string& id, StoredResponse stored) {
  std::lock_guard lock(mutex_);
  if (items_.insert_or_assign(id, std::move(stored)).second) order_.push_back(id);
  while (items_.size() > capacity_ && !order_.empty()) {
    items_.erase(order_.front());
    order_.pop_front();
  }
}

std::optional<StoredResponse> ResponsesMemory::get(const std::string& id) const {
  std::lock_guard lock(mutex_);
  const auto it = items_.find(id);
  if (it == items_.end()) return std::nullopt;
  return it->second;
}

bool ResponsesMemory::erase(const std::string& id) {
  std::lock_guard lock(mutex_);
  // The id stays in order_ until it ages out; erasing a missing key there is harmless.
  return items_.erase(id) > 0;
}

bool ResponsesMemory::set_status(const std::string& id, const std::string& status) {
  std::lock_guard lock(mutex_);
  const auto it = items_.find(id);
  if (it == items_.end()) return false;
  it->second.response["status"] = status;
  return true;
}

void ResponsesMemory::clear() {
  std::lock_guard lock(mutex_);
  items_.clear();
  order_.clear();
}

}  // namespace llmux::mock
