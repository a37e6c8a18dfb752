// Request parsing, response headers and address obfuscation for the web front
// end (see request.hpp). Pure functions, no archive access.
#include "request.hpp"

#include "mime/decode.hpp"

#include <array>
#include <algorithm>

namespace mlarc::web {

namespace {

constexpr std::array<std::string_view, 12> kParams = {
    "q", "list", "wg", "author", "from", "to", "since", "until", "page", "n", "sort", "format"};

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

Error bad(std::string message) { return make_error(Errc::usage, std::move(message)); }

bool clean_text(std::string_view s) {
    return is_valid_utf8(s) && s.find('\0') == std::string_view::npos;
}

bool local_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '.' || c == '_' || c == '%' || c == '+' || c == '-' || c == '=';
}

bool domain_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '.' || c == '-';
}

} // namespace

std::optional<std::string> percent_decode(std::string_view s, bool plus_is_space) {
    std::string out;
    out.reserve(s.size());
    for (size_t i = 0; i < s.size(); ++i) {
        char c = s[i];
        if (c == '%') {
            if (i + 2 >= s.size()) return std::nullopt;
            int hi = hex_value(s[i + 1]), lo = hex_value(s[i + 2]);
            if (hi < 0 || lo < 0) return std::nullopt;
            out += static_cast<char>(hi * 16 + lo);
            i += 2;
        } else if (c == '+' && plus_is_space) {
            out += ' ';
        } else {
            out += c;
        }
    }
    return out;
}

std::string Request::param(const std::string& name) const {
    auto it = params.find(name);
    return it == params.end() ? std::string() : it->second;
}

Result<Request> parse_request(std::string_view method, std::string_view path_info,
                              std::string_view query_string) {
    if (method != "GET" && method != "HEAD") return bad("405 only GET is allowed");
    if (query_string.size() > kMaxQueryString)
        return bad("the query string is longer than " + std::to_string(kMaxQueryString) + " bytes");
    if (path_info.size() > kMaxPathInfo)
        return bad("the path is longer than " + std::to_string(kMaxPathInfo) + " bytes");
    if (!clean_text(path_info)) return bad("the path is not valid UTF-8");
    Request r;
    r.path = path_info.empty() ? "/" : std::string(path_info);
    size_t pos = 0;
    while (pos <= query_string.size() && !query_string.empty()) {
        size_t amp = query_string.find('&', pos);
        if (amp == std::string_view::npos) amp = query_string.size();
        std::string_view pair = query_string.substr(pos, amp - pos);
        pos = amp + 1;
        if (!pair.empty()) {
            size_t eq = pair.find('=');
            auto name = percent_decode(pair.substr(0, eq), true);
            auto value = percent_decode(eq == std::string_view::npos ? std::string_view()
                                                                      : pair.substr(eq + 1),
                                        true);
            if (!name || !value) return bad("invalid percent-encoding in the query string");
            if (!clean_text(*name) || !clean_text(*value))
                return bad("the query string is not valid UTF-8");
            if (std::find(kParams.begin(), kParams.end(), *name) == kParams.end())
                return bad("unknown parameter '" + *name + "'");
            if (r.params.count(*name)) return bad("parameter '" + *name + "' given twice");
            r.params.emplace(std::move(*name), std::move(*value));
        }
        if (amp >= query_string.size()) break;
    }
    return r;
}

std::string status_line(int status) {
    switch (status) {
    case 200: return "200 OK";
    case 400: return "400 Bad Request";
    case 403: return "403 Forbidden";
    case 404: return "404 Not Found";
    case 405: return "405 Method Not Allowed";
    case 503: return "503 Service Unavailable";
    default: return "500 Internal Server Error";
    }
}

std::string header_block(const Response& r) {
    std::string h = "Status: " + status_line(r.status) + "\r\n";
    h += "Content-Type: " + r.content_type + "\r\n";
    h += "Content-Security-Policy: default-src 'none'; style-src 'self'; img-src 'self'; "
         "frame-ancestors 'none'\r\n";
    h += "X-Content-Type-Options: nosniff\r\n";
    h += "Referrer-Policy: no-referrer\r\n";
    if (r.status == 405) h += "Allow: GET, HEAD\r\n";
    for (const auto& [name, value] : r.headers) h += name + ": " + value + "\r\n";
    h += "\r\n";
    return h;
}

std::string content_disposition_attachment(std::string_view filename) {
    std::string fallback, encoded;
    for (char c : filename) {
        auto u = static_cast<unsigned char>(c);
        bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                     c == '.' || c == '-' || c == '_';
        fallback += plain ? c : '_';
        // RFC 5987 attr-char: ALPHA / DIGIT / "!#$&+-.^_`|~"; everything else %XX.
        if (plain || std::string_view("!#$&+^`|~").find(c) != std::string_view::npos) {
            encoded += c;
        } else {
            static constexpr char kHex[] = "0123456789ABCDEF";
            encoded += '%';
            encoded += kHex[u >> 4];
            encoded += kHex[u & 15];
        }
    }
    // No leading dot (a hidden file) and never empty.
    while (!fallback.empty() && fallback.front() == '.') fallback.erase(0, 1);
    if (fallback.empty()) return "attachment; filename=\"attachment.bin\"";
    return "attachment; filename=\"" + fallback + "\"; filename*=UTF-8''" + encoded;
}

std::string obfuscate_address(std::string_view address) {
    size_t at = address.rfind('@');
    if (at == std::string_view::npos || at == 0 || at + 1 >= address.size())
        return std::string(address);
    std::string_view local = address.substr(0, at);
    std::string out(local.substr(0, std::min<size_t>(3, local.size())));
    if (local.size() > 3) out += "...";
    out += " at ";
    out += address.substr(at + 1);
    return out;
}

std::string obfuscate_text(std::string_view text) {
    std::string out;
    size_t done = 0;
    for (size_t at = text.find('@'); at != std::string_view::npos; at = text.find('@', at + 1)) {
        if (at < done) continue;
        size_t b = at;
        while (b > done && local_char(text[b - 1])) --b;
        size_t e = at + 1;
        while (e < text.size() && domain_char(text[e])) ++e;
        while (e > at + 1 && (text[e - 1] == '.' || text[e - 1] == '-')) --e;
        std::string_view domain = text.substr(at + 1, e - at - 1);
        if (b == at || domain.find('.') == std::string_view::npos) continue;
        out += text.substr(done, b - done);
        out += obfuscate_address(text.substr(b, e - b));
        done = e;
    }
    out += text.substr(done);
    return out;
}

} // namespace mlarc::web
