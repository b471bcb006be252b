#pragma once
// The fault a request asks for: parsed from up to three `k=v,flag` specs (path segment
// `/fault/<spec>/`, header `x-mock-fault`, body field `mock_fault`), merged key by key with the
// later source winning. Pure: parsing and merging do no I/O; FaultCounters is the only state.

#include <boost/system/result.hpp>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace llmux::mock {

struct FaultSpec {
  std::optional<unsigned> status;
  std::optional<std::string> retry_after;
  unsigned delay_ms = 0;
  unsigned chunk_delay_ms = 0;
  std::optional<unsigned> chunks;
  std::optional<unsigned> break_after;
  bool reset = false;
  std::optional<std::string> context_error;  // flavour; empty = the route's own provider
  bool content_policy = false;
  std::optional<unsigned> times;
  std::optional<std::string> key;
  std::optional<std::string> tool_call;
  bool thinking = false;
  std::optional<std::string> stream_error;  // error type, e.g. overloaded_error
  // Responses API: end with response.failed carrying this error code instead of response.completed
  // (a whole answer: a 200 whose Response has status "failed").
  std::optional<std::string> response_failed;
  bool no_final_event = false;  // Responses API streams: end cleanly without the terminal event

  // The merged spec as written ("k=v,..."), used as the `times` counter key when `key` is absent.
  std::string canonical;
};

// Ordered `k=v` items; a bare flag has an empty value.
using FaultItems = std::vector<std::pair<std::string, std::string>>;

// Adds the items of `spec` to `items`, replacing earlier items with the same key.
void merge_fault_items(std::string_view spec, FaultItems& items);

// Checks keys and values. The error names the offending item.
boost::system::result<FaultSpec, std::string> to_fault_spec(const FaultItems& items);

// Finds every `/fault/<spec>` segment in `path`, appends the (percent-decoded) specs to `specs`
// and returns the path with those segments removed.
std::string strip_fault_segments(std::string_view path, std::vector<std::string>& specs);

// Counts requests per `times` key so a fault applies to the first N requests only.
class FaultCounters {
 public:
  // True when this request still gets its fault (always true without `times`).
  bool admit(const FaultSpec& spec);
  void clear();

 private:
  std::mutex mutex_;
  std::unordered_map<std::string, std::uint64_t> seen_;
};

}  // namespace llmux::mock
