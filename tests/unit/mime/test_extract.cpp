// Unit tests of DecodeOptions::extract_part: the decoded bytes of one leaf
// part (what the web front end serves as an attachment download), binary
// and quoted-printable, and nothing for a part number that does not exist.
#include "mime/decode.hpp"

#include <catch2/catch.hpp>

#include <string>

using namespace mlarc;

namespace {
const std::string kMessage = "From: a@example.org\r\n"
                             "Subject: parts\r\n"
                             "MIME-Version: 1.0\r\n"
                             "Content-Type: multipart/mixed; boundary=\"B\"\r\n\r\n"
                             "--B\r\nContent-Type: text/plain\r\n\r\nbody text\r\n"
                             "--B\r\nContent-Type: application/octet-stream; name=\"x.bin\"\r\n"
                             "Content-Transfer-Encoding: base64\r\n\r\nAAECA/7/gIE=\r\n"
                             "--B\r\nContent-Type: text/plain; name=\"q.txt\"\r\n"
                             "Content-Disposition: attachment\r\n"
                             "Content-Transfer-Encoding: quoted-printable\r\n\r\ncaf=C3=A9=\r\n!\r\n"
                             "--B--\r\n";

std::string extract(int part) {
    DecodeOptions o;
    o.extract_part = part;
    auto m = decode_message(kMessage, o);
    REQUIRE(m.ok());
    return m->extracted;
}
} // namespace

TEST_CASE("extract_part gives the decoded bytes of one part", "[mime]") {
    CHECK(extract(2) == std::string("\x00\x01\x02\x03\xfe\xff\x80\x81", 8));
    CHECK(extract(3) == "caf\xC3\xA9!");
    CHECK(extract(1) == "body text");
    CHECK(extract(0).empty());
    CHECK(extract(9).empty());
    auto plain = decode_message(kMessage);
    REQUIRE(plain.ok());
    CHECK(plain->extracted.empty());
    REQUIRE(plain->attachments.size() == 2);
    CHECK(plain->attachments[0].part_no == 2);
    CHECK(plain->attachments[0].size == 8);
}
