// Unit tests of decode_message on inline messages: header handling
// (FAILURE-MODES B), MIME structure (C) and charsets of bodies (D), with the
// flags each defect sets.
#include "mime_test.hpp"

#include <string>

using namespace mlarc;
using mlarc::test::crlf;
using mlarc::test::decoded;
using mlarc::test::has;

TEST_CASE("decode: not a message at all", "[mime][decode]") {
    for (const std::string raw : {"", "   \r\n\r\n", "just some text\nwithout any header\n"}) {
        auto r = decode_message(raw);
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().code == Errc::bad_input);
        CHECK_FALSE(r.error().message.empty());
    }
}

TEST_CASE("decode: header fields and body section read again from the raw bytes",
          "[mime][decode]") {
    const std::string raw = "Subject: =?utf-8?q?caf=C3=A9?=\n folded\nFrom: A <a@x>\n"
                            "Content-Type: text/plain; charset=iso-8859-1\nX-8bit: \xe9t\xe9\n"
                            "\nbody line\n\nsecond\n";
    auto r = decode_message(raw);
    REQUIRE(r.ok());
    const auto fields = decode_header_fields(raw);
    REQUIRE(fields.size() == r->headers.size());
    for (size_t i = 0; i < fields.size(); ++i) {
        CHECK(fields[i].name == r->headers[i].name);
        CHECK(fields[i].value == r->headers[i].value);
    }
    CHECK(headers_text(fields) ==
          "Subject: caf\u00e9 folded\nFrom: A <a@x>\n"
          "Content-Type: text/plain; charset=iso-8859-1\nX-8bit: \u00e9t\u00e9\n");
    CHECK(raw_body_section(raw) == "body line\n\nsecond\n");
    CHECK(raw_body_section("Subject: x\n").empty());
    CHECK(raw_body_section("Subject: x\n\n").empty());
    CHECK(decode_header_fields("").empty());
    CHECK(decode_header_fields("no header here\n").empty());
}

TEST_CASE("decode: the message fields", "[mime][decode]") {
    const std::string raw = R"(From MAILER-DAEMON Mon Jan  1 00:00:00 2001
Received: from a by b; Tue, 2 Jan 2001 10:00:00 +0000
Received: from c by d (x; y); Tue, 2 Jan 2001 09:00:00 +0000
Message-ID:  <Abc.123@Example.com>
In-Reply-To: <parent@x> (from someone)
References: <root@x>
 <parent@x>
From: =?ISO-8859-1?Q?Andr=E9?= <Andre@Example.COM>
To: a@b.c, "Doe, Jane" <jane@x.org>
Cc: undisclosed-recipients:;
Cc: carl@c.org
Reply-To: list@lists.example
List-Id: The Foo List <Foo.Lists.Example.ORG>
Subject: =?UTF-8?B?5pel5pys6Kqe?= and
 folded
Date: Tue, 2 Jan 2001 10:00:00 +0000 (GMT)
X-No-Archive: Yes
Content-Type: text/plain; charset=utf-8

Body line.
)";
    for (const std::string& text : {raw, crlf(raw)}) {
        const auto m = decoded(text);
        CHECK(m.message_id == "Abc.123@Example.com");
        CHECK(m.in_reply_to == std::vector<std::string>{"parent@x"});
        CHECK(m.references == std::vector<std::string>{"root@x", "parent@x"});
        CHECK(m.from.address == "andre@example.com");
        CHECK(m.from.name == "André");
        REQUIRE(m.to.size() == 2);
        CHECK(m.to[1].name == "Doe, Jane");
        REQUIRE(m.cc.size() == 1);
        CHECK(m.cc[0].address == "carl@c.org");
        REQUIRE(m.reply_to.size() == 1);
        CHECK(m.list_ids == std::vector<std::string>{"foo.lists.example.org"});
        CHECK(m.subject == "日本語 and folded");
        CHECK(m.date_header == "Tue, 2 Jan 2001 10:00:00 +0000 (GMT)");
        CHECK(m.received_dates ==
              std::vector<std::string>{"Tue, 2 Jan 2001 10:00:00 +0000", "Tue, 2 Jan 2001 09:00:00 +0000"});
        CHECK((m.flags & flag_no_archive) != 0);
        CHECK(m.body_text == "Body line.\n");
        REQUIRE(m.headers.size() == 15);
        CHECK(m.headers[0].name == "Received");
        CHECK(m.headers[5].name == "From");
        CHECK(m.headers[5].value == "André <Andre@Example.COM>");
        CHECK(m.attachments.empty());
        CHECK_FALSE(m.has_html);
    }
}

