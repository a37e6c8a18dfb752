// Resource limits of decode_message (FAILURE-MODES C.19-20, F): recursion
// bombs of multiparts and message/rfc822, part floods, oversize parts and
// random mutations, all built in the test. Each must finish fast, keep the
// output clean and set flag_mime_limit where a limit was hit.
#include "mime_test.hpp"

#include <chrono>
#include <iterator>
#include <random>
#include <string>

using namespace mlarc;
using mlarc::test::decoded;
using mlarc::test::has;

namespace {

using Clock = std::chrono::steady_clock;

/// `levels` nested multiparts around one text part ("innermost text").
std::string multipart_nest(int levels, bool same_boundary = false) {
    std::string head, tail;
    for (int i = 0; i < levels; ++i) {
        const std::string b = same_boundary ? "x" : "b" + std::to_string(i);
        head += "Content-Type: multipart/mixed; boundary=\"" + b + "\"\n\n--" + b + "\n";
        tail = "\n--" + b + "--\n" + tail;
    }
    return "From: bomb@x.org\nSubject: bomb\n" + head + "Content-Type: text/plain\n\ninnermost text" + tail;
}

/// `levels` nested message/rfc822 parts around a text body.
std::string rfc822_nest(int levels) {
    std::string raw = "From: bomb@x.org\nSubject: outer\n";
    for (int i = 0; i < levels; ++i) raw += "Content-Type: message/rfc822\n\nSubject: level " + std::to_string(i) + "\n";
    return raw + "\ninnermost text\n";
}

} // namespace

TEST_CASE("limits: depth is counted from the root and enforced", "[mime][limits]") {
    DecodeOptions o;
    o.max_depth = 3;
    auto m = decoded(multipart_nest(3), o);
    CHECK(has(m.body_text, "innermost text"));
    CHECK((m.flags & flag_mime_limit) == 0);
    m = decoded(multipart_nest(4), o);
    CHECK_FALSE(has(m.body_text, "innermost text"));
    CHECK((m.flags & flag_mime_limit) != 0);
    CHECK_FALSE(m.warnings.empty());
    m = decoded(rfc822_nest(3), o);
    CHECK(has(m.body_text, "innermost text"));
    CHECK((m.flags & flag_mime_limit) == 0);
    m = decoded(rfc822_nest(4), o);
    CHECK_FALSE(has(m.body_text, "innermost text"));
    CHECK((m.flags & flag_mime_limit) != 0);
}

TEST_CASE("limits: recursion bombs finish fast", "[mime][limits]") {
    for (const std::string& raw : {multipart_nest(500), multipart_nest(500, true), rfc822_nest(200),
                                   rfc822_nest(20000)}) {
        const auto m = decoded(raw);
        CHECK(m.subject.size() > 0);
        if (raw.find("boundary=\"x\"") == std::string::npos) CHECK((m.flags & flag_mime_limit) != 0);
    }
    // 200 levels of rfc822 count 200 levels, not 200 * (header + body).
    const auto m = decoded(rfc822_nest(200));
    CHECK(has(m.body_text, "Subject: level 0"));
    CHECK(has(m.body_text, "Subject: level 18"));
    CHECK_FALSE(has(m.body_text, "Subject: level 30"));
}

TEST_CASE("limits: a part flood keeps max_parts parts", "[mime][limits]") {
    std::string raw = "From: flood@x.org\nContent-Type: multipart/mixed; boundary=f\n\n";
    for (int i = 0; i < 5000; ++i)
        raw += "--f\nContent-Type: text/plain\nContent-Disposition: inline; filename=p" + std::to_string(i) +
               ".txt\n\npart " + std::to_string(i) + " text\n";
    raw += "--f--\n";
    const auto m = decoded(raw);
    CHECK((m.flags & flag_mime_limit) != 0);
    CHECK(m.attachments.size() == 1000);
    CHECK(has(m.body_text, "part 999 text"));
    CHECK_FALSE(has(m.body_text, "part 1000 text"));
    CHECK(m.warnings.size() < 40);

    // Nested floods share one budget.
    std::string nested = "From: flood@x.org\nContent-Type: multipart/mixed; boundary=o\n\n";
    for (int k = 0; k < 10; ++k) {
        nested += "--o\nContent-Type: multipart/mixed; boundary=i" + std::to_string(k) + "\n\n";
        for (int i = 0; i < 300; ++i) nested += "--i" + std::to_string(k) + "\n\nx\n";
        nested += "--i" + std::to_string(k) + "--\n";
    }
    nested += "--o--\n";
    DecodeOptions o;
    o.max_parts = 1000;
    const auto n = decoded(nested, o);
    CHECK((n.flags & flag_mime_limit) != 0);
}

