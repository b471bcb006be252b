#include "config/provider_prefix.hpp"

#include <algorithm>
#include <iterator>

namespace llmux::config {
namespace {

using enum ProviderFamily;

// Default bases are LiteLLM's (its per-provider `api_base or get_secret(...) or "<url>"`).
// api_key_env: the variable LiteLLM falls back to when litellm_params has no api_key.
constexpr ProviderSpec providers[] = {
    {"openai", openai_compatible, "https://api.openai.com/v1", false, "OPENAI_API_KEY"},
    {"anthropic", anthropic, "https://api.anthropic.com", false, "ANTHROPIC_API_KEY"},
    {"mock", mock, "", false, ""},
    {"groq", openai_compatible, "https://api.groq.com/openai/v1", false, "GROQ_API_KEY"},
    {"deepseek", openai_compatible, "https://api.deepseek.com/v1", false, "DEEPSEEK_API_KEY"},
    {"together_ai", openai_compatible, "https://api.together.xyz/v1", false, "TOGETHERAI_API_KEY"},
    {"fireworks_ai", openai_compatible, "https://api.fireworks.ai/inference/v1", false,
     "FIREWORKS_AI_API_KEY"},
    {"mistral", openai_compatible, "https://api.mistral.ai/v1", false, "MISTRAL_API_KEY"},
    {"xai", openai_compatible, "https://api.x.ai/v1", false, "XAI_API_KEY"},
    {"openrouter", openai_compatible, "https://openrouter.ai/api/v1", false, "OPENROUTER_API_KEY"},
    {"deepinfra", openai_compatible, "https://api.deepinfra.com/v1/openai", false, "DEEPINFRA_API_KEY"},
    {"perplexity", openai_compatible, "https://api.perplexity.ai", false, "PERPLEXITYAI_API_KEY"},
    // Rerank (and Jina's embeddings) only: providers/endpoint_support.cpp.
    {"cohere", openai_compatible, "https://api.cohere.com", false, "COHERE_API_KEY"},
    {"jina_ai", openai_compatible, "https://api.jina.ai/v1", false, "JINA_AI_API_KEY"},
    {"hosted_vllm", openai_compatible, "", true, ""},
    {"vllm", openai_compatible, "", true, ""},
    {"openai_like", openai_compatible, "", true, ""},
    {"custom_openai", openai_compatible, "", true, ""},
    {"litellm_proxy", openai_compatible, "", true, ""},
    {"lm_studio", openai_compatible, "", true, ""},
    {"llamafile", openai_compatible, "", true, ""},
};

constexpr std::string_view unsupported_providers[] = {
    "azure",
    "azure_ai",
    "azure_text",
    "bedrock",
    "bedrock_converse",
    "sagemaker",
    "vertex_ai",
    "vertex_ai_beta",
    "gemini",
    "ollama",
    "ollama_chat",
    "cohere_chat",
    "huggingface",
    "replicate",
    "watsonx",
    "databricks",
    "cerebras",
    "sambanova",
    "nvidia_nim",
    "ai21",
    "ai21_chat",
    "text-completion-openai",
    "text-completion-codestral",
    "codestral",
    "friendliai",
    "github",
    "github_copilot",
    "nscale",
    "nebius",
    "novita",
    "cloudflare",
    "voyage",
    "predibase",
    "clarifai",
    "baseten",
    "petals",
    "palm",
    "aleph_alpha",
    "nlp_cloud",
    "anyscale",
    "dashscope",
    "moonshot",
    "volcengine",
    "hyperbolic",
    "snowflake",
    "featherless_ai",
    "galadriel",
    "infinity",
    "triton",
    "xinference",
    "oobabooga",
    "datarobot",
    "lambda_ai",
    "v0",
    "morph",
    "llama",
};

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

}  // namespace

std::optional<ProviderSpec> find_provider(std::string_view prefix) {
  const auto* it = std::find_if(std::begin(providers), std::end(providers),
                                [&](const ProviderSpec& spec) { return spec.prefix == prefix; });
  if (it == std::end(providers)) return std::nullopt;
  return *it;
}

bool is_unsupported_litellm_provider(std::string_view prefix) {
  return std::find(std::begin(unsupported_providers), std::end(unsupported_providers), prefix) !=
         std::end(unsupported_providers);
}

std::optional<std::string_view> infer_provider(std::string_view bare_model) {
  for (std::string_view openai_prefix : {"gpt-", "o1", "o3", "o4", "chatgpt-", "text-embedding-"}) {
    if (starts_with(bare_model, openai_prefix)) return "openai";
  }
  if (starts_with(bare_model, "claude-")) return "anthropic";
  return std::nullopt;
}

}  // namespace llmux::config
