#pragma once

// Key rows from admin request bodies: what /key/generate stores, what /key/update changes, and the
// bare row /user/new starts its key from. Wrong field types throw FieldError (a 400).

#include <boost/json/object.hpp>
#include <optional>
#include <string>

#include "store/rows.hpp"

namespace llmux::gateway::admin {

// A key row for this raw key: its hash and masked name, nothing else set.
store::KeyRow key_row_for(const std::string& raw_key);
// `duration` ("30d") → the expiry time; absent or null → never expires.
std::optional<store::Millis> expiry_from(const boost::json::object& body, store::Millis now);
store::KeyRow new_key_row(const boost::json::object& body, const std::string& raw_key, store::Millis now);
store::KeyPatch key_patch(const boost::json::object& body, store::Millis now);

}  // namespace llmux::gateway::admin
