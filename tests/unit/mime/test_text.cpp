// Unit tests of the header and body text helpers: RFC 2047 encoded words,
// charset conversion and its fallbacks (FAILURE-MODES B.16-17, D.29-30), the
// UTF-8 checks and the transfer-encoding decoders (C.22).
#include "mime_test.hpp"

#include <chrono>
#include <string>

using namespace mlarc;

TEST_CASE("RFC 2047: B and Q words, lower-case letters, whitespace between words", "[mime][rfc2047]") {
    CHECK(decode_rfc2047("=?UTF-8?B?5pel5pys6Kqe?=") == "日本語");
    CHECK(decode_rfc2047("=?utf-8?b?5pel5pys6Kqe?=") == "日本語");
    CHECK(decode_rfc2047("=?ISO-8859-1?Q?Andr=E9_Pirard?=") == "André Pirard");
    CHECK(decode_rfc2047("=?iso-8859-1?q?caf=e9?=") == "café");
    // Whitespace between encoded words disappears, around them it stays.
    CHECK(decode_rfc2047("=?ISO-8859-1?Q?a?= =?ISO-8859-1?Q?b?=") == "ab");
    CHECK(decode_rfc2047("=?ISO-8859-1?Q?a?=\r\n =?ISO-8859-2?Q?b?=") == "ab");
    CHECK(decode_rfc2047("Re: =?ISO-8859-1?Q?a?= b") == "Re: a b");
    CHECK(decode_rfc2047("plain subject") == "plain subject");
    CHECK(decode_rfc2047("a =? b ?= c") == "a =? b ?= c");
}

TEST_CASE("RFC 2047: a multibyte character split across two words", "[mime][rfc2047]") {
    // "日本語" in UTF-8 cut after its 4th byte, each half base64-encoded alone.
    CHECK(decode_rfc2047("=?UTF-8?B?5pel5g==?= =?UTF-8?B?nKzoqp4=?=") == "日本語");
    // The same for Q, and the charset comparison ignores case.
    CHECK(decode_rfc2047("=?utf-8?Q?=E6=97=A5=E6?= =?UTF-8?Q?=9C=AC?=") == "日本");
    // ISO-2022-JP keeps its shift state across the joined words.
    CHECK(decode_rfc2047("=?ISO-2022-JP?B?GyRCJUYlOSVIGyhC?=") == "テスト");
}

TEST_CASE("RFC 2047: broken words stay literal and are flagged", "[mime][rfc2047]") {
    uint32_t flags = 0;
    CHECK(decode_rfc2047("=?x-no-such-charset?Q?abc?=", &flags) == "=?x-no-such-charset?Q?abc?=");
    CHECK((flags & flag_bad_encoded_word) != 0);

    flags = 0;
    CHECK(decode_rfc2047("=?utf-8?B?!!not base64?=", &flags) == "=?utf-8?B?!!not base64?=");
    flags = 0;
    CHECK(decode_rfc2047("=?utf-8?B?abc!?=", &flags) == "=?utf-8?B?abc!?=");
    CHECK((flags & flag_bad_encoded_word) != 0);

    flags = 0; // unterminated
    CHECK(decode_rfc2047("x =?utf-8?Q?abc and more", &flags) == "x =?utf-8?Q?abc and more");
    CHECK((flags & flag_bad_encoded_word) != 0);

    CHECK(decode_rfc2047("=?utf-8?X?abc?=") == "=?utf-8?X?abc?=");     // unknown encoding letter
    CHECK(decode_rfc2047("=??Q?abc?=") == "=??Q?abc?=");               // no charset
    CHECK(decode_rfc2047("=?NONE?B?VEVTVA=?=") == "=?NONE?B?VEVTVA=?=");
}

TEST_CASE("RFC 2047: words inside words and quotes, RFC 2231 language suffix", "[mime][rfc2047]") {
    CHECK(decode_rfc2047("foo=?utf-8?Q?bar?=baz") == "foobarbaz");
    CHECK(decode_rfc2047("\"=?utf-8?Q?J=C3=B6rg?= Doe\" <j@x.org>") == "\"Jörg Doe\" <j@x.org>");
    CHECK(decode_rfc2047("=?utf-8*ja?B?5pel5pys6Kqe?=") == "日本語");
    CHECK(decode_rfc2047("=?US-ASCII*EN?Q?Keith_Moore?=") == "Keith Moore");
}