TEST_CASE("decode: header defects", "[mime][decode][headers]") {
    SECTION("line without colon dropped, continuation first dropped") {
        const auto m = decoded(" orphan continuation\nSubject: s\nthis line has no colon\nFrom: a@b.c\n\nbody\n");
        CHECK(m.subject == "s");
        CHECK(m.from.address == "a@b.c");
        CHECK(m.headers.size() == 2);
        CHECK((m.flags & flag_header_defect) != 0);
        CHECK(m.body_text == "body\n");
    }
    SECTION("bare CR is not a line break") {
        const auto m = decoded("Subject: a\rb\nFrom: x@y.z\n\nbody\n");
        CHECK(m.subject == "a b");
        CHECK((m.flags & flag_header_defect) != 0);
    }
    SECTION("oversize field truncated, field count capped") {
        DecodeOptions o;
        o.max_header_bytes = 1000;
        o.max_headers = 5;
        std::string raw = "Subject: " + std::string(5000, 'x') + "\n";
        for (int i = 0; i < 20; ++i) raw += "X-H" + std::to_string(i) + ": v\n";
        raw += "From: late@x.org\n\nbody\n";
        const auto m = decoded(raw, o);
        CHECK(m.subject.size() <= 1000);
        CHECK(m.headers.size() == 5);
        CHECK(m.from.address.empty()); // beyond max_headers: ignored
        CHECK((m.flags & flag_header_defect) != 0);
    }
    SECTION("NUL bytes") {
        const char raw[] = "Subject: a\0b\nFrom: x@y.z\n\nbo\0dy\n";
        const auto m = decoded(std::string(raw, sizeof raw - 1));
        CHECK(m.subject == "a\uFFFDb");
        CHECK(m.body_text == "bo\uFFFDdy\n");
        CHECK((m.flags & flag_nul_bytes) != 0);
    }
    SECTION("raw 8-bit headers: UTF-8 kept, Latin-1 and the body's charset decoded") {
        auto m = decoded("Subject: S\xC3\xA4ying\nFrom: J\xC3\xB6hn <j@x.org>\n\nb\n");
        CHECK(m.subject == "Säying");
        CHECK(m.from.name == "Jöhn");
        CHECK((m.flags & flag_raw_8bit_header) == 0);
        m = decoded("Subject: Caf\xE9\n\nb\n");
        CHECK(m.subject == "Café");
        CHECK((m.flags & flag_raw_8bit_header) != 0);
        m = decoded("Subject: \xD6\xD0\xCE\xC4\nFrom: \xD6\xD0 <a@b.c>\n"
                    "Content-Type: text/plain; charset=gb2312\n\n\xD6\xD0\xCE\xC4\n");
        CHECK(m.subject == "中文");
        CHECK(m.from.name == "中");
        CHECK(m.body_text == "中文\n");
    }
    SECTION("unparsable From keeps the raw text") {
        const auto m = decoded("From: Some Body Without Address " + std::string(400, 'z') + "\n\nb\n");
        CHECK(m.from.name.empty());
        CHECK(m.from.address.size() <= 256);
        CHECK(m.from.address.rfind("Some Body", 0) == 0);
    }
    SECTION("several From headers: the first wins; no Message-ID") {
        const auto m = decoded("From: first@x.org\nFrom: second@x.org\n\nb\n");
        CHECK(m.from.address == "first@x.org");
        CHECK(m.message_id.empty());
    }
    SECTION("no blank line before the body's boundary") {
        const auto m = decoded("From: a@b.c\nContent-Type: multipart/mixed; boundary=xx\n--xx\n"
                               "Content-Type: text/plain\n\nthe text\n--xx--\n");
        CHECK(has(m.body_text, "the text"));
    }
    SECTION("pipermail From when asked") {
        DecodeOptions o;
        o.deobfuscate_at = true;
        const auto m = decoded("From: vondruch at redhat.com (V\xC3\xADt Ondruch)\n\nb\n", o);
        CHECK(m.from.address == "vondruch@redhat.com");
        CHECK(m.from.name == "Vít Ondruch");
    }
}

