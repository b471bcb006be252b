#pragma once

// One stored /v1/responses turn, as the response store keeps it (migration 5): who made it, which
// deployment answered, the full history it saw and the Response object, until it expires.

#include <optional>
#include <string>
#include <vector>

#include "store/rows.hpp"

namespace llmux::store {

struct ResponseRow {
  std::string response_id;  // the Response's own id (resp_…): the key the client uses
  Millis created_at = 0;
  Millis expires_at = 0;  // not served, and swept, from then on
  std::string key_hash;   // the virtual key that made it; "" for the master key (or no auth)
  std::optional<std::string> team_id;
  std::string model_group;
  std::string deployment_id;    // the deployment that answered (model_info.id)
  bool passed_through = false;  // the deployment speaks the Responses API and holds it too
  std::string status;           // the Response's status: completed, incomplete, in_progress, …
  bool background = false;      // created with background: true (only those can be cancelled)
  std::string input_items;      // JSON array: every input item the turn saw, earlier turns' included
  std::string response;         // the Response object, JSON
  // Ids of the reasoning items in its output: a later turn carrying one (with its
  // encrypted_content) goes back to the deployment that made it.
  std::vector<std::string> reasoning_item_ids;
};

// Which deployment made a reasoning item, and for whom.
struct ReasoningOwner {
  std::string item_id;
  std::string deployment_id;
  std::string key_hash;

  bool operator==(const ReasoningOwner&) const = default;
};

}  // namespace llmux::store
