#pragma once
// What the mock remembers of the Responses it made (store: true), so `previous_response_id`,
// GET/DELETE /responses/{id}, /input_items and /cancel work against it as against OpenAI. Shared
// by all worker threads; bounded, oldest forgotten first.

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <cstddef>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace llmux::mock {

struct StoredResponse {
  boost::json::object response;  // the Response object as answered
  boost::json::array history;    // every input item the turn saw (earlier turns included), with ids
  bool background = false;
};

class ResponsesMemory {
 public:
  explicit ResponsesMemory(std::size_t capacity = 10'000);

  void put(const std::string& id, StoredResponse stored);
  std::optional<StoredResponse> get(const std::string& id) const;
  bool erase(const std::string& id);
  // Sets a stored response's status (cancel); false when unknown.
  bool set_status(const std::string& id, const std::string& status);
  void clear();

  // A secret of this process: reasoning items' encrypted_content carries it, so a second mock
  // instance refuses them as OpenAI refuses another organisation's (tests of affinity).
  const std::string& instance_secret() const { return secret_; }

 private:
  mutable std::mutex mutex_;
  std::size_t capacity_;
  std::unordered_map<std::string, StoredResponse> items_;
  std::deque<std::string> order_;
  std::string secret_;
};

}  // namespace llmux::mock
