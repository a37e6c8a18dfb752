// Tests of util/strings: basic helpers, subject normalisation (FAILURE-MODES
// item 35) and the output escapers.
#include "test_support.hpp"

#include "util/strings.hpp"

#include <string>
#include <string_view>
#include <vector>

using namespace mlarc;

TEST_CASE("ascii_lower, trim, starts_with_icase", "[strings]") {
    CHECK(ascii_lower("MiXeD 123 ÄÖ") == "mixed 123 ÄÖ"); // non-ASCII untouched
    CHECK(ascii_lower("") == "");
    CHECK(trim("  \t a b \r\n") == "a b");
    CHECK(trim("   ").empty());
    CHECK(trim("") == "");
    CHECK(trim("x") == "x");
    CHECK(starts_with_icase("Content-Type: x", "content-type:"));
    CHECK(starts_with_icase("abc", ""));
    CHECK_FALSE(starts_with_icase("ab", "abc"));
    CHECK_FALSE(starts_with_icase("abd", "ABC"));
}

TEST_CASE("split and join", "[strings]") {
    CHECK(split("a,,b", ',') == std::vector<std::string>{"a", "", "b"});
    CHECK(split("a,,b", ',', true) == std::vector<std::string>{"a", "b"});
    CHECK(split("", ',') == std::vector<std::string>{""});
    CHECK(split("", ',', true).empty());
    CHECK(split(",a,", ',') == std::vector<std::string>{"", "a", ""});
    CHECK(split("abc", ',') == std::vector<std::string>{"abc"});
    CHECK(join(std::vector<std::string>{"a", "b", "c"}, ", ") == "a, b, c");
    CHECK(join(std::vector<std::string_view>{"x"}, "-") == "x");
    CHECK(join(std::vector<std::string>{}, "-") == "");
    CHECK(join(split("a:b:c", ':'), ":") == "a:b:c");
}

TEST_CASE("normalise_subject strips reply and forward prefixes", "[strings][subject]") {
    CHECK(normalise_subject("Re: Hello World") == "hello world");
    CHECK(normalise_subject("RE: RE: re: Hello") == "hello");
    CHECK(normalise_subject("Re:Re:Hello") == "hello");
    CHECK(normalise_subject("Re[2]: Hello") == "hello");
    CHECK(normalise_subject("Re(3): Hello") == "hello");
    CHECK(normalise_subject("Re^2: Hello") == "hello");
    CHECK(normalise_subject("Re : Hello") == "hello"); // French spacing
    CHECK(normalise_subject("Fwd: Fw: FW: Hello") == "hello");
    CHECK(normalise_subject("AW: WG: Hello") == "hello");
    CHECK(normalise_subject("SV: VS: Antw: Ref: TR: RIF: ODP: Hello") == "hello");
    CHECK(normalise_subject("回复: 答复：转发: 你好") == "你好");
    CHECK(normalise_subject("回覆：轉發: 你好") == "你好");
    CHECK(normalise_subject("  Re:   Hello \t  World  ") == "hello world");
    CHECK(normalise_subject("Hello") == "hello");
    CHECK(normalise_subject("") == "");
    CHECK(normalise_subject("Re:") == "");
    // Words that only begin like a prefix stay.
    CHECK(normalise_subject("Request: more RAM") == "request: more ram");
    CHECK(normalise_subject("Refactor: the parser") == "refactor: the parser");
    CHECK(normalise_subject("Travel plans") == "travel plans");
    CHECK(normalise_subject("Re[x]: Hello") == "re[x]: hello");
    CHECK(normalise_subject("Fwd Hello") == "fwd hello");
    // Prefixes in the middle stay.
    CHECK(normalise_subject("Hello Re: World") == "hello re: world");
}

TEST_CASE("normalise_subject and list tags", "[strings][subject]") {
    // List tags go, wherever they sit among the prefixes.
    CHECK(normalise_subject("[linux-mips] Re: Hello") == "hello");
    CHECK(normalise_subject("Re: [linux-mips] Hello") == "hello");
    CHECK(normalise_subject("Re: [Fgdpmwg3] AW: [Fgdpmwg3] Hello") == "hello");
    CHECK(normalise_subject("[Python-Dev] Hello") == "hello");
    CHECK(normalise_subject("[ruby-talk:12345] Hello") == "hello");
    CHECK(normalise_subject("[12345] Hello") == "hello");
    // Keyword tags (upper-case letters only) and tags with spaces stay in place.
    CHECK(normalise_subject("[PATCH] mips: fix foo") == "[patch] mips: fix foo");
    CHECK(normalise_subject("Re: [PATCH v2 1/3] mips: fix foo") == "[patch v2 1/3] mips: fix foo");
    CHECK(normalise_subject("[linux-mips] [PATCH] Re: fix") == "[patch] fix");
    CHECK(normalise_subject("[RFC][PATCH] x") == "[rfc] [patch] x");
    CHECK(normalise_subject("[SPAM] offer") == "[spam] offer");
    CHECK(normalise_subject("[] empty tag") == "[] empty tag");
    CHECK(normalise_subject("[unclosed tag") == "[unclosed tag");
    // The same thread key for the original and the replies.
    CHECK(normalise_subject("[PATCH] fix") == normalise_subject("Re: [PATCH] fix"));
    CHECK(normalise_subject("[PATCH] fix") == normalise_subject("[PATCH] Re: fix"));
    CHECK(normalise_subject("[linux-mips] Hello") == normalise_subject("AW: Re[2]: Hello"));
}

