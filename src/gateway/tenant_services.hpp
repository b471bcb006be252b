#pragma once

// The process-wide tenancy machinery the pipeline uses: the in-memory directory of keys, the store
// thread (admin calls), the spend writer (accounting) and the price book. Built by app/main when
// the store opens; absent (nullptr in SharedState) in unit tests, where only the master key works.

#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <memory>
#include <string>

#include "pricing/price_book.hpp"
#include "store/spend_writer.hpp"
#include "store/store_health.hpp"
#include "store/store_thread.hpp"
#include "tenancy/budget_ledger.hpp"
#include "tenancy/directory.hpp"
#include "tenancy/rate_limiter.hpp"

namespace llmux::gateway {

struct TenantServices {
  tenancy::Directory& directory;
  store::StoreThread& store_thread;
  store::SpendWriter& spend_writer;
  const pricing::PriceBook& prices;
  tenancy::RateLimiter& rate_limiter;
  tenancy::BudgetLedger& budget_ledger;
  std::string store_description;  // for readiness: "sqlite:./llmux.db", password masked
  const store::StoreHealth* store_health = nullptr;  // the store thread's last check; null = not tracked
};

// The database's part of /health/readiness, read from memory (no round trip): LiteLLM's "db"
// value ("connected" / "disconnected") and llmux's detail object (backend, last error, spend
// queue depth and drops) as JSON text.
struct StoreReadiness {
  std::string db;
  std::string detail_json;
};
StoreReadiness store_readiness(const TenantServices& tenants);

// Runs fn(Store&) on the store thread and resumes the awaiting coroutine on its own executor with
// the result, so a worker never blocks on the database. Deliberately not a coroutine itself, and
// callers pass a named job (not a lambda temporary inside the co_await expression): GCC 12
// destroys such temporaries twice.
template <class T, class Fn>
boost::asio::awaitable<T> on_store(store::StoreThread& thread, Fn fn) {
  namespace asio = boost::asio;
  return asio::async_initiate<const asio::use_awaitable_t<>, void(T)>(
      [&thread](auto handler, Fn job) {
        // StoreThread jobs are std::function (copyable): hold the move-only handler by pointer.
        auto shared = std::make_shared<decltype(handler)>(std::move(handler));
        thread.post([shared, job = std::move(job)](store::Store& store) {
          auto value = std::make_shared<T>(job(store));
          auto executor = asio::get_associated_executor(*shared);
          asio::post(executor, [shared, value]() mutable { (*shared)(std::move(*value)); });
        });
      },
      asio::use_awaitable, std::move(fn));
}

}  // namespace llmux::gateway
