#include "api/multipart_form.hpp"

#include <gtest/gtest.h>

#include "api/media_request.hpp"

namespace llmux::api {
namespace {

std::string boundary_of(std::string_view content_type) {
  auto result = multipart_boundary(content_type);
  if (auto* error = std::get_if<MultipartError>(&result)) return "error: " + error->message;
  return std::get<std::string>(result);
}

MultipartForm scanned(std::string_view body, std::string_view boundary = "B") {
  auto result = scan_multipart(body, boundary);
  if (auto* error = std::get_if<MultipartError>(&result)) {
    ADD_FAILURE() << error->message;
    return {};
  }
  return std::get<MultipartForm>(result);
}

std::string error_of(std::string_view body, std::string_view boundary = "B", const MultipartLimits& limits = {}) {
  auto result = scan_multipart(body, boundary, limits);
  if (auto* error = std::get_if<MultipartError>(&result)) return error->message;
  return "no error";
}

constexpr std::string_view kForm =
    "--B\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\nwhisper-1\r\n"
    "--B\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.wav\"\r\nContent-Type: audio/wav\r\n\r\n"
    "RIFF\r\n-- B is no delimiter\r\n"
    "--B--\r\n";

TEST(MultipartBoundary, TokenOrQuotedInAnyCaseAndOrder) {
  EXPECT_EQ(boundary_of("multipart/form-data; boundary=abc123"), "abc123");
  EXPECT_EQ(boundary_of("Multipart/Form-Data;charset=utf-8; BOUNDARY=\"a b'()+_,-./:=?\""), "a b'()+_,-./:=?");
  EXPECT_EQ(boundary_of("multipart/form-data; boundary=\"es\\\"c\""), "error: Content-Type: the multipart boundary is not valid");
}

TEST(MultipartBoundary, RefusesWhatIsNotAFormBoundary) {
  EXPECT_NE(boundary_of("application/json").find("error: expected Content-Type multipart/form-data"), std::string::npos);
  EXPECT_NE(boundary_of("multipart/mixed; boundary=x").find("error:"), std::string::npos);
  EXPECT_NE(boundary_of("multipart/form-data").find("without a boundary"), std::string::npos);
  EXPECT_NE(boundary_of("multipart/form-data; boundary=a; boundary=b").find("more than once"), std::string::npos);
  EXPECT_NE(boundary_of("multipart/form-data; boundary=\"ends in space \"").find("not valid"), std::string::npos);
  EXPECT_NE(boundary_of("multipart/form-data; boundary=" + std::string(71, 'a')).find("not valid"), std::string::npos);
  EXPECT_NE(boundary_of("multipart/form-data; boundary=\"unterminated").find("error:"), std::string::npos);
  EXPECT_NE(boundary_of("multipart/form-data; boundary=").find("error:"), std::string::npos);
  EXPECT_EQ(boundary_of("multipart/form-data; boundary=" + std::string(70, 'a')), std::string(70, 'a'));
}

TEST(ScanMultipart, FindsEachPartsNameFileAndValue) {
  const MultipartForm form = scanned(kForm);
  ASSERT_EQ(form.parts.size(), 2u);
  EXPECT_EQ(form.parts[0].name, "model");
  EXPECT_FALSE(form.parts[0].is_file);
  EXPECT_EQ(form.parts[0].value(kForm), "whisper-1");
  EXPECT_EQ(form.parts[1].name, "file");
  EXPECT_TRUE(form.parts[1].is_file);
  EXPECT_EQ(form.parts[1].content_type, "audio/wav");
  EXPECT_EQ(form.parts[1].value(kForm), "RIFF\r\n-- B is no delimiter");
  EXPECT_EQ(form.first_delimiter_at, 0u);
}

TEST(ScanMultipart, PreambleEpilogueEmptyValuesAndPadding) {
  const std::string body =
      "ignored preamble\r\n--B  \r\ncontent-disposition: FORM-DATA; name=empty\r\n\r\n\r\n--B--\r\nepilogue";
  const MultipartForm form = scanned(body);
  ASSERT_EQ(form.parts.size(), 1u);
  EXPECT_EQ(form.parts[0].name, "empty");
  EXPECT_EQ(form.parts[0].value_size, 0u);
  EXPECT_EQ(form.first_delimiter_at, body.find("--B"));
  EXPECT_TRUE(scanned("--B--").parts.empty());
}

TEST(ScanMultipart, RefusesBrokenFraming) {
  EXPECT_NE(error_of("no delimiter here").find("no multipart boundary"), std::string::npos);
  EXPECT_NE(error_of("--B\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nvalue").find("closing multipart boundary"),
            std::string::npos);
  EXPECT_NE(error_of("--B\nContent-Disposition: form-data; name=a\n\nv\n--B--").find("CRLF"), std::string::npos);
  EXPECT_NE(error_of("--Bjunk\r\n").find("not followed by CRLF"), std::string::npos);
  EXPECT_NE(error_of("--B\r\n\r\nvalue\r\n--B--").find("no Content-Disposition"), std::string::npos);
  EXPECT_NE(error_of("--B\r\nContent-Disposition: attachment; name=a\r\n\r\nv\r\n--B--").find("form-data"),
            std::string::npos);
  EXPECT_NE(error_of("--B\r\nContent-Disposition: form-data\r\n\r\nv\r\n--B--").find("no name"), std::string::npos);
  EXPECT_NE(error_of("--B\r\nContent-Disposition: form-data; name=a; name=b\r\n\r\nv\r\n--B--").find("more than once"),
            std::string::npos);
  EXPECT_NE(error_of("--B\r\nContent-Disposition: form-data; name=a\r\nContent-Disposition: form-data; name=b\r\n\r\nv\r\n--B--")
                .find("two Content-Disposition"),
            std::string::npos);
  EXPECT_NE(error_of("--B\r\nContent-Disposition: form-data; name=a\r\nX-A: b\r\n c\r\n\r\nv\r\n--B--").find("folded"),
            std::string::npos);
  // The delimiter inside a value (RFC 2046 forbids it) is not read past as content.
  EXPECT_NE(error_of("--B\r\nContent-Disposition: form-data; name=a\r\n\r\nx\r\n--Bx\r\n--B--").find("not followed by CRLF"),
            std::string::npos);
  EXPECT_NE(error_of("--B\r\nno colon\r\n\r\nv\r\n--B--").find("malformed part header"), std::string::npos);
  EXPECT_NE(error_of("--B\r\nContent-Disposition: form-data; name=\"a\r\n\r\nv\r\n--B--").find("unterminated"),
            std::string::npos);
}

TEST(ScanMultipart, HoldsPartsAndHeadersToTheirLimits) {
  std::string many;
  for (int i = 0; i < 5; ++i) many += "--B\r\nContent-Disposition: form-data; name=p\r\n\r\nv\r\n";
  many += "--B--";
  EXPECT_EQ(scanned(many).parts.size(), 5u);
  EXPECT_NE(error_of(many, "B", {.max_parts = 4}).find("more than 4 parts"), std::string::npos);
  const std::string long_header =
      "--B\r\nContent-Disposition: form-data; name=a\r\nX-Pad: " + std::string(9000, 'x') + "\r\n\r\nv\r\n--B--";
  EXPECT_NE(error_of(long_header).find("do not end within 8192 bytes"), std::string::npos);
  std::string headers = "--B\r\nContent-Disposition: form-data; name=a\r\n";
  for (int i = 0; i < 20; ++i) headers += "X-H: 1\r\n";
  EXPECT_NE(error_of(headers + "\r\nv\r\n--B--").find("more than 16 headers"), std::string::npos);
  // A body of nothing but candidate delimiters is read in one linear pass.
  std::string hostile = "--B\r\nContent-Disposition: form-data; name=a\r\n\r\n";
  for (int i = 0; i < 200000; ++i) hostile += "\r\n--Bx";
  EXPECT_NE(error_of(hostile).find("not followed by CRLF"), std::string::npos);
}

TEST(MultipartRequest, ReadsTheModelAndRewritesOnlyItsValue) {
  auto read = read_multipart_request(Endpoint::audio_transcriptions, kForm, "multipart/form-data; boundary=B");
  ASSERT_TRUE(std::holds_alternative<RequestView>(read)) << std::get<RequestError>(read).message;
  const RequestView& view = std::get<RequestView>(read);
  EXPECT_EQ(view.model, "whisper-1");
  EXPECT_EQ(view.media.file(view.body).substr(0, 4), "RIFF");
  const std::string upstream = multipart_upstream_body(view, "whisper-large-v3");
  std::string expected(kForm);
  expected.replace(expected.find("whisper-1"), 9, "whisper-large-v3");
  EXPECT_EQ(upstream, expected);
}

TEST(MultipartRequest, AddsAModelPartWhenThePathNamesTheModel) {
  const std::string body = "pre\r\n--B\r\nContent-Disposition: form-data; name=\"file\"; filename=x\r\n\r\nabc\r\n--B--\r\n";
  auto read = read_multipart_request(Endpoint::audio_translations, body, "multipart/form-data; boundary=B", "whisper-1");
  ASSERT_TRUE(std::holds_alternative<RequestView>(read));
  const std::string upstream = multipart_upstream_body(std::get<RequestView>(read), "m1");
  auto again = read_multipart_request(Endpoint::audio_translations, upstream, "multipart/form-data; boundary=B");
  ASSERT_TRUE(std::holds_alternative<RequestView>(again)) << upstream;
  EXPECT_EQ(std::get<RequestView>(again).model, "m1");
}

TEST(MultipartRequest, RefusesAMissingEmptyRepeatedOrFileModel) {
  const auto error = [](std::string_view body, Endpoint endpoint = Endpoint::audio_transcriptions) {
    auto read = read_multipart_request(endpoint, body, "multipart/form-data; boundary=B");
    return std::holds_alternative<RequestError>(read) ? std::get<RequestError>(read).message : "no error";
  };
  const std::string file = "--B\r\nContent-Disposition: form-data; name=file; filename=a\r\n\r\nx\r\n";
  const auto model = [](std::string_view value) {
    return "--B\r\nContent-Disposition: form-data; name=model\r\n\r\n" + std::string(value) + "\r\n";
  };
  EXPECT_EQ(error(file + "--B--"), "Missing required parameter: 'model'.");
  EXPECT_EQ(error(model("") + file + "--B--"), "Missing required parameter: 'model'.");
  EXPECT_NE(error(model("a") + model("b") + file + "--B--").find("more than once"), std::string::npos);
  EXPECT_NE(error(model("a\nb") + file + "--B--").find("one line"), std::string::npos);
  EXPECT_NE(error(model("\xff") + file + "--B--").find("UTF-8"), std::string::npos);
  EXPECT_NE(error("--B\r\nContent-Disposition: form-data; name=model; filename=m\r\n\r\nx\r\n" + file + "--B--")
                .find("got a file"),
            std::string::npos);
  EXPECT_EQ(error(model("a") + "--B--"), "Missing required parameter: 'file'.");
  EXPECT_NE(error(model("a") + file + file + "--B--").find("'file' is given more than once"), std::string::npos);
  // Image edits: an image and a prompt; `n` held to 1..128.
  const std::string image = "--B\r\nContent-Disposition: form-data; name=\"image[]\"; filename=a.png\r\n\r\nx\r\n";
  const std::string prompt = "--B\r\nContent-Disposition: form-data; name=prompt\r\n\r\nhat\r\n";
  EXPECT_EQ(error(model("a") + image + "--B--", Endpoint::image_edits), "Missing required parameter: 'prompt'.");
  EXPECT_EQ(error(model("a") + image + prompt + "--B--", Endpoint::image_edits), "no error");
  const std::string n = "--B\r\nContent-Disposition: form-data; name=n\r\n\r\n";
  EXPECT_NE(error(model("a") + image + prompt + n + "0\r\n--B--", Endpoint::image_edits).find("Invalid 'n'"),
            std::string::npos);
  EXPECT_NE(error(model("a") + image + prompt + n + "99999999999999999999999\r\n--B--", Endpoint::image_edits)
                .find("<= 128"),
            std::string::npos);
}

}  // namespace
}  // namespace llmux::api
