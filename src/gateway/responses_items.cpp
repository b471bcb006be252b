#include "gateway/responses_items.hpp"

#include <algorithm>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <charconv>

#include "api/json_scan.hpp"

namespace llmux::gateway {
namespace json = boost::json;

namespace {

std::string_view text_of(const json::object& object, std::string_view key) {
  const json::value* value = object.if_contains(key);
  return value && value->is_string() ? std::string_view(value->get_string()) : std::string_view{};
}

json::value id_of(const json::value& item) {
  const json::value* id = item.is_object() ? item.get_object().if_contains("id") : nullptr;
  return id ? *id : json::value(nullptr);
}

}  // namespace

std::string responses_error_body(std::string_view message, std::string_view type, std::optional<std::string_view> param,
                                 std::optional<std::string_view> code) {
  std::string out = R"({"error":{"message":)";
  api::append_json_string(out, message);
  out += R"(,"type":)";
  api::append_json_string(out, type);
  out += R"(,"param":)";
  if (param) {
    api::append_json_string(out, *param);
  } else {
    out += "null";
  }
  out += R"(,"code":)";
  if (code) {
    api::append_json_string(out, *code);
  } else {
    out += "null";
  }
  out += "}}";
  return out;
}

bool is_response_id(std::string_view id) {
  if (id.empty() || id.size() > 256) return false;
  for (char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

json::array as_stored_items(json::array items, std::string_view response_id) {
  const std::string_view suffix = response_id.starts_with("resp_") ? response_id.substr(5) : response_id;
  for (std::size_t i = 0; i < items.size(); ++i) {
    json::object* item = items[i].if_object();
    if (!item) continue;
    const bool message = text_of(*item, "type").empty() || text_of(*item, "type") == "message";
    if (message) {
      json::value* content = item->if_contains("content");
      if (content && content->is_string()) {
        const bool assistant = text_of(*item, "role") == "assistant";
        json::object part{{"type", assistant ? "output_text" : "input_text"}, {"text", content->get_string()}};
        if (assistant) part["annotations"] = json::array{};
        *content = json::array{std::move(part)};
      }
    }
    if (item->contains("id")) continue;
    (*item)["id"] = std::string(message ? "msg_" : "item_") + std::string(suffix) + "_" + std::to_string(i);
  }
  return items;
}

std::optional<json::array> history_of(const store::ResponseRow& row) {
  boost::system::error_code ec;
  json::value items = json::parse(row.input_items, ec);
  if (ec || !items.is_array()) return std::nullopt;
  json::value response = json::parse(row.response, ec);
  if (ec || !response.is_object()) return std::nullopt;
  json::array history = std::move(items.as_array());
  if (const json::value* output = response.as_object().if_contains("output"); output && output->is_array()) {
    for (const json::value& item : output->get_array()) history.push_back(item);
  }
  return history;
}

std::vector<std::string> reasoning_item_ids(const json::object& response) {
  std::vector<std::string> ids;
  const json::value* output = response.if_contains("output");
  if (!output || !output->is_array()) return ids;
  for (const json::value& item : output->get_array()) {
    const json::object* object = item.if_object();
    if (!object || text_of(*object, "type") != "reasoning") continue;
    const std::string_view id = text_of(*object, "id");
    if (!id.empty()) ids.emplace_back(id);
  }
  return ids;
}

std::vector<std::string> encrypted_reasoning_ids(const json::object& request_body, std::size_t limit) {
  std::vector<std::string> ids;
  const json::value* input = request_body.if_contains("input");
  if (!input || !input->is_array()) return ids;
  for (const json::value& item : input->get_array()) {
    const json::object* object = item.if_object();
    if (!object || text_of(*object, "type") != "reasoning") continue;
    const json::value* encrypted = object->if_contains("encrypted_content");
    if (!encrypted || !encrypted->is_string() || encrypted->get_string().empty()) continue;
    const std::string_view id = text_of(*object, "id");
    if (!id.empty() && ids.size() < limit) ids.emplace_back(id);
  }
  return ids;
}

std::vector<std::string> item_reference_ids(const json::object& request_body, std::size_t limit) {
  std::vector<std::string> ids;
  const json::value* input = request_body.if_contains("input");
  if (!input || !input->is_array()) return ids;
  for (const json::value& item : input->get_array()) {
    const json::object* object = item.if_object();
    if (!object || text_of(*object, "type") != "item_reference") continue;
    const std::string_view id = text_of(*object, "id");
    if (id.empty() || ids.size() >= limit) continue;
    if (std::find(ids.begin(), ids.end(), id) == ids.end()) ids.emplace_back(id);
  }
  return ids;
}

std::optional<std::string> response_id_of_item(std::string_view item_id) {
  constexpr std::size_t kHexDigits = 32;
  const auto underscore = item_id.find('_');
  if (underscore == std::string_view::npos || underscore == 0) return std::nullopt;
  const std::string_view rest = item_id.substr(underscore + 1);
  if (rest.size() <= kHexDigits) return std::nullopt;  // the item's number follows the digits
  const std::string_view hex = rest.substr(0, kHexDigits);
  if (hex.find_first_not_of("0123456789abcdef") != std::string_view::npos) return std::nullopt;
  std::string_view number = rest.substr(kHexDigits);
  if (number.front() == '_') number.remove_prefix(1);
  if (number.empty() || number.size() > 9 || number.find_first_not_of("0123456789") != std::string_view::npos) {
    return std::nullopt;
  }
  return "resp_" + std::string(hex);
}

std::size_t replace_item_references(json::object& request_body,
                                    const std::function<const json::value*(std::string_view)>& find) {
  json::value* input = request_body.if_contains("input");
  if (!input || !input->is_array()) return 0;
  std::size_t replaced = 0;
  for (json::value& item : input->get_array()) {
    const json::object* object = item.if_object();
    if (!object || text_of(*object, "type") != "item_reference") continue;
    const std::string_view id = text_of(*object, "id");
    if (id.empty()) continue;
    if (const json::value* found = find(id)) {
      item = *found;
      ++replaced;
    }
  }
  return replaced;
}

std::variant<ItemsQuery, QueryError> read_items_query(const std::optional<std::string>& limit,
                                                      const std::optional<std::string>& order,
                                                      const std::optional<std::string>& after) {
  ItemsQuery query;
  if (limit) {
    std::size_t value = 0;
    const auto [end, ec] = std::from_chars(limit->data(), limit->data() + limit->size(), value);
    if (ec != std::errc{} || end != limit->data() + limit->size() || value < 1 || value > 100) {
      return QueryError{"Invalid 'limit': integer must be between 1 and 100.", "limit"};
    }
    query.limit = value;
  }
  if (order) {
    if (*order != "asc" && *order != "desc") {
      return QueryError{"Invalid 'order': expected one of 'asc' or 'desc'.", "order"};
    }
    query.ascending = *order == "asc";
  }
  if (after && !after->empty()) {
    if (!is_response_id(*after)) return QueryError{"Invalid 'after': not an item id.", "after"};
    query.after = *after;
  }
  return query;
}

std::string items_query_string(const ItemsQuery& query) {
  std::string out = "?limit=" + std::to_string(query.limit) + "&order=" + (query.ascending ? "asc" : "desc");
  if (!query.after.empty()) out += "&after=" + query.after;  // [A-Za-z0-9_-]: nothing to escape
  return out;
}

std::string input_items_page(const json::array& items, const ItemsQuery& query) {
  std::vector<const json::value*> ordered;
  ordered.reserve(items.size());
  for (const json::value& item : items) ordered.push_back(&item);
  if (!query.ascending) std::reverse(ordered.begin(), ordered.end());
  std::size_t start = 0;
  if (!query.after.empty()) {
    for (std::size_t i = 0; i < ordered.size(); ++i) {
      const json::value id = id_of(*ordered[i]);
      if (id.is_string() && id.get_string() == query.after) {
        start = i + 1;
        break;
      }
    }
  }
  json::array data;
  for (std::size_t i = start; i < ordered.size() && data.size() < query.limit; ++i) data.push_back(*ordered[i]);
  json::object page{{"object", "list"},
                    {"data", data},
                    {"first_id", data.empty() ? json::value(nullptr) : id_of(data.front())},
                    {"last_id", data.empty() ? json::value(nullptr) : id_of(data.back())},
                    {"has_more", start + data.size() < ordered.size()}};
  return json::serialize(page);
}

}  // namespace llmux::gateway