TEST_CASE("decode: Content-Type defaults and defects", "[mime][decode]") {
    SECTION("missing Content-Type: text/plain, UTF-8 validated, else fallback") {
        CHECK(decoded("From: a@b.c\n\nna\xC3\xAFve\n").body_text == "naïve\n");
        const auto m = decoded("From: a@b.c\n\nna\xEFve\n");
        CHECK(m.body_text == "naïve\n");
        CHECK((m.flags & flag_charset_fallback) == 0);
        DecodeOptions o;
        o.fallback_charset = "koi8-r";
        CHECK(decoded("From: a@b.c\n\n\xF0\xD2\xC9\xD7\xC5\xD4\n", o).body_text == "Привет\n");
    }
    SECTION("several Content-Type headers: the first wins") {
        const auto m = decoded("From: a@b.c\nContent-Type: text/plain; charset=iso-8859-1\n"
                               "Content-Type: text/html; charset=utf-8\n\ncaf\xE9 <b>x</b>\n");
        CHECK(m.body_text == "café <b>x</b>\n");
        CHECK_FALSE(m.has_html);
    }
    SECTION("odd capitalisation, garbage types") {
        CHECK(decoded("From: a@b.c\nContent-Type: TEXT/Html; CHARSET=UTF-8\n\n<p>x &amp; y</p>\n").body_text ==
              "x & y");
        CHECK(decoded("From: a@b.c\nContent-Type: text\n\nplain\n").body_text == "plain\n");
        const auto m = decoded("From: a@b.c\nContent-Type: garbage\n\nbytes\n");
        CHECK(m.body_text.empty());
        REQUIRE(m.attachments.size() == 1);
        CHECK(m.attachments[0].content_type == "application/octet-stream");
    }
    SECTION("lying and unknown charsets in bodies") {
        auto m = decoded("From: a@b.c\nContent-Type: text/plain; charset=\"bad-charset\"\n"
                         "Content-Transfer-Encoding: quoted-printable\n\nthe term Matterhorn1 caf=E9\n");
        CHECK(has(m.body_text, "Matterhorn1"));
        CHECK(has(m.body_text, "café"));
        CHECK((m.flags & flag_charset_fallback) != 0);
        m = decoded("From: a@b.c\nContent-Type: text/plain; charset=windows-1252\n\ncaf\xC3\xA9\n");
        CHECK(m.body_text == "café\n");
        CHECK((m.flags & flag_charset_fallback) != 0);
        m = decoded("From: a@b.c\nContent-Type: text/plain; charset=utf-8\n\ncaf\xE9\n");
        CHECK(m.body_text == "café\n");
        m = decoded("From: a@b.c\nContent-Type: text/plain; charset=ks_c_5601-1987\n"
                    "Content-Transfer-Encoding: base64\n\nvsiz58fPvLy/5A==\n");
        CHECK(m.body_text == "안녕하세요");
        m = decoded("From: a@b.c\nContent-Type: text/plain; charset=iso-2022-jp\n\n"
                    "\x1B$BF|K\\8l%F%-%9%H\x1B(B\n");
        CHECK(m.body_text == "日本語テキスト\n");
        m = decoded("From: a@b.c\nContent-Type: text/plain; charset=unicode-1-1-utf-7\n\nHi +Jjo!\n");
        CHECK(m.body_text == "Hi ☺!\n");
    }
}