TEST_CASE("RFC 2047: raw 8-bit header bytes and NUL", "[mime][rfc2047]") {
    uint32_t flags = 0;
    CHECK(decode_rfc2047("Säying Hello", &flags) == "Säying Hello"); // RFC 6532 UTF-8
    CHECK(flags == 0);
    CHECK(decode_rfc2047("Caf\xE9 cr\xE8me", &flags) == "Café crème"); // Latin-1
    CHECK((flags & flag_raw_8bit_header) != 0);
    flags = 0;
    CHECK(decode_rfc2047("\x93quoted\x94", &flags) == "\u201Cquoted\u201D");
    // A list default charset given as fallback (Shift_JIS here).
    CHECK(decode_rfc2047("\x93\xFA\x96{\x8C\xEA", nullptr, "shift_jis") == "日本語");
    flags = 0;
    CHECK(decode_rfc2047(std::string("a\0b", 3), &flags) == "a\uFFFDb");
    CHECK((flags & flag_nul_bytes) != 0);
}

TEST_CASE("RFC 2047: hostile input costs linear time", "[mime][rfc2047]") {
    std::string many;
    for (int i = 0; i < 50000; ++i) many += "=?";
    std::string prefixes;
    for (int i = 0; i < 20000; ++i) prefixes += "=?utf-8?q?";
    std::string words;
    for (int i = 0; i < 20000; ++i) words += "=?utf-8?q?a?=";
    CHECK(decode_rfc2047(many) == many);
    CHECK(is_valid_utf8(decode_rfc2047(prefixes))); // ("=?utf-8?q?=?utf-8?q?" does hold words)
    CHECK(decode_rfc2047(words) == std::string(20000, 'a'));
}

TEST_CASE("to_utf8: the alias table", "[mime][charset]") {
    bool fb = false;
    CHECK(to_utf8("caf\xE9", "iso-8859-1", &fb) == "café");
    CHECK(to_utf8("\x80uro \x93q\x94", "ISO-8859-1", &fb) == "€uro “q”"); // read as windows-1252
    CHECK(to_utf8("caf\xE9", "latin1", &fb) == "café");
    CHECK(!fb);
    CHECK(to_utf8("\xBE\xC8\xB3\xE7\xC7\xCF\xBC\xBC\xBF\xE4", "ks_c_5601-1987", &fb) == "안녕하세요");
    CHECK(to_utf8("\xD6\xD0\xCE\xC4", "gb2312", &fb) == "中文");
    CHECK(to_utf8("\x93\xFA\x96{\x8C\xEA", "shift_jis", &fb) == "日本語");
    CHECK(to_utf8("\xB6\xC0\xB6\xC5", "Shift_JIS", &fb) == "ｶﾀｶﾅ"); // half-width katakana (CP932)
    CHECK(to_utf8("\x1B$BF|K\\8l%F%-%9%H\x1B(B", "iso-2022-jp", &fb) == "日本語テキスト");
    CHECK(to_utf8("+ZeVnLIqe-", "utf-7", &fb) == "日本語");
    CHECK(to_utf8("Hi +Jjo!", "unicode-1-1-utf-7", &fb) == "Hi ☺!");
    CHECK(to_utf8("\xF0\xD2\xC9\xD7\xC5\xD4", "koi8-r", &fb) == "Привет"); // not in the table: iconv's name
    CHECK(to_utf8("\xA4\xA4\xA4\xE5", "big5", &fb) == "中文");
    CHECK(to_utf8("\xC3\xA9t\xC3\xA9", "utf8", &fb) == "été");
    CHECK(to_utf8("abc", "\"US-ASCII\"", &fb) == "abc");
    CHECK(!fb);
}

