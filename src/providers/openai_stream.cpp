#include "providers/openai_stream.hpp"

#include <string.h>  // memmem (GNU)

#include "api/json_scan.hpp"
#include "net/upstream_client.hpp"
#include "providers/upstream_call.hpp"

namespace llmux::providers {
namespace {

// string_view::find calls memchr for every '"' in a chunk (JSON is full of them) before comparing;
// glibc's memmem skips ahead. These searches run on every streamed chunk.
std::size_t find_text(std::string_view haystack, std::string_view needle, std::size_t from = 0) {
  if (from > haystack.size()) return std::string_view::npos;
  const void* at = ::memmem(haystack.data() + from, haystack.size() - from, needle.data(), needle.size());
  return at ? static_cast<std::size_t>(static_cast<const char*>(at) - haystack.data()) : std::string_view::npos;
}

std::int64_t int_member(std::string_view object, std::string_view key) {
  const auto value = api::find_member(object, key);
  if (!value) return 0;
  return api::decode_int64(*value).value_or(0);
}

bool is_empty_array(std::string_view value) {
  api::ElementCursor cursor(value);
  std::string_view element;
  return api::is_array(value) && !cursor.next(element) && !cursor.error();
}

bool has_finish_reason(std::string_view data) {
  // Cheaper than walking choices[]: any non-null finish_reason in the chunk.
  static constexpr std::string_view kKey = "\"finish_reason\":";
  for (std::size_t at = find_text(data, kKey); at != std::string_view::npos; at = find_text(data, kKey, at + 1)) {
    std::size_t i = at + kKey.size();
    while (i < data.size() && data[i] == ' ') ++i;
    if (i < data.size() && data[i] != 'n') return true;
  }
  return false;
}

// Where a chunk mentions "usage". include_usage puts `"usage":null` in every chunk but the last;
// recognising that shape spares the JSON scan. Only an unescaped `"usage"` followed by ':' can
// match it: inside a JSON string the quotes would be escaped.
struct UsageMention {
  bool present = false;    // some `"usage"` appears: the chunk must be scanned ...
  bool only_null = false;  // ... unless it is the chunk's one "usage" and its value is null
  // When that null member is the top-level object's last one (OpenAI's and vLLM's order),
  // [cut_begin, cut_end) is it with its leading comma and trailing whitespace; cut_end == 0
  // otherwise.
  std::size_t cut_begin = 0;
  std::size_t cut_end = 0;
  bool strippable() const { return cut_end != 0; }
};

bool is_json_ws(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }

// `, "usage": null }` at the very end of the chunk, read backwards: the usual case costs no search.
// The final '}' closes the top-level object, so the member before it is a top-level one.
bool ends_with_null_usage(std::string_view data, UsageMention& result) {
  std::size_t end = data.size();
  const auto skip_ws = [&] {
    while (end > 0 && is_json_ws(data[end - 1])) --end;
  };
  const auto take = [&](std::string_view text) {
    skip_ws();
    if (end < text.size() || data.substr(end - text.size(), text.size()) != text) return false;
    end -= text.size();
    return true;
  };
  if (!take("}")) return false;
  const std::size_t brace = end;
  if (!take("null") || !take(":") || !take("\"usage\"") || !take(",")) return false;
  result = {true, true, end, brace};
  return true;
}

UsageMention find_usage(std::string_view data) {
  static constexpr std::string_view kKey = "\"usage\"";
  UsageMention result;
  if (ends_with_null_usage(data, result)) return result;
  const std::size_t key = find_text(data, kKey);
  if (key == std::string_view::npos) return result;
  result.present = true;
  if (find_text(data, kKey, key + kKey.size()) != std::string_view::npos) return result;
  std::size_t i = key + kKey.size();
  while (i < data.size() && is_json_ws(data[i])) ++i;
  if (i >= data.size() || data[i] != ':') return result;
  ++i;
  while (i < data.size() && is_json_ws(data[i])) ++i;
  if (data.substr(i, 4) != "null") return result;
  result.only_null = true;
  // The last member of the top-level object: only whitespace and the final brace follow it.
  std::size_t after = i + 4;
  while (after < data.size() && is_json_ws(data[after])) ++after;
  if (after + 1 != data.size() || data[after] != '}') return result;
  std::size_t before = key;
  while (before > 0 && is_json_ws(data[before - 1])) --before;
  if (before == 0 || data[before - 1] != ',') return result;
  result.cut_begin = before - 1;
  result.cut_end = after;
  return result;
}

}  // namespace

void OpenAiStreamFilter::feed(std::string_view upstream_bytes, std::string& client_bytes) {
  events_.clear();
  parser_.feed(upstream_bytes, events_);
  for (auto& event : events_) {
    on_event(event, client_bytes);
    parser_.recycle(std::move(event.data));
  }
}

void OpenAiStreamFilter::on_event(net::SseEvent& event, std::string& client_bytes) {
  std::string_view data = event.data;
  if (data.empty()) return;
  if (data == "[DONE]") {
    saw_done_ = true;
    client_bytes += "data: [DONE]\n\n";
    return;
  }
  bool usage_only = false;
  const UsageMention usage_mention = find_usage(data);
  if (usage_mention.present && !usage_mention.only_null) {
    if (const auto usage = api::find_member(data, "usage"); usage && api::is_object(*usage)) {
      usage_.prompt_tokens = int_member(*usage, "prompt_tokens");
      usage_.completion_tokens = int_member(*usage, "completion_tokens");
      if (const auto details = api::find_member(*usage, "prompt_tokens_details")) {
        usage_.cached_tokens = int_member(*details, "cached_tokens");
      }
      usage_.cache_write_tokens = int_member(*usage, "cache_creation_input_tokens");  // LiteLLM-shaped
      usage_.known = true;
      const auto choices = api::find_member(data, "choices");
      usage_only = choices && is_empty_array(*choices);
    }
  }
  if (!saw_finish_reason_ && has_finish_reason(data)) saw_finish_reason_ = true;
  if (find_text(data, "\"error\"") != std::string_view::npos && api::find_member(data, "error").has_value() &&
      !api::find_member(data, "choices").has_value()) {
    // Reported to the client by the pipeline's own error event, with what was tried.
    upstream_error_ = std::string(data);
    return;
  }
  if (!client_wants_usage_) {
    // The gateway asked for usage on the client's behalf: the client must see neither the usage
    // chunk nor the `"usage":null` that include_usage adds to every other chunk.
    if (usage_only) return;
    if (usage_mention.strippable()) {
      // Moves just the final "}".
      event.data.erase(usage_mention.cut_begin, usage_mention.cut_end - usage_mention.cut_begin);
      data = event.data;
    }
  }
  net::append_sse_data(client_bytes, data);
}

OpenAiStream::OpenAiStream(std::unique_ptr<net::UpstreamExchange> exchange, bool client_wants_usage,
                           std::chrono::milliseconds idle_limit, net::HeaderList upstream_headers)
    : exchange_(std::move(exchange)),
      filter_(client_wants_usage),
      idle_limit_(idle_limit),
      upstream_headers_(std::move(upstream_headers)) {}

OpenAiStream::~OpenAiStream() = default;

void OpenAiStream::cancel() {
  if (exchange_) exchange_->cancel();
}

boost::asio::awaitable<StreamPiece> OpenAiStream::next() {
  StreamPiece piece;
  while (!finished_) {
    auto read = co_await exchange_->read_some(std::chrono::steady_clock::now() + idle_limit_);
    if (auto* error = std::get_if<net::UpstreamError>(&read)) {
      finished_ = true;
      piece.failure = stream_read_failure(*error);
      break;
    }
    const std::string_view bytes = std::get<std::string_view>(read);
    // Re-framed events are about as long as the upstream's: one allocation for the piece.
    piece.bytes.reserve(piece.bytes.size() + bytes.size() + 16);
    filter_.feed(bytes, piece.bytes);
    if (filter_.upstream_error()) {
      finished_ = true;
      piece.failure = AttemptFailure{router::ErrorKind::internal, 0,
                                     "upstream reported an error mid-stream: " + *filter_.upstream_error(),
                                     std::nullopt};
      break;
    }
    if (exchange_->done()) {
      finished_ = true;
      if (!filter_.saw_done()) {
        if (filter_.saw_finish_reason()) {
          // Some servers end a complete stream without the [DONE] sentinel; clients expect it.
          piece.bytes += "data: [DONE]\n\n";
        } else {
          piece.failure = AttemptFailure{router::ErrorKind::connection_failed, 0,
                                         "upstream stream ended before it was complete", std::nullopt};
        }
      }
      break;
    }
    if (!piece.bytes.empty()) break;  // forward what arrived now; never wait to batch
  }
  piece.finished = finished_;
  co_return piece;
}

}  // namespace llmux::providers