TEST_CASE("decode: transfer encodings", "[mime][decode][cte]") {
    auto body = [](const std::string& cte, const std::string& text) {
        return decoded("From: a@b.c\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: " + cte +
                       "\n\n" + text);
    };
    CHECK(body("base64", "SGVs\nbG8s IFdv!!cmxk\n").body_text == "Hello, World");
    CHECK(body("BASE64", "SGVsbG8").body_text == "Hello");
    CHECK(body("quoted-printable", "caf=C3=A9 =ZZ soft=\nbreak=").body_text == "café =ZZ softbreak");
    for (const std::string bad : {"7-bit", "plain", "text/html", "8bit; x=y", "x-uuencode", "8bits", ""}) {
        const auto m = body(bad, "caf\xC3\xA9\n");
        CHECK(m.body_text == "café\n");
        CHECK((m.flags & flag_bad_cte) != 0);
    }
    CHECK(body("quoted printable", "caf=C3=A9").body_text == "café");
    CHECK(body("quoted-printable;", "caf=C3=A9").body_text == "café");
    const auto m = body("7bit", "plain\r\ntext\r\n");
    CHECK(m.body_text == "plain\ntext\n");
    CHECK((m.flags & flag_bad_cte) == 0);
}

TEST_CASE("decode: nested multiparts and attachments", "[mime][decode][multipart]") {
    const std::string raw = R"(From: a@b.c
Subject: nested
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="outer"

This is the preamble, not indexed.
--outer
Content-Type: multipart/alternative; boundary="inner"

--inner
Content-Type: text/plain; charset=iso-8859-1
Content-Transfer-Encoding: quoted-printable

Plain caf=E9 text.
--inner
Content-Type: text/html; charset=utf-8

<p>HTML <b>version</b></p>
--inner--
--outer
Content-Type: application/pdf; name="report.pdf"
Content-Disposition: attachment; filename*=UTF-8''r%C3%A9sum%C3%A9.pdf
Content-Transfer-Encoding: base64

JVBERi0xLjQK
--outer
Content-Type: text/x-patch; name="fix.patch"
Content-Disposition: inline; filename="fix.patch"

--- a/x
+++ b/x
--outer
Content-Type: text/plain; charset=utf-8
Content-Disposition: attachment; filename="notes.txt"

attached notes
--outer
Content-Type: image/png
Content-Transfer-Encoding: base64

iVBORw0KGgo=
--outer--
This is the epilogue, not indexed.
)";
    for (const std::string& text : {raw, crlf(raw)}) {
        const auto m = decoded(text);
        CHECK(has(m.body_text, "Plain café text."));
        CHECK_FALSE(has(m.body_text, "HTML"));      // the plain alternative wins
        CHECK(has(m.body_text, "+++ b/x"));         // inline text part with a file name
        CHECK_FALSE(has(m.body_text, "preamble"));
        CHECK_FALSE(has(m.body_text, "epilogue"));
        CHECK_FALSE(has(m.body_text, "attached notes"));
        CHECK(m.attachment_text == "attached notes");
        CHECK(m.has_html);
        CHECK((m.flags & flag_html_only) == 0);
        CHECK((m.flags & flag_mime_defect) == 0);
        REQUIRE(m.attachments.size() == 4);
        CHECK(m.attachments[0].part_no == 3);
        CHECK(m.attachments[0].filename == "résumé.pdf");
        CHECK(m.attachments[0].content_type == "application/pdf");
        CHECK(m.attachments[0].size == 9);
        CHECK(m.attachments[1].filename == "fix.patch");
        CHECK(m.attachments[1].content_type == "text/x-patch");
        CHECK(m.attachments[2].filename == "notes.txt");
        CHECK(m.attachments[2].size == 14);
        CHECK(m.attachments[3].part_no == 6);
        CHECK(m.attachments[3].filename.empty());
        CHECK(m.attachments[3].content_type == "image/png");
        CHECK(m.attachments[3].size == 8);
    }
}

TEST_CASE("decode: HTML-only messages", "[mime][decode][html]") {
    auto m = decoded(R"(From: a@b.c
Content-Type: text/html; charset=utf-8

<html><head><style>.x{color:red}</style><script>evil()</script></head>
<body><p>Caf&eacute; &amp; cr&#232;me</p><a href="http://attr.example/needle">link text</a>
<img alt="alttext"></body></html>
)");
    CHECK(has(m.body_text, "Café & crème"));
    CHECK(has(m.body_text, "link text"));
    for (const char* hidden : {"color", "evil", "needle", "attr.example", "alttext", "<p>"})
        CHECK_FALSE(has(m.body_text, hidden));
    CHECK(m.has_html);
    CHECK((m.flags & flag_html_only) != 0);

    m = decoded(R"(From: a@b.c
Content-Type: multipart/alternative; boundary=b

--b
Content-Type: text/html

<div>only html here</div>
--b
Content-Type: image/gif

R0lGODlh
--b--
)");
    CHECK(m.body_text == "only html here");
    CHECK((m.flags & flag_html_only) != 0);
    REQUIRE(m.attachments.size() == 1);
}

