// llmux: process life. Flags, config, workers, signals and the graceful drain.

#include <signal.h>
#include <sys/resource.h>

#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>

#include "app/options.hpp"
#include "config/embedded_default.hpp"
#include "config/loader.hpp"
#include "gateway/pipeline.hpp"
#include "gateway/shared_state.hpp"
#include "gateway/tenant_services.hpp"
#include "pricing/price_table.hpp"
#include "store/store_factory.hpp"
#include "net/http_server.hpp"
#include "observe/log.hpp"
#include "text/checked_number.hpp"

namespace {

using namespace llmux;

// 10,000 open streams need 20,000 descriptors (client + upstream): take what the system allows.
void raise_descriptor_limit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
  }
}

// With fewer descriptors than max_connections, accept() fails (EMFILE) before the cap refuses
// anyone with a clear 503. (A streaming connection holds an upstream one too; twice the cap is
// what a server full of streams needs.)
void warn_if_descriptors_short(std::size_t max_connections) {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY) return;
  constexpr std::size_t kSpare = 64;  // listeners, store, log, resolver
  if (static_cast<std::uint64_t>(limit.rlim_cur) < static_cast<std::uint64_t>(max_connections) + kSpare) {
    LLMUX_WARN("the descriptor limit (" + std::to_string(limit.rlim_cur) + ") is below " +
               "llmux_settings.max_connections (" + std::to_string(max_connections) +
               "): under load, accept() fails before the cap refuses connections with 503");
  }
}

// Built-in prices, with a LiteLLM price file on top when one is named. nullopt: the file is bad.
std::optional<pricing::PriceBook> load_prices(const std::string& path) {
  pricing::PriceBook book;
  if (path.empty()) return book;
  std::ifstream file(path);
  std::stringstream text;
  text << file.rdbuf();
  auto loaded = pricing::load_litellm_prices(text.str());
  if (auto* error = std::get_if<pricing::PriceLoadError>(&loaded)) {
    std::cerr << "llmux: " << path << ": " << error->message << "\n";
    return std::nullopt;
  }
  book.add(std::get<pricing::PriceTable>(loaded));
  return book;
}

// Keys, teams, users and spend: the store, its thread, the spend writer and the in-memory
// directory, stopped in reverse order after the HTTP drain.
struct Tenancy {
  std::unique_ptr<store::Store> store;
  tenancy::Directory directory;
  std::unique_ptr<store::SpendWriter> spend_writer;
  store::StoreHealth store_health;  // before store_thread, whose idle hook writes it
  std::unique_ptr<store::StoreThread> store_thread;
  pricing::PriceBook prices;
  tenancy::RateLimiter rate_limiter;
  tenancy::BudgetLedger budget_ledger;

  void stop() {
    if (spend_writer) {
      const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
      const auto flushed = spend_writer->flush_and_stop(deadline);
      if (!flushed.complete) {
        LLMUX_WARN(std::to_string(flushed.rows_lost) + " spend rows could not be written");
      }
    }
    if (store_thread) store_thread->stop();
  }
};