TEST_CASE("to_utf8: lies, unknown labels and invalid bytes fall back", "[mime][charset]") {
    bool fb = false;
    // windows-1252 / iso-8859-1 label on UTF-8 text: the UTF-8 is kept.
    CHECK(to_utf8("caf\xC3\xA9", "windows-1252", &fb) == "café");
    CHECK(fb);
    fb = false;
    CHECK(to_utf8("\xD0\x9F\xD1\x80\xD0\xB8", "iso-8859-1", &fb) == "При");
    CHECK(fb);
    // Declared UTF-8, not UTF-8: valid sequences kept, the other bytes windows-1252.
    fb = false;
    CHECK(to_utf8("caf\xE9 ok \xE2\x82\xAC", "utf-8", &fb) == "café ok €");
    CHECK(fb);
    // Unknown labels: UTF-8 if valid, else windows-1252; pure ASCII is not a fall-back.
    fb = false;
    CHECK(to_utf8("Matterhorn1", "bad-charset", &fb) == "Matterhorn1");
    CHECK(!fb);
    CHECK(to_utf8("caf\xC3\xA9", "x-unknown", &fb) == "café");
    CHECK(fb);
    CHECK(to_utf8("caf\xE9", "bad-charset", &fb) == "café");
    CHECK(to_utf8("caf\xE9", "../../etc/passwd", &fb) == "café");
    CHECK(to_utf8("caf\xE9", std::string(300, 'x'), &fb) == "café");
    // EUC-JP bytes labelled ISO-2022-JP: the sibling charset is found.
    fb = false;
    CHECK(to_utf8("\xC6\xFC\xCB\xDC\xB8\xEC", "iso-2022-jp", &fb) == "日本語");
    CHECK(fb);
    // Truncated multibyte sequence at the end, NUL bytes, UTF-16 without BOM.
    CHECK(is_valid_utf8(to_utf8("\xD6\xD0\xCE", "gb2312")));
    CHECK(to_utf8(std::string("a\0b", 3), "utf-8") == "a\uFFFDb");
    CHECK(to_utf8(std::string("h\0i\0", 4), "utf-16le") == "hi");
    // Every output is valid UTF-8, whatever the input and label.
    std::string junk;
    for (int i = 0; i < 256; ++i) junk += static_cast<char>(i);
    for (const char* cs : {"utf-8", "us-ascii", "iso-8859-1", "gb2312", "shift_jis", "iso-2022-jp", "utf-7",
                           "utf-16", "ks_c_5601-1987", "big5", "x-unknown", "ebcdic-us", ""})
        CHECK(is_valid_utf8(to_utf8(junk, cs)));
}

TEST_CASE("UTF-8 validation and sanitising", "[mime][utf8]") {
    CHECK(is_valid_utf8(""));
    CHECK(is_valid_utf8("plain ascii, long enough to use the 8-byte path"));
    CHECK(is_valid_utf8("日本語 € 😀"));
    CHECK_FALSE(is_valid_utf8("\xC0\xAF"));         // overlong '/'
    CHECK_FALSE(is_valid_utf8("\xED\xA0\x80"));     // surrogate
    CHECK_FALSE(is_valid_utf8("\xF4\x90\x80\x80")); // > U+10FFFF
    CHECK_FALSE(is_valid_utf8("abc\xE6\x97"));      // truncated
    CHECK_FALSE(is_valid_utf8("\x80"));
    CHECK(sanitize_utf8("a\xFF" "b") == "a\uFFFDb");
    CHECK(sanitize_utf8(std::string("a\0b", 3)) == "a\uFFFDb");
    CHECK(sanitize_utf8("日本") == "日本");
    CHECK(is_valid_utf8(sanitize_utf8("\xE6\x97\xE6\x97\xA5\xF0\x9F")));
}

TEST_CASE("Base64: lenient decoding", "[mime][codec]") {
    CHECK(decode_base64("SGVsbG8sIFdvcmxkIQ==") == "Hello, World!");
    CHECK(decode_base64("SGVsbG8sIFdvcmxkIQ") == "Hello, World!"); // missing padding
    CHECK(decode_base64("SGVs\r\nbG8s!!IFdv*cmxk\x80IQ==") == "Hello, World!");
    CHECK(decode_base64("QQ==QUI=") == "AAB"); // concatenated padded chunks
    CHECK(decode_base64("").empty());
    CHECK(decode_base64("Q").empty());
    // A list footer after the data is not decoded.
    CHECK(decode_base64("SGVsbG8=\n\n_______\nfoo-list mailing list\n") == "Hello");
    CHECK(decode_base64("SGVsbG8h\n\n-- \nfooter text\n") == "Hello!");
}

TEST_CASE("Quoted-printable: lenient decoding", "[mime][codec]") {
    CHECK(decode_quoted_printable("caf=C3=A9") == "café");
    CHECK(decode_quoted_printable("caf=c3=a9") == "café");
    CHECK(decode_quoted_printable("a=ZZb =4") == "a=ZZb =4"); // bad escapes literal
    CHECK(decode_quoted_printable("soft=\nbreak=\r\nx") == "softbreakx");
    CHECK(decode_quoted_printable("blanks after=  \nnext") == "blanks afternext");
    CHECK(decode_quoted_printable("end=") == "end");   // soft break at EOF
    CHECK(decode_quoted_printable("end= ") == "end");
    CHECK(decode_quoted_printable("line  \nnext") == "line  \nnext"); // hard break kept (mimetic drops it)
    CHECK(decode_quoted_printable("a_b=5F", true) == "a b_");
    CHECK(decode_quoted_printable("a_b", false) == "a_b");
}