TEST_CASE("decode: message/rfc822 forwards and digests", "[mime][decode][rfc822]") {
    const auto m = decoded(R"(From: outer@x.org
Subject: Fwd: inner
Content-Type: multipart/mixed; boundary=b

--b
Content-Type: text/plain

See below.
--b
Content-Type: message/rfc822
Content-Disposition: attachment

From: Inner Author <inner@y.org>
Subject: =?utf-8?Q?Inner_subj=C3=A9ct?=
Date: Mon, 1 Jan 2001 00:00:00 +0000
Message-ID: <inner@y.org>
Content-Type: multipart/mixed; boundary=c

--c
Content-Type: text/plain

Inner body.
--c
Content-Type: application/zip; name=a.zip

UEsDBA==
--c--
--b--
)");
    CHECK(m.subject == "Fwd: inner");
    CHECK(m.from.address == "outer@x.org");
    CHECK(m.message_id.empty()); // the inner Message-ID is not the message's
    CHECK(has(m.body_text, "See below."));
    CHECK(has(m.body_text, "From: Inner Author <inner@y.org>"));
    CHECK(has(m.body_text, "Subject: Inner subjéct"));
    CHECK(has(m.body_text, "Date: Mon, 1 Jan 2001"));
    CHECK(has(m.body_text, "Inner body."));
    for (const auto& h : m.headers) CHECK(h.name != "Date");
    REQUIRE(m.attachments.size() == 1);
    CHECK(m.attachments[0].filename == "a.zip");
    CHECK(m.attachments[0].part_no == 3);

    const auto d = decoded(R"(From: list@x.org
Subject: Digest
Content-Type: multipart/digest; boundary="__--__--"

--__--__--

From: one@x.org
Subject: first message

first body
--__--__--
Content-Type: message/rfc822

From: two@x.org
Subject: second message

second body
--__--__--
From: three@x.org
Subject: third without blank line

third body
--__--__----
)");
    for (const char* s : {"first message", "first body", "second message", "second body",
                          "Subject: third without blank line", "third body"})
        CHECK(has(d.body_text, s));
    CHECK(d.attachments.empty());

    // An empty message/rfc822 (mu#2256) and one given with base64.
    const auto e = decoded("From: a@b.c\nContent-Type: multipart/mixed; boundary=b\n\n--b\n"
                           "Content-Type: message/rfc822\n\n--b\nContent-Type: message/rfc822\n"
                           "Content-Transfer-Encoding: base64\n\nU3ViamVjdDogaGkKCmlubmVyCg==\n--b--\n");
    CHECK(has(e.body_text, "Subject: hi"));
    CHECK(has(e.body_text, "inner"));
}

TEST_CASE("decode: signed and encrypted", "[mime][decode][crypto]") {
    auto m = decoded(R"(From: a@b.c
Content-Type: multipart/signed; micalg=pgp-sha1; protocol="application/pgp-signature"; boundary=s

--s
Content-Type: text/plain

signed clear text
--s
Content-Type: application/pgp-signature; name="signature.asc"

-----BEGIN PGP SIGNATURE-----
AAAA
-----END PGP SIGNATURE-----
--s--
)");
    CHECK(has(m.body_text, "signed clear text"));
    CHECK_FALSE(has(m.body_text, "PGP SIGNATURE"));
    REQUIRE(m.attachments.size() == 1);
    CHECK(m.attachments[0].filename == "signature.asc");
    CHECK((m.flags & flag_encrypted) == 0);

    m = decoded(R"(From: a@b.c
Subject: secret
Content-Type: multipart/encrypted; protocol="application/pgp-encrypted"; boundary=e

--e
Content-Type: application/pgp-encrypted

Version: 1
--e
Content-Type: application/octet-stream

-----BEGIN PGP MESSAGE-----
hQEMA
-----END PGP MESSAGE-----
--e--
)");
    CHECK(m.subject == "secret");
    CHECK(m.body_text.empty());
    CHECK((m.flags & flag_encrypted) != 0);

    m = decoded("From: a@b.c\nContent-Type: application/pkcs7-mime; smime-type=enveloped-data; name=smime.p7m\n"
                "Content-Transfer-Encoding: base64\n\nMIAGCSqGSIb3DQEHA6CAMIACAQAx\n");
    CHECK(m.body_text.empty());
    CHECK((m.flags & flag_encrypted) != 0);
}

