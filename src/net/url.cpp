#include "net/url.hpp"

#include <algorithm>
#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>
#include <cctype>
#include <charconv>

namespace llmux::net {
namespace {

bool is_default_port(bool tls, std::string_view port) { return port == (tls ? "443" : "80"); }

}  // namespace

std::string UpstreamTarget::authority() const {
  const bool ipv6 = host.find(':') != std::string::npos;
  std::string out;
  out.reserve(host.size() + port.size() + 3);
  if (ipv6) out.push_back('[');
  out.append(host);
  if (ipv6) out.push_back(']');
  if (!is_default_port(tls, port)) {
    out.push_back(':');
    out.append(port);
  }
  return out;
}

std::string UpstreamTarget::origin() const { return (tls ? "https://" : "http://") + authority(); }

std::optional<UpstreamTarget> parse_base_url(std::string_view url) {
  auto parsed = boost::urls::parse_absolute_uri(url);
  if (!parsed) return std::nullopt;
  const boost::urls::url_view& u = *parsed;

  UpstreamTarget target;
  switch (u.scheme_id()) {
    case boost::urls::scheme::http:
      target.tls = false;
      break;
    case boost::urls::scheme::https:
      target.tls = true;
      break;
    default:
      return std::nullopt;
  }
  if (u.has_userinfo() || u.has_query() || u.has_fragment()) return std::nullopt;

  switch (u.host_type()) {
    case boost::urls::host_type::name:
      target.host = u.host_name();  // decoded: "%2d" in a name means '-'
      break;
    case boost::urls::host_type::ipv4:
    case boost::urls::host_type::ipv6:
      target.host = u.host_address();
      break;
    default:
      return std::nullopt;  // none, IPvFuture
  }
  if (target.host.empty()) return std::nullopt;
  std::transform(target.host.begin(), target.host.end(), target.host.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });

  if (u.has_port() && !u.port().empty()) {
    const std::string_view port = u.port();
    // Boost.URL's port_number() wraps past 16 bits (99999 reads as 34463): read the digits here.
    unsigned number = 0;
    const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), number);
    if (ec != std::errc{} || end != port.data() + port.size() || number == 0 || number > 65535) return std::nullopt;
    target.port = std::to_string(number);  // "0080" and "80" must key the same pool
  } else {
    target.port = target.tls ? "443" : "80";
  }

  std::string_view path = u.encoded_path();
  // After an authority the path is empty or starts with '/'. Boost.URL 1.81 lets a bad port
  // ("host:8a/") end early and hands the rest back as a relative path: refuse it.
  if (!path.empty() && path.front() != '/') return std::nullopt;
  while (!path.empty() && path.back() == '/') path.remove_suffix(1);
  target.base_path = path;
  return target;
}

}  // namespace llmux::net