TEST_CASE("limits: text per part and large attachments", "[mime][limits]") {
    DecodeOptions o;
    o.max_text_per_part = 1000;
    std::string big(100000, 'a');
    for (size_t i = 0; i < big.size(); i += 100) big[i] = '\n';
    auto m = decoded("From: a@b.c\nContent-Type: text/plain; charset=utf-8\n\n" + big, o);
    CHECK(m.body_text.size() <= 1001);
    // Truncation never cuts a UTF-8 sequence.
    std::string cjk;
    for (int i = 0; i < 2000; ++i) cjk += "日本";
    m = decoded("From: a@b.c\nContent-Type: text/plain; charset=utf-8\n\n" + cjk, o);
    CHECK(m.body_text.size() <= 1000);
    CHECK(m.body_text.size() >= 990);

    // A 12 MB base64 attachment: its size is computed, its bytes never become text.
    std::string b64;
    for (int i = 0; i < 160000; ++i) b64 += "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5ejAx\n";
    m = decoded("From: a@b.c\nContent-Type: multipart/mixed; boundary=b\n\n--b\n\nhello\n--b\n"
                "Content-Type: application/octet-stream; name=blob.bin\nContent-Transfer-Encoding: base64\n\n" +
                b64 + "--b--\n");
    REQUIRE(m.attachments.size() == 1);
    CHECK(m.attachments[0].size == 160000u * 54u);
    CHECK(m.body_text == "hello");
}

TEST_CASE("limits: random mutations never crash and stay clean", "[mime][limits][fuzz]") {
    const std::string seed = "From: \"Jo\" <jo@x.org>, =?utf-8?Q?Bj=C3=B6rn?= <b@y>\nSubject: =?iso-8859-1?Q?caf=E9?=\n"
                             "Message-ID: <a@b>\nReferences: <r@x> <s@y>\n"
                             "Content-Type: multipart/mixed; boundary=\"b\"\n\n--b\n"
                             "Content-Type: multipart/alternative; boundary=c\n\n--c\n"
                             "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\n"
                             "caf=C3=A9 =\n--c\nContent-Type: text/html\n\n<p>x &amp; <a href='y'>z</a></p>\n--c--\n"
                             "--b\nContent-Type: message/rfc822\n\nSubject: inner\n\ntext\n--b\n"
                             "Content-Type: text/plain; name*0*=utf-8''%E6%97; name*1=x\n"
                             "Content-Transfer-Encoding: base64\n\n5pel5pys\n--b--\n";
    const std::string pieces[] = {"=?", "?=", "--b", "--c", "\n", "\r", ":", ";", "\"", "<", ">", "(",
                                  "&#", "\x1B$B", "\xE6", "\xFF", std::string(1, '\0'), "boundary=", "\n\n"};
    std::mt19937 rng(12345);
    for (int iter = 0; iter < 3000; ++iter) {
        std::string s = seed;
        const int edits = 1 + static_cast<int>(rng() % 8);
        for (int e = 0; e < edits; ++e) {
            const size_t pos = rng() % (s.size() + 1);
            switch (rng() % 3) {
            case 0: s.insert(pos, pieces[rng() % std::size(pieces)]); break;
            case 1: if (pos < s.size()) s.erase(pos, 1 + rng() % 10); break;
            default: if (pos < s.size()) s[pos] = static_cast<char>(rng() % 256); break;
            }
        }
        auto r = decode_message(s);
        if (!r.ok()) {
            CHECK(r.error().code == Errc::bad_input);
            continue;
        }
        const std::string where = mlarc::test::unclean_field(*r);
        if (!where.empty()) FAIL("unclean " << where << " for input #" << iter);
    }
}
