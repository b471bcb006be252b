#include "providers/openai_stream.hpp"

#include <algorithm>
#include <cstdint>
#include <cstring>

#include "api/json_scan.hpp"
#include "net/upstream_client.hpp"
#include "providers/openai_chunk_scan.hpp"
#include "providers/secret_redaction.hpp"
#include "providers/upstream_call.hpp"

namespace llmux::providers {
namespace {

bool is_empty_array(std::string_view value) {
  api::ElementCursor cursor(value);
  std::string_view element;
  return api::is_array(value) && !cursor.next(element) && !cursor.error();
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
  static constexpr std::string_view kCompact = ",\"usage\":null}";  // as OpenAI and vLLM write it
  if (data.ends_with(kCompact)) {
    result = {true, true, data.size() - kCompact.size(), data.size() - 1};
    return true;
  }
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

UsageMention find_usage(std::string_view data, const ChunkKeys& keys) {
  static constexpr std::string_view kKey = "\"usage\"";
  UsageMention result;
  if (ends_with_null_usage(data, result)) return result;
  if (keys.usage_count == 0) return result;
  result.present = true;
  if (keys.usage_count > 1) return result;
  const std::size_t key = keys.first_usage;
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

// Reads a usage object in one walk: counts, cached and LiteLLM-shaped cache-write tokens. Like
// find_member, the last of repeated keys wins and a malformed object yields zeros; cached tokens
// stay as they were unless prompt_tokens_details is there.
void read_usage(std::string_view usage_json, Usage& usage) {
  std::int64_t prompt = 0, completion = 0, cache_write = 0;
  std::optional<std::int64_t> cached;
  // A negative count from an upstream would be a refund: it counts as none.
  const auto int_value = [](std::string_view value) {
    return std::max<std::int64_t>(0, api::decode_int64(value).value_or(0));
  };
  api::MemberCursor cursor(usage_json);
  api::Member member;
  while (cursor.next(member)) {
    const std::string_view value = member.value(usage_json);
    if (api::key_equals(member.key_raw, "prompt_tokens")) {
      prompt = int_value(value);
    } else if (api::key_equals(member.key_raw, "completion_tokens")) {
      completion = int_value(value);
    } else if (api::key_equals(member.key_raw, "prompt_tokens_details")) {
      const auto cached_value = api::find_member(value, "cached_tokens");
      cached = cached_value ? int_value(*cached_value) : 0;
    } else if (api::key_equals(member.key_raw, "cache_creation_input_tokens")) {
      cache_write = int_value(value);
    }
  }
  if (cursor.error()) {
    prompt = completion = cache_write = 0;
    cached.reset();
  }
  usage.prompt_tokens = prompt;
  usage.completion_tokens = completion;
  if (cached) usage.cached_tokens = *cached;
  usage.cache_write_tokens = cache_write;
  usage.known = true;
}

// The chunk's top-level "usage" and "choices" in one walk (last of repeated keys wins, as with
// find_member; none on a syntax error).
struct UsageChunk {
  std::optional<std::string_view> usage;
  std::optional<std::string_view> choices;
};

UsageChunk usage_members(std::string_view data) {
  UsageChunk found;
  api::MemberCursor cursor(data);
  api::Member member;
  while (cursor.next(member)) {
    if (api::key_equals(member.key_raw, "usage")) {
      found.usage = member.value(data);
    } else if (api::key_equals(member.key_raw, "choices")) {
      found.choices = member.value(data);
    }
  }
  if (cursor.error()) return {};
  return found;
}

}  // namespace

void OpenAiStreamFilter::feed(std::string_view upstream_bytes, std::string& client_bytes) {
  fed_ = upstream_bytes;
  parser_.feed(upstream_bytes, [&](const net::SseEventView& event) { on_event(event, client_bytes); });
  flush_run(client_bytes);
  fed_ = {};
}

// The event's frame, "data: <data>\n\n", lies as such in the fed bytes: what the client gets
// for it can be those bytes. Upstreams frame events this way; any other framing (CRLF, no space
// after the colon, more fields, a data line and its blank line split across reads) is re-framed.
bool OpenAiStreamFilter::frame_is_fed(std::string_view data) const {
  static constexpr std::string_view kPrefix = "data: ";
  const auto at = reinterpret_cast<std::uintptr_t>(data.data());
  const auto fed_begin = reinterpret_cast<std::uintptr_t>(fed_.data());
  if (at < fed_begin + kPrefix.size() || at + data.size() + 2 > fed_begin + fed_.size()) return false;
  const char* frame = data.data() - kPrefix.size();
  const char* after = data.data() + data.size();
  return std::memcmp(frame, kPrefix.data(), kPrefix.size()) == 0 && after[0] == '\n' && after[1] == '\n';
}

void OpenAiStreamFilter::emit_fed(const char* begin, const char* end, std::string& client_bytes) {
  if (begin == run_end_) {
    run_end_ = end;  // the usual case: right after the previous event's frame
    return;
  }
  flush_run(client_bytes);
  run_begin_ = begin;
  run_end_ = end;
}

void OpenAiStreamFilter::flush_run(std::string& client_bytes) {
  if (run_begin_ != run_end_) client_bytes.append(run_begin_, static_cast<std::size_t>(run_end_ - run_begin_));
  run_begin_ = run_end_ = nullptr;
}

void OpenAiStreamFilter::on_event(const net::SseEventView& event, std::string& client_bytes) {
  using namespace std::string_view_literals;
  const std::string_view data = event.data;
  if (data.empty()) return;
  const bool fed_frame = event.one_line && frame_is_fed(data);
  if (data == "[DONE]"sv) {
    saw_done_ = true;
    if (fed_frame) {
      emit_fed(data.data() - 6, data.data() + data.size() + 2, client_bytes);
      return;
    }
    flush_run(client_bytes);
    client_bytes += "data: [DONE]\n\n"sv;
    return;
  }
  const ChunkKeys keys = scan_chunk_keys(data);
  bool usage_only = false;
  const UsageMention usage_mention = find_usage(data, keys);
  if (usage_mention.present && !usage_mention.only_null) {
    if (const UsageChunk chunk = usage_members(data); chunk.usage && api::is_object(*chunk.usage)) {
      read_usage(*chunk.usage, usage_);
      usage_only = chunk.choices && is_empty_array(*chunk.choices);
    }
  }
  if (keys.finish_reason) saw_finish_reason_ = true;
  if (keys.error && api::find_member(data, "error").has_value() &&
      !api::find_member(data, "choices").has_value()) {
    // Reported to the client by the pipeline's own error event, with what was tried.
    upstream_error_ = std::string(data);
    return;
  }
  std::size_t cut_begin = data.size();  // [cut_begin, cut_end) of data is not the client's
  std::size_t cut_end = data.size();
  if (!client_wants_usage_) {
    // The gateway asked for usage on the client's behalf: the client must see neither the usage
    // chunk nor the `"usage":null` that include_usage adds to every other chunk.
    if (usage_only) return;
    if (usage_mention.strippable()) {
      cut_begin = usage_mention.cut_begin;
      cut_end = usage_mention.cut_end;  // the final "}" follows
    }
  }
  if (fed_frame) {
    emit_fed(data.data() - 6, data.data() + cut_begin, client_bytes);
    emit_fed(data.data() + cut_end, data.data() + data.size() + 2, client_bytes);
    return;
  }
  flush_run(client_bytes);
  const std::string_view kept = data.substr(0, cut_begin);
  const std::string_view after_cut = data.substr(cut_end);
  if (!event.one_line) {
    net::append_sse_data(client_bytes,
                         std::string(kept) + std::string(after_cut));  // rare: several data lines
    return;
  }
  // One data line: it holds no line break, so the frame is written as is, around the cut.
  client_bytes += "data: "sv;
  client_bytes += kept;
  client_bytes += after_cut;
  client_bytes += "\n\n"sv;
}

OpenAiStream::OpenAiStream(std::unique_ptr<net::UpstreamExchange> exchange, bool client_wants_usage,
                           std::chrono::milliseconds idle_limit, net::HeaderList upstream_headers,
                           Secrets secrets)
    : exchange_(std::move(exchange)),
      filter_(client_wants_usage),
      idle_limit_(idle_limit),
      upstream_headers_(std::move(upstream_headers)),
      secrets_(secrets) {}

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
    if (filter_.overflowed()) {
      finished_ = true;
      piece.failure = oversized_event_failure();
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
  redact_failed_piece(piece, secrets_);
  co_return piece;
}

}  // namespace llmux::providers