TEST_CASE("strip_subject_prefixes keeps the case", "[strings][subject]") {
    CHECK(strip_subject_prefixes("Re: [linux-mips] Hello  World") == "Hello World");
    CHECK(strip_subject_prefixes("Re: [PATCH] Fix It") == "[PATCH] Fix It");
}

TEST_CASE("is_reply_subject", "[strings][subject]") {
    CHECK(is_reply_subject("Re: x"));
    CHECK(is_reply_subject("RE[2]: x"));
    CHECK(is_reply_subject("AW: x"));
    CHECK(is_reply_subject("SV: x"));
    CHECK(is_reply_subject("回复: x"));
    CHECK(is_reply_subject("[linux-mips] Re: x"));
    CHECK(is_reply_subject("Fwd: Re: x"));
    CHECK(is_reply_subject("[PATCH] Re: x"));
    CHECK_FALSE(is_reply_subject("x"));
    CHECK_FALSE(is_reply_subject("Fwd: x"));
    CHECK_FALSE(is_reply_subject("WG: x"));
    CHECK_FALSE(is_reply_subject("转发: x"));
    CHECK_FALSE(is_reply_subject("Request: x"));
    CHECK_FALSE(is_reply_subject("x Re: y"));
    CHECK_FALSE(is_reply_subject(""));
}

TEST_CASE("json_escape", "[strings][escape]") {
    CHECK(json_escape("plain") == "plain");
    CHECK(json_escape("a\"b\\c") == "a\\\"b\\\\c");
    CHECK(json_escape("l1\nl2\r\t\b\f") == "l1\\nl2\\r\\t\\b\\f");
    CHECK(json_escape(std::string("nul\0x", 5)) == "nul\\u0000x");
    CHECK(json_escape("\x01\x1f\x7f") == "\\u0001\\u001F\\u007F");
    CHECK(json_escape("grüße 日本 😀") == "grüße 日本 😀"); // valid UTF-8 kept
    CHECK(json_escape("a\xe2\x80\xa8"
                      "b\xe2\x80\xa9") == "a\\u2028b\\u2029");
    CHECK(json_escape("</script>") == "</script>");
    // Invalid UTF-8 becomes U+FFFD, byte by byte.
    CHECK(json_escape("bad\xff") == "bad\xef\xbf\xbd");
    CHECK(json_escape("\xc3") == "\xef\xbf\xbd");                                 // truncated
    CHECK(json_escape("\xc0\xaf") == "\xef\xbf\xbd\xef\xbf\xbd");                 // overlong
    CHECK(json_escape("\xed\xa0\x80") == "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"); // surrogate
    CHECK(json_escape("\xf4\x90\x80\x80").find("\xf4") == std::string::npos);     // > U+10FFFF
    CHECK(json_escape("Latin-1 \xe9t\xe9") == "Latin-1 \xef\xbf\xbdt\xef\xbf\xbd");
}

TEST_CASE("csv_field", "[strings][escape]") {
    CHECK(csv_field("plain") == "plain");
    CHECK(csv_field("") == "");
    CHECK(csv_field("a,b") == "\"a,b\"");
    CHECK(csv_field("say \"hi\"") == "\"say \"\"hi\"\"\"");
    CHECK(csv_field("two\nlines") == "\"two\nlines\"");
    CHECK(csv_field("cr\r") == "\"cr\r\"");
    CHECK(csv_field(" padded ") == "\" padded \"");
    CHECK(csv_field("日本") == "日本");
}

TEST_CASE("html_escape", "[strings][escape]") {
    CHECK(html_escape("<script>alert('x')</script>") ==
          "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;");
    CHECK(html_escape("a & b \"c\"") == "a &amp; b &quot;c&quot;");
    CHECK(html_escape("&amp;") == "&amp;amp;");
    CHECK(html_escape("日本") == "日本");
    CHECK(html_escape("") == "");
}

TEST_CASE("percent_encode", "[strings][escape]") {
    CHECK(percent_encode("AZaz09-._~") == "AZaz09-._~");
    CHECK(percent_encode("a b") == "a%20b");
    CHECK(percent_encode("<id@host>") == "%3Cid%40host%3E");
    CHECK(percent_encode("a/b?c=d&e#f%") == "a%2Fb%3Fc%3Dd%26e%23f%25");
    CHECK(percent_encode("é") == "%C3%A9");
    CHECK(percent_encode(std::string("\0\xff", 2)) == "%00%FF");
    CHECK(percent_encode("") == "");
}

TEST_CASE("human_bytes and format_count", "[strings]") {
    CHECK(human_bytes(0) == "0 B");
    CHECK(human_bytes(999) == "999 B");
    CHECK(human_bytes(1000) == "1.0 kB");
    CHECK(human_bytes(1500) == "1.5 kB");
    CHECK(human_bytes(999949) == "999.9 kB");
    CHECK(human_bytes(999950) == "1.0 MB");
    CHECK(human_bytes(120000000) == "120.0 MB");
    CHECK(human_bytes(603000000) == "603.0 MB");
    CHECK(human_bytes(4700000000ULL) == "4.7 GB");
    CHECK(human_bytes(UINT64_MAX) == "18.4 EB");
    CHECK(format_count(0) == "0");
    CHECK(format_count(999) == "999");
    CHECK(format_count(1000) == "1,000");
    CHECK(format_count(12345) == "12,345");
    CHECK(format_count(1234567) == "1,234,567");
    CHECK(format_count(UINT64_MAX) == "18,446,744,073,709,551,615");
}
