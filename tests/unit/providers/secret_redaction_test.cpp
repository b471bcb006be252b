// redact_secret and its two callers' shapes: the deployment's key, however an upstream echoes it
// back, never reaches a client or a log.

#include <gtest/gtest.h>

#include <string>

#include "providers/secret_redaction.hpp"

namespace llmux::providers {
namespace {

constexpr std::string_view kKey = "sk-live/AbCdEf0123456789";

struct Case {
  std::string_view name;
  std::string text;
  std::string expected;
};

TEST(RedactSecret, EverySpellingOfTheKey) {
  const std::vector<Case> cases = {
      {"raw", "invalid key sk-live/AbCdEf0123456789.", "invalid key sk-****."},
      {"bearer echo", "Authorization: Bearer sk-live/AbCdEf0123456789", "Authorization: Bearer sk-****"},
      {"json-escaped slash", R"({"message":"bad key sk-live\/AbCdEf0123456789"})", R"({"message":"bad key sk-****"})"},
      {"escaped twice", R"("{\"key\":\"sk-live\\\/AbCdEf0123456789\"}")", R"("{\"key\":\"sk-****\"}")"},
      {"unicode escapes", R"(sk-live\u002fAbCdEf\u00301234567\u0038\u0039)", "sk-****"},
      {"twice in one text", "sk-live/AbCdEf0123456789 then sk-live/AbCdEf0123456789", "sk-**** then sk-****"},
      {"at the very start", "sk-live/AbCdEf0123456789", "sk-****"},
      {"cut by a length limit", "the key was sk-live/AbCd", "the key was sk-****"},
      {"a cut prefix no longer than the mask stays", "ends with sk-", "ends with sk-"},
      {"a near miss stays", "sk-live/AbCdEf012345678X", "sk-live/AbCdEf012345678X"},
      {"nothing to hide", "upstream overloaded", "upstream overloaded"},
      {"backslashes alone", R"(\\\\ \u12)", R"(\\\\ \u12)"},
  };
  for (const Case& c : cases) EXPECT_EQ(redact_secret(c.text, kKey), c.expected) << c.name;
}

TEST(RedactSecret, ShortKeysAreNotSecrets) {
  EXPECT_EQ(redact_secret("key dummy rejected", "dummy"), "key dummy rejected");
  EXPECT_EQ(redact_secret("anything", ""), "anything");
}

TEST(RedactOutcome, AFailureLeavesTheAdapterRedacted) {
  AttemptOutcome outcome = AttemptFailure{router::ErrorKind::authentication, 401,
                                          "Incorrect API key provided: sk-live/AbCdEf0123456789", std::nullopt};
  outcome = redacted_outcome(std::move(outcome), Secrets{kKey, {}});
  EXPECT_EQ(std::get<AttemptFailure>(outcome).message, "Incorrect API key provided: sk-****");
}

TEST(RedactFailedPiece, AFramedErrorIsRedactedInTheBytesToo) {
  StreamPiece piece;
  piece.bytes = "event: error\ndata: {\"type\":\"error\",\"error\":{\"message\":\"x-api-key sk-live\\/AbCdEf0123456789\"}}\n\n";
  piece.failure = AttemptFailure{router::ErrorKind::unavailable, 0, std::string(piece.bytes), std::nullopt};
  piece.failure_framed = true;
  redact_failed_piece(piece, Secrets{kKey, {}});
  EXPECT_EQ(piece.bytes.find("AbCdEf0123456789"), std::string::npos) << piece.bytes;
  EXPECT_NE(piece.bytes.find("sk-****"), std::string::npos) << piece.bytes;
  EXPECT_EQ(piece.failure->message.find("AbCdEf0123456789"), std::string::npos);
}

TEST(RedactFailedPiece, APieceWithoutAFailureIsTheModelsTextAndUntouched) {
  StreamPiece piece;
  piece.bytes = "data: {\"choices\":[{\"delta\":{\"content\":\"sk-live/AbCdEf0123456789\"}}]}\n\n";
  const std::string before = piece.bytes;
  redact_failed_piece(piece, Secrets{kKey, {}});
  EXPECT_EQ(piece.bytes, before);
}

TEST(RedactSecrets, ConfiguredHeaderValuesAreHiddenLikeTheKey) {
  const std::vector<std::string> headers = {"Basic dXNlcjpwYXNzd29yZA==", "tok-gateway-0987654321"};
  AttemptOutcome outcome =
      AttemptFailure{router::ErrorKind::authentication, 401,
                     "rejected Authorization: Basic dXNlcjpwYXNzd29yZA== and X-Token tok-gateway-0987654321 (key "
                     "sk-live/AbCdEf0123456789)",
                     std::nullopt};
  outcome = redacted_outcome(std::move(outcome), Secrets{kKey, headers});
  const std::string& message = std::get<AttemptFailure>(outcome).message;
  EXPECT_EQ(message.find("dXNlcjpwYXNzd29yZA"), std::string::npos) << message;
  EXPECT_EQ(message.find("0987654321"), std::string::npos) << message;
  EXPECT_EQ(message.find("AbCdEf0123456789"), std::string::npos) << message;
}

TEST(RedactSecrets, ADeploymentsSecretsAreItsKeyAndItsSecretHeaders) {
  config::Deployment deployment;
  deployment.api_key = "sk-live/AbCdEf0123456789";
  deployment.presets.secret_values = {"tok-gateway-0987654321"};
  const Secrets secrets = deployment_secrets(deployment);
  EXPECT_EQ(secrets.api_key, *deployment.api_key);
  ASSERT_EQ(secrets.header_values.size(), 1u);
  EXPECT_EQ(redact_secrets("saw tok-gateway-0987654321", secrets), "saw tok****");
}

}  // namespace
}  // namespace llmux::providers