TEST_CASE("decode: boundary defects keep the text reachable", "[mime][decode][multipart]") {
    SECTION("missing boundary parameter") {
        const auto m = decoded("From: a@b.c\nContent-Type: multipart/mixed\n\nsome text\n");
        CHECK(has(m.body_text, "some text"));
        CHECK((m.flags & flag_mime_defect) != 0);
    }
    SECTION("empty boundary") {
        const auto m = decoded("From: a@b.c\nContent-Type: multipart/mixed; boundary=\"\"\n\n--\n\ntext\n");
        CHECK(has(m.body_text, "text"));
        CHECK((m.flags & flag_mime_defect) != 0);
    }
    SECTION("no closing delimiter") {
        const auto m = decoded("From: a@b.c\nContent-Type: multipart/mixed; boundary=b\n\n--b\n\nfirst\n--b\n\nlast\n");
        CHECK(has(m.body_text, "first"));
        CHECK(has(m.body_text, "last"));
        CHECK((m.flags & flag_mime_defect) != 0);
    }
    SECTION("no delimiter at all") {
        const auto m = decoded("From: a@b.c\nContent-Type: multipart/mixed; boundary=b\n\nonly text\n");
        CHECK(has(m.body_text, "only text"));
        CHECK((m.flags & flag_mime_defect) != 0);
    }
    SECTION("boundaries that are prefixes of each other") {
        const auto m = decoded(R"(From: a@b.c
Content-Type: multipart/mixed; boundary="foo"

--foo
Content-Type: multipart/alternative; boundary="foobar"

--foobar
Content-Type: text/plain

inner one
--foobar--
--foo
Content-Type: text/plain

outer two
--foo--
)");
        CHECK(has(m.body_text, "inner one"));
        CHECK(has(m.body_text, "outer two"));
        CHECK((m.flags & flag_mime_defect) == 0);
    }
    SECTION("a child reusing its parent's boundary") {
        const auto m = decoded(R"(From: a@b.c
Content-Type: multipart/mixed; boundary="same"

--same
Content-Type: multipart/alternative; boundary="same"

--same
Content-Type: text/plain

text one
--same
Content-Type: text/plain

text two
--same--
)");
        CHECK(has(m.body_text, "text one"));
        CHECK(has(m.body_text, "text two"));
        CHECK((m.flags & flag_mime_defect) != 0);
    }
    SECTION("close delimiter before any part, parts after the close") {
        const auto m = decoded("From: a@b.c\nContent-Type: multipart/mixed; boundary=b\n\n--b--\n--b\n\nfirst\n"
                               "--b--\n--b\n\nafter close\n--b--\n");
        CHECK(has(m.body_text, "first"));
        CHECK(has(m.body_text, "after close"));
        CHECK((m.flags & flag_mime_defect) != 0);
    }
    SECTION("quoted and illegal boundary characters, transport padding") {
        const auto m = decoded("From: a@b.c\nContent-Type: multipart/mixed; boundary=\"a b(c)?=\"\n\n"
                               "--a b(c)?=  \n\ntext A\n--a b(c)?=--\t\n");
        CHECK(m.body_text == "text A");
    }
    SECTION("part without a header") {
        const auto m = decoded("From: a@b.c\nContent-Type: multipart/mixed; boundary=b\n\n--b\nno header here\n--b--\n");
        CHECK(has(m.body_text, "no header here"));
    }
}
