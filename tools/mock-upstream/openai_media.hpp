#pragma once
// The OpenAI media endpoints: images (generations, edits), audio (transcriptions, translations,
// speech), moderations, and rerank in the Cohere/Jina/vLLM shape. Deterministic like the rest.

#include "mock_request.hpp"
#include "reply.hpp"

namespace llmux::mock {

Reply openai_images(const MockRequest& request, bool edit);
Reply openai_transcription(const MockRequest& request, bool translate);
Reply openai_speech(const MockRequest& request);
Reply openai_moderations(const MockRequest& request);
Reply rerank(const MockRequest& request);

// The bytes the speech route answers for `input`, as tests predict them.
std::string speech_bytes(std::string_view input);

}  // namespace llmux::mock
