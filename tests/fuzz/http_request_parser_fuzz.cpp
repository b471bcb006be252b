// The inbound HTTP/1.1 request parser, fed as the server feeds it: with the server's default
// header and body limits, its buffer grown by what each read brings and what the parser took
// consumed, one request after another on a keep-alive connection (chunked bodies included).

#include <boost/asio/buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <string>

#include "fuzz_input.hpp"
#include "net/http_request_parser.hpp"
#include "net/http_server.hpp"

namespace {

using llmux::fuzz::require;

// Parses requests from `pieces` until one fails or the bytes run out, as read_request does.
void parse_connection(const std::vector<std::string_view>& pieces, const llmux::net::ServerOptions& options) {
  std::string buffer;  // the connection's read buffer
  std::size_t next_piece = 0;
  llmux::net::InboundRequest request;
  for (;;) {
    request.clear();
    llmux::net::RequestParser parser(request);
    parser.header_limit(static_cast<std::uint32_t>(options.max_header_bytes));
    parser.body_limit(options.max_body_bytes);
    parser.eager(true);
    boost::beast::error_code ec;
    while (!parser.is_done()) {
      if (buffer.empty() || ec == boost::beast::http::error::need_more) {
        if (next_piece == pieces.size()) return;  // the client went quiet mid-request
        buffer.append(pieces[next_piece++]);
      }
      ec = {};
      const std::size_t used = parser.put(boost::asio::buffer(buffer), ec);
      require(used <= buffer.size());
      buffer.erase(0, used);
      if (ec && ec != boost::beast::http::error::need_more) return;  // answered 400/413/431, closed
      if (!ec && used == 0 && !parser.is_done()) ec = boost::beast::http::error::need_more;
    }
    require(request.body.size() <= options.max_body_bytes);
    require(request.target.starts_with(request.path));
    // A handler reads every header and the body; ASan checks the views point at live bytes.
    std::size_t seen = 0;
    for (const auto& [name, value] : request.headers) seen += name.size() + value.size();
    require(seen <= options.max_header_bytes);
    if (!parser.keep_alive()) return;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const llmux::net::ServerOptions options;
  parse_connection(llmux::fuzz::split_by_last_byte(llmux::fuzz::as_text(data, size)), options);
  return 0;
}
