#include "gateway/confidence_call.hpp"

#include <charconv>

#include "api/json_scan.hpp"
#include "config/confidence_lookup.hpp"
#include "gateway/call_accounting.hpp"
#include "gateway/confidence_score.hpp"
#include "gateway/read_limits.hpp"
#include "gateway/request_tags.hpp"
#include "tenancy/litellm_wording.hpp"

namespace llmux::gateway {

namespace asio = boost::asio;

namespace {

bool asked_for_logprobs(const api::RequestView& view) {
  const auto value = api::find_member(view.body, "logprobs");
  return value && *value == "true";
}

std::optional<double> cost_of(const net::HeaderList& headers) {
  const std::string_view text = headers.find("x-litellm-response-cost");
  double cost = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), cost);
  if (text.empty() || ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return cost;
}

// The first call's route with its answer marked: "local[openai/m]:ok" → "…:ok(low-confidence)".
std::string marked_route(std::string_view route) {
  std::string out(route);
  for (std::size_t at = out.find("]:ok"); at != std::string::npos; at = out.find("]:ok", at + 1)) {
    const std::size_t after = at + 4;
    if (after == out.size() || out[after] == ',') {
      out.insert(after, "(low-confidence)");
      break;
    }
  }
  return out;
}

// `base` with x-llmux-route, x-litellm-response-cost and the confidence headers as the two calls
// together make them: the route of both, the cost of both.
net::HeaderList combined_headers(const net::HeaderList& base, const KeptAnswer& first, const KeptAnswer& second,
                                 std::string_view confidence, std::string_view escalation) {
  std::string route = marked_route(first.headers.find("x-llmux-route"));
  if (const auto second_route = second.headers.find("x-llmux-route"); !second_route.empty()) {
    route += ", ";
    route += second_route;
  }
  const auto first_cost = cost_of(first.headers), second_cost = cost_of(second.headers);
  net::HeaderList out;
  out.reserve(base.wire().size() + route.size() + 160);
  for (const auto& [name, value] : base) {
    if (name == "x-llmux-route" || name == "x-litellm-response-cost" || name == "x-llmux-confidence") continue;
    out.emplace_back(name, value);
  }
  out.emplace_back("x-llmux-route", route);
  if (first_cost || second_cost) {
    out.emplace_back("x-litellm-response-cost",
                     tenancy::wording::python_float(first_cost.value_or(0) + second_cost.value_or(0)));
  }
  out.emplace_back("x-llmux-confidence", confidence);
  out.emplace_back("x-llmux-escalation", escalation);
  return out;
}

asio::awaitable<void> send_kept(net::ResponseWriter& writer, const KeptAnswer& answer, const net::HeaderList& headers) {
  co_await writer.send(answer.status, headers, answer.content_type, answer.body);
}

// What the escalation's admission refused, as x-llmux-escalation says it.
std::string refused(const tenancy::Denial& denial) {
  return "refused(" + std::to_string(denial.status) + " " + denial.type + ")";
}

}  // namespace

const config::ConfidenceRule* confidence_rule_for(const SharedState& shared, const CallRequest& call) {
  if (call.endpoint != api::Endpoint::chat_completions) return nullptr;
  return config::confidence_rule(*shared.config, call.group);
}

asio::awaitable<void> execute_confidence_call(const SharedState& shared, WorkerResources& worker,
                                              const config::ConfidenceRule& rule, const net::InboundRequest& request,
                                              const TenantCaller* caller, CallRequest& call,
                                              net::ResponseWriter& writer) {
  // A stream would have to be held back whole to be scored, and its point is not to wait.
  if (call.view->stream) {
    call.extra_headers.emplace_back("x-llmux-confidence", "not-scored(stream)");
    co_await execute_call(shared, worker, call, writer);
    co_return;
  }
  const api::RequestView& client_view = *call.view;
  const bool by_logprobs = rule.confidence_header.empty();
  // Ask the group for log-probabilities when the client did not: its body gains "logprobs":true.
  std::string asking_body;
  std::optional<api::RequestView> asking_view;
  if (by_logprobs && !asked_for_logprobs(client_view)) {
    asking_body = with_logprobs(client_view.body);
    auto reread = api::read_request(call.endpoint, asking_body, client_view.model, read_limits(*shared.config));
    if (auto* view = std::get_if<api::RequestView>(&reread)) {
      asking_view = std::move(*view);
      call.view = &*asking_view;
    }
  }

  KeptAnswer first;
  call.keep = &first;
  co_await execute_call(shared, worker, call, writer);
  writer.on_disconnect([] {});  // the engine's cancel hook died with its frame
  if (!first.kept) co_return;   // the client went away
  if (!first.success) {         // the group's own retries and fallbacks are spent: its error stands
    co_await send_kept(writer, first, first.headers);
    co_return;
  }
  const ConfidenceVerdict verdict =
      by_logprobs ? judge_logprobs(summarize_logprobs(first.body), rule)
                  : judge_header(first.headers.find("llm_provider-" + rule.confidence_header), rule);
  const std::string confidence = describe(verdict);
  if (asking_view) {  // the client sees no logprobs it did not ask for
    if (auto clean = without_logprobs(first.body)) first.body = std::move(*clean);
  }
  if (verdict.kind != ConfidenceVerdict::Kind::low) {
    net::HeaderList headers = std::move(first.headers);
    headers.emplace_back("x-llmux-confidence", confidence);
    co_await send_kept(writer, first, headers);
    co_return;
  }

  // The escalation is a call of its own: admitted (a key's limits and budget see a second call),
  // tag-filtered and accounted (a second spend row, under a new call id) like any other.
  CallRequest second;
  second.ids = call_ids_for(request, worker.rng);
  second.timing = call.timing;  // the client's wait, and the upstream time, cover both calls
  second.endpoint = call.endpoint;
  second.view = &client_view;
  second.wire = call.wire;
  second.affinity = call.affinity;
  KeptAnswer escalated;
  const auto answer_first = [&](std::string escalation) {
    return combined_headers(first.headers, first, escalated, confidence, escalation);
  };
  TenantGate gate = gate_call(shared, caller, client_view, call.endpoint, rule.escalate_to);
  if (gate.denial) {
    co_await send_kept(writer, first, answer_first(refused(*gate.denial)));
    co_return;
  }
  const auto group = shared.router->resolve_group(gate.model);
  if (!group) {  // the config check makes this a group; a key's alias may have renamed it
    co_await send_kept(writer, first, answer_first("refused(unknown group)"));
    co_return;
  }
  second.group = *group;
  if (auto denial = restrict_by_tags(shared, caller, second, gate.model, request.header("x-litellm-tags"))) {
    co_await send_kept(writer, first, answer_first(refused(*denial)));
    co_return;
  }
  std::optional<CallAccounting> accounting;
  attach_accounting(shared, caller, gate, second, accounting);
  second.keep = &escalated;
  co_await execute_call(shared, worker, second, writer);
  writer.on_disconnect([] {});
  if (!escalated.kept) co_return;
  if (!escalated.success) {
    co_await send_kept(writer, first, answer_first("failed(" + std::to_string(escalated.status) + ")"));
    co_return;
  }
  co_await send_kept(writer, escalated, combined_headers(escalated.headers, first, escalated, confidence, "ok"));
}

}  // namespace llmux::gateway