int run(const app::Options& options) {
  auto loaded = options.config_path ? config::load_config_file(*options.config_path)
                                    : config::load_config_text(config::embedded_default_config(),
                                                               "<embedded example config>");
  if (auto* error = std::get_if<config::LoadError>(&loaded)) {
    std::cerr << "llmux: bad config: " << error->message << "\n";
    return 1;
  }
  auto snapshot = std::make_shared<const config::Config>(std::move(std::get<config::Config>(loaded)));
  if (options.verbose || snapshot->litellm.set_verbose) observe::set_log_level(observe::LogLevel::debug);
  for (const auto& warning : snapshot->warnings) LLMUX_WARN("config: " + warning);

  auto prices = load_prices(options.prices_path.value_or(snapshot->server.prices_file));
  if (!prices) return 1;
  store::StoreSettings store_settings;
  store_settings.database_url = snapshot->general.database_url;
  store_settings.sqlite_path = options.db_path.value_or(snapshot->server.database_path);
  Tenancy tenancy;
  tenancy.prices = std::move(*prices);
  auto opened = store::open_store(store_settings);
  const std::string store_name = store::describe_store(store_settings);
  auto state = std::make_shared<gateway::SharedState>(snapshot, &tenancy.prices);
  if (opened) {
    tenancy.store = std::move(opened.value());
    if (!tenancy.directory.load_all(*tenancy.store)) {
      LLMUX_WARN("tenancy: keys could not be loaded from " + store_name);
    }
    tenancy.spend_writer = std::make_unique<store::SpendWriter>(*tenancy.store);
    tenancy.spend_writer->start();
    // Every half second the store thread checks the database (for readiness) and picks up other
    // instances' key changes: the bound on how stale another instance's cache can be.
    tenancy.store_thread = std::make_unique<store::StoreThread>(
        *tenancy.store, std::chrono::milliseconds(500),
        [&directory = tenancy.directory, &health = tenancy.store_health,
         next_reset = std::chrono::steady_clock::time_point{},
         next_sweep = std::chrono::steady_clock::time_point{}, was_reachable = true](store::Store& store) mutable {
          health.check_started(std::chrono::steady_clock::now());
          const store::Status reachable = store.ping();
          health.check_finished(std::chrono::steady_clock::now(), reachable.ok(),
                                reachable ? std::string() : reachable.error().message);
          if (reachable.ok() != was_reachable) {
            was_reachable = reachable.ok();
            if (was_reachable) {
              LLMUX_INFO("store: the database answers again; queued spend is being written");
            } else {
              LLMUX_WARN("store: the database is unreachable (" + reachable.error().message +
                         "); known keys keep working, spend waits in its queue");
            }
          }
          if (!reachable) return;  // retried next tick
          // Budget windows that ended start over in the store too (LiteLLM's reset job, once a
          // minute here); the reset bumps the change version, so the refresh below reloads.
          if (std::chrono::steady_clock::now() >= next_reset) {
            next_reset = std::chrono::steady_clock::now() + std::chrono::minutes(1);
            const auto now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                                    std::chrono::system_clock::now().time_since_epoch())
                                    .count();
            if (auto reset = store.reset_budgets(now_ms); !reset) {
              LLMUX_WARN("store: budget reset failed: " + reset.error().message);
            }
          }
          // Stored /v1/responses turns past llmux_settings.response_retention_seconds: reads
          // already skip them; this removes them, off the request path.
          if (std::chrono::steady_clock::now() >= next_sweep) {
            next_sweep = std::chrono::steady_clock::now() + std::chrono::seconds(10);
            const auto now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                                    std::chrono::system_clock::now().time_since_epoch())
                                    .count();
            if (auto swept = store.sweep_expired_responses(now_ms); !swept) {
              LLMUX_WARN("store: expired responses could not be removed: " + swept.error().message);
            } else if (swept.value() > 0) {
              LLMUX_DEBUG("store: " + std::to_string(swept.value()) + " expired responses removed");
            }
          }
          directory.refresh(store);  // picks up other instances' changes (and our own admin calls)
        });
    tenancy.store_thread->start();
    state->tenants = std::make_shared<gateway::TenantServices>(gateway::TenantServices{
        tenancy.directory, *tenancy.store_thread, *tenancy.spend_writer, tenancy.prices, tenancy.rate_limiter,
        tenancy.budget_ledger, store_name, &tenancy.store_health});
    LLMUX_INFO("store: " + store_name + " (" + std::to_string(tenancy.directory.key_count()) + " keys)");
  } else if (!store::effective_database_url(store_settings).empty() || options.db_path) {
    std::cerr << "llmux: cannot open the store " << store_name << ": " << opened.error().message << "\n";
    return 1;
  } else {
    // The default SQLite file is a convenience: without it only the master key works.
    LLMUX_WARN("store " + store_name + " unavailable (" + opened.error().message +
               "): virtual keys and spend tracking are off");
  }
  std::shared_ptr<const gateway::SharedState> shared = state;
  const auto& server_settings = snapshot->server;
  net::ServerOptions server_options;
  server_options.host = options.host;
  server_options.port = static_cast<std::uint16_t>(options.port);
  server_options.workers = options.workers > 0 ? options.workers
                                               : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  server_options.max_header_bytes = server_settings.max_header_bytes;
  server_options.max_body_bytes = snapshot->general.max_request_body_bytes;
  server_options.max_chunk_line_bytes = server_settings.max_chunk_line_bytes;
  server_options.max_trailer_bytes = server_settings.max_trailer_bytes;
  server_options.max_connections = server_settings.max_connections;
  server_options.header_read_timeout =
      text::seconds_to_ms(server_settings.header_read_timeout_seconds, text::kLongestWait);
  server_options.keepalive_idle_timeout =
      text::seconds_to_ms(server_settings.keepalive_idle_timeout_seconds, text::kLongestWait);
  warn_if_descriptors_short(server_options.max_connections);

  net::HttpServer server(server_options, [shared](boost::asio::io_context& io) {
    auto pipeline = std::make_shared<gateway::Pipeline>(shared, io);
    return net::Handler([pipeline](net::InboundRequest& request, net::ResponseWriter& writer) {
      return pipeline->handle(request, writer);
    });
  });
  auto bound = server.listen();
  if (auto* error = std::get_if<std::string>(&bound)) {
    std::cerr << "llmux: " << *error << "\n";
    return 1;
  }

  // Workers inherit this mask; only the main thread takes SIGTERM/SIGINT, with sigwait.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  server.start();
  const std::string source = options.config_path ? *options.config_path : "the embedded example config";
  LLMUX_INFO("llmux " LLMUX_VERSION " listening on http://" + options.host + ":" +
             std::to_string(std::get<std::uint16_t>(bound)) + " with " + std::to_string(server_options.workers) +
             " workers, " + std::to_string(snapshot->deployments.size()) + " deployments from " + source);

  int received = 0;
  sigwait(&stop_signals, &received);
  const auto grace = text::seconds_to_ms(server_settings.shutdown_grace_seconds, text::kLongestWait);
  LLMUX_INFO(std::string("received ") + (received == SIGTERM ? "SIGTERM" : "SIGINT") +
             ": no longer accepting; letting in-flight requests finish (up to " +
             std::to_string(grace.count() / 1000) + " s)");
  server.begin_drain();
  const std::size_t left = server.wait_drained(std::chrono::steady_clock::now() + grace);
  if (left) LLMUX_WARN(std::to_string(left) + " connections were still open at the end of the grace period");
  tenancy.stop();  // after the drain, so the last calls' spend is written
  LLMUX_INFO("stopped");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  auto parsed = llmux::app::parse_options(argc, argv);
  if (auto* code = std::get_if<int>(&parsed)) return *code;
  raise_descriptor_limit();
  try {
    return run(std::get<llmux::app::Options>(parsed));
  } catch (const std::exception& e) {
    std::cerr << "llmux: fatal: " << e.what() << "\n";
    return 1;
  }
}
