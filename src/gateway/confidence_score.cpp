#include "gateway/confidence_score.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <charconv>
#include <cmath>

namespace llmux::gateway {

namespace json = boost::json;

namespace {

std::optional<json::value> parsed(std::string_view body) {
  boost::system::error_code ec;
  json::value value = json::parse(body, ec);
  if (ec || !value.is_object()) return std::nullopt;
  return value;
}

const json::array* choices_of(const json::value& answer) {
  const auto* choices = answer.as_object().if_contains("choices");
  return choices && choices->is_array() ? &choices->as_array() : nullptr;
}

std::optional<double> number(const json::value& v) {
  if (v.is_double()) return v.as_double();
  if (v.is_int64()) return static_cast<double>(v.as_int64());
  if (v.is_uint64()) return static_cast<double>(v.as_uint64());
  return std::nullopt;
}

// The shortest text that reads back as the same double, as JSON and Python write it.
std::string number_text(double value) {
  char text[32];
  const auto [end, ec] = std::to_chars(text, text + sizeof text, value);
  return ec == std::errc{} ? std::string(text, end) : std::string("0");
}

}  // namespace

std::optional<LogprobSummary> summarize_logprobs(std::string_view answer_body) {
  const auto answer = parsed(answer_body);
  if (!answer) return std::nullopt;
  const json::array* choices = choices_of(*answer);
  if (!choices) return std::nullopt;
  LogprobSummary summary;
  double total = 0;
  for (const auto& choice : *choices) {
    if (!choice.is_object()) continue;
    const auto* logprobs = choice.as_object().if_contains("logprobs");
    if (!logprobs || !logprobs->is_object()) continue;
    const auto* content = logprobs->as_object().if_contains("content");
    if (!content || !content->is_array()) continue;
    for (const auto& token : content->as_array()) {
      if (!token.is_object()) continue;
      const auto* logprob = token.as_object().if_contains("logprob");
      const auto value = logprob ? number(*logprob) : std::nullopt;
      // vLLM writes -inf as -9999.0; anything non-finite or positive is not a log-probability.
      if (!value || !std::isfinite(*value) || *value > 0) continue;
      summary.min = summary.tokens == 0 ? *value : std::min(summary.min, *value);
      total += *value;
      ++summary.tokens;
    }
  }
  if (summary.tokens == 0) return std::nullopt;
  summary.mean = total / static_cast<double>(summary.tokens);
  return summary;
}

ConfidenceVerdict judge_logprobs(const std::optional<LogprobSummary>& summary, const config::ConfidenceRule& rule) {
  ConfidenceVerdict verdict;
  if (!summary) return verdict;
  if (rule.min_mean_logprob && summary->mean < *rule.min_mean_logprob) {
    return {ConfidenceVerdict::Kind::low, "mean_logprob", summary->mean, *rule.min_mean_logprob};
  }
  if (rule.min_token_logprob && summary->min < *rule.min_token_logprob) {
    return {ConfidenceVerdict::Kind::low, "min_logprob", summary->min, *rule.min_token_logprob};
  }
  if (rule.min_mean_logprob) {
    return {ConfidenceVerdict::Kind::confident, "mean_logprob", summary->mean, *rule.min_mean_logprob};
  }
  return {ConfidenceVerdict::Kind::confident, "min_logprob", summary->min, rule.min_token_logprob.value_or(0)};
}

ConfidenceVerdict judge_header(std::string_view header_value, const config::ConfidenceRule& rule) {
  ConfidenceVerdict verdict;
  while (!header_value.empty() && header_value.front() == ' ') header_value.remove_prefix(1);
  while (!header_value.empty() && header_value.back() == ' ') header_value.remove_suffix(1);
  double score = 0;
  const auto [end, ec] = std::from_chars(header_value.data(), header_value.data() + header_value.size(), score);
  if (header_value.empty() || ec != std::errc{} || end != header_value.data() + header_value.size() ||
      !std::isfinite(score) || !rule.min_header_confidence) {
    return verdict;
  }
  const double threshold = *rule.min_header_confidence;
  return {score < threshold ? ConfidenceVerdict::Kind::low : ConfidenceVerdict::Kind::confident, "header", score,
          threshold};
}

std::string describe(const ConfidenceVerdict& verdict) {
  if (verdict.kind == ConfidenceVerdict::Kind::unscored) return "unscored";
  std::string out(verdict.rule);
  out += '=';
  out += number_text(verdict.score);
  out += "; threshold=";
  out += number_text(verdict.threshold);
  out += verdict.kind == ConfidenceVerdict::Kind::low ? "; low" : "; confident";
  return out;
}

std::string with_logprobs(std::string_view request_body) {
  // The body was validated as a JSON object with members (model, messages): its last '}' closes it.
  const auto close = request_body.find_last_of('}');
  std::string out;
  out.reserve(request_body.size() + 20);
  out.append(request_body.substr(0, close));
  out += R"(,"logprobs":true)";
  out.append(request_body.substr(close));
  return out;
}

std::optional<std::string> without_logprobs(std::string_view answer_body) {
  auto answer = parsed(answer_body);
  if (!answer) return std::nullopt;
  auto* choices = answer->as_object().if_contains("choices");
  if (choices && choices->is_array()) {
    for (auto& choice : choices->as_array()) {
      if (choice.is_object() && choice.as_object().contains("logprobs")) choice.as_object()["logprobs"] = nullptr;
    }
  }
  return json::serialize(*answer);
}

}  // namespace llmux::gateway
