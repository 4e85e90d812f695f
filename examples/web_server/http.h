// The HTTP/1.1 subset that examples/web_server.cpp speaks: parsing a request
// head and formatting a response. Pure functions over strings, no sockets and
// no threads, so the server's concurrency code stays short.
//
// Only what the example needs: a request line, header fields, a body sized by
// Content-Length (no chunked transfer coding), persistent connections.
#ifndef SENDSYNC_EXAMPLES_WEB_SERVER_HTTP_H
#define SENDSYNC_EXAMPLES_WEB_SERVER_HTTP_H

#include <algorithm>
#include <cctype>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace http {

// Limits that keep one client from exhausting the server.
inline constexpr std::size_t max_head_bytes = 8 * 1024;     // else 431
inline constexpr std::size_t max_body_bytes = 1024 * 1024;  // else 413

struct Request {
  std::string method;
  std::string target;
  bool http_1_1 = true;         // false: HTTP/1.0
  bool keep_alive = true;       // after the Connection header is applied
  std::size_t content_length = 0;
  bool chunked = false;         // Transfer-Encoding present (unsupported)
  std::string body;
};

// What parsing a request head produced: a request, or the status code of the
// error to answer with.
struct ParseResult {
  std::optional<Request> request;
  int error_status = 0;
};

inline bool iequals(std::string_view a, std::string_view b) {
  return std::ranges::equal(a, b, [](unsigned char x, unsigned char y) {
    return std::tolower(x) == std::tolower(y);
  });
}

inline std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// A method is a token; this example accepts upper-case letters only.
inline bool valid_method(std::string_view m) {
  return !m.empty() && m.size() <= 16 &&
         std::ranges::all_of(m, [](char c) { return c >= 'A' && c <= 'Z'; });
}

inline bool valid_target(std::string_view t) {
  return !t.empty() && t.front() == '/' &&
         std::ranges::none_of(t, [](unsigned char c) {
           return c <= ' ' || c == 0x7f;
         });
}

// How many bytes of empty lines (CRLF) start `buf`. RFC 9112, section 2.2: a
// server expecting a request line should ignore at least one empty line
// before it (some clients send an extra CRLF after a POST body). This ignores
// any number: a client that sends nothing else meets the head deadline.
inline std::size_t leading_empty_lines(std::string_view buf) {
  std::size_t n = 0;
  while (buf.substr(n, 2) == "\r\n") n += 2;
  return n;
}

// Parses a request head: everything up to, not including, the blank line
// ("\r\n\r\n") that ends it. Malformed input gives 400; a body size over
// max_body_bytes gives 413.
inline ParseResult parse_head(std::string_view head) {
  ParseResult bad{std::nullopt, 400};
  std::size_t eol = head.find("\r\n");
  std::string_view line = head.substr(0, eol);
  std::string_view rest =
      eol == std::string_view::npos ? std::string_view{} : head.substr(eol + 2);

  // Request line: METHOD SP TARGET SP HTTP/1.x, single spaces.
  std::size_t sp1 = line.find(' ');
  if (sp1 == std::string_view::npos) return bad;
  std::size_t sp2 = line.find(' ', sp1 + 1);
  if (sp2 == std::string_view::npos) return bad;
  std::string_view method = line.substr(0, sp1);
  std::string_view target = line.substr(sp1 + 1, sp2 - sp1 - 1);
  std::string_view version = line.substr(sp2 + 1);
  if (!valid_method(method) || !valid_target(target)) return bad;
  Request req;
  if (version == "HTTP/1.1") {
    req.http_1_1 = true;
  } else if (version == "HTTP/1.0") {
    req.http_1_1 = false;
  } else {
    return bad;
  }
  req.method = method;
  req.target = target;
  req.keep_alive = req.http_1_1;  // the default of each version

  // Header fields: "name: value" lines.
  bool seen_length = false;
  while (!rest.empty()) {
    eol = rest.find("\r\n");
    std::string_view field = rest.substr(0, eol);
    rest = eol == std::string_view::npos ? std::string_view{}
                                         : rest.substr(eol + 2);
    std::size_t colon = field.find(':');
    if (colon == 0 || colon == std::string_view::npos) return bad;
    std::string_view name = field.substr(0, colon);
    if (name.find_first_of(" \t") != std::string_view::npos) return bad;
    std::string_view value = trim(field.substr(colon + 1));
    if (iequals(name, "Content-Length")) {
      bool digits = std::ranges::all_of(
          value, [](char c) { return c >= '0' && c <= '9'; });
      if (seen_length || value.empty() || !digits) return bad;
      seen_length = true;
      // More than 18 digits would overflow; it is too large either way.
      if (value.size() > 18) return {std::nullopt, 413};
      req.content_length = std::stoull(std::string(value));
      if (req.content_length > max_body_bytes) return {std::nullopt, 413};
    } else if (iequals(name, "Transfer-Encoding")) {
      req.chunked = true;
    } else if (iequals(name, "Connection")) {
      if (iequals(value, "close")) req.keep_alive = false;
      if (iequals(value, "keep-alive")) req.keep_alive = true;
    }
  }
  return {std::move(req), 0};
}

inline const char* reason(int status) {
  switch (status) {
    case 200: return "OK";
    case 400: return "Bad Request";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 413: return "Content Too Large";
    case 431: return "Request Header Fields Too Large";
    case 501: return "Not Implemented";
    case 503: return "Service Unavailable";
    default: return "Unknown";
  }
}

// A complete response with a plain-text body.
inline std::string format_response(int status, std::string_view body,
                                   bool keep_alive,
                                   std::string_view extra_headers = {}) {
  std::string out = "HTTP/1.1 " + std::to_string(status) + ' ' + reason(status);
  out += "\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ";
  out += std::to_string(body.size());
  out += keep_alive ? "\r\nConnection: keep-alive\r\n" : "\r\nConnection: close\r\n";
  out += extra_headers;
  out += "\r\n";
  out += body;
  return out;
}

}  // namespace http

#endif  // SENDSYNC_EXAMPLES_WEB_SERVER_HTTP_H
