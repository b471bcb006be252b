#include "gateway/tenant_services.hpp"

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

namespace llmux::gateway {

StoreReadiness store_readiness(const TenantServices& tenants) {
  namespace json = boost::json;
  const auto now = store::StoreHealth::Clock::now();
  const store::StoreHealth::View health =
      tenants.store_health ? tenants.store_health->view(now) : store::StoreHealth::View{true, {}, {}, {}};
  const store::SpendWriterStats spend = tenants.spend_writer.stats();

  json::object detail;
  detail["backend"] = tenants.store_description;  // the URL with its password masked
  detail["connected"] = health.connected;
  // Store errors are scrubbed of the password where they are made (store/database_url.hpp).
  detail["last_error"] = health.last_error.empty() ? json::value(nullptr) : json::value(health.last_error);
  detail["unanswered_ms"] = health.unanswered_for ? json::value(health.unanswered_for->count()) : json::value(nullptr);
  detail["since_last_ok_ms"] = health.since_last_ok ? json::value(health.since_last_ok->count()) : json::value(nullptr);
  json::object queue;
  queue["queued"] = spend.queued;
  queue["capacity"] = tenants.spend_writer.capacity();
  queue["written"] = spend.written;
  queue["dropped"] = spend.dropped_full;
  queue["failed"] = spend.failed;
  queue["retries"] = spend.retries;
  detail["spend_queue"] = std::move(queue);
  return StoreReadiness{health.connected ? "connected" : "disconnected", json::serialize(detail)};
}

}  // namespace llmux::gateway
