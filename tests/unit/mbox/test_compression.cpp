// Unit tests of the decompression layer as seen through open_source(): gzip,
// xz and zstd versions of one mbox (written here with zlib, liblzma and
// libzstd) must give the same messages and uncompressed offsets as the plain
// file, whatever the file name says; resume works on compressed input; corrupt
// and truncated streams end with bad_input after the messages before the
// damage.
#include "mbox_test_util.hpp"
#include "mime/message.hpp"

#include <catch2/catch.hpp>

using namespace mlarc;
using namespace mlarc::test;

namespace {

/// About 4 MB of mboxrd: several read chunks and compressed blocks.
std::string sample_mbox() {
    std::string out;
    for (int i = 0; i < 2000; ++i) {
        out += "From list@example.org Thu Feb  3 21:05:05 2022\n";
        out += "From: user" + std::to_string(i) + "@example.org\nSubject: message " +
               std::to_string(i) + "\n\n";
        for (int l = 0; l < 5 + i % 50; ++l)
            out +=
                l % 9 == 3 ? ">From a body line\n" : "line " + std::to_string(l * i) + " of text\n";
        out += "\n";
    }
    return out;
}

void check_same(const ReadOutcome& got, const ReadOutcome& want) {
    REQUIRE_FALSE(got.open_error);
    REQUIRE_FALSE(got.error);
    REQUIRE(got.messages.size() == want.messages.size());
    for (size_t i = 0; i < got.messages.size(); ++i) {
        REQUIRE(got.messages[i].raw == want.messages[i].raw);
        REQUIRE(got.messages[i].from_line == want.messages[i].from_line);
        REQUIRE(got.messages[i].offset == want.messages[i].offset);
        REQUIRE(got.messages[i].end_offset == want.messages[i].end_offset);
        REQUIRE(got.messages[i].flags == want.messages[i].flags);
    }
}

} // namespace

TEST_CASE("gzip, xz and zstd give the plain file's messages and offsets", "[mbox][compression]") {
    TempDir dir;
    const std::string text = sample_mbox();
    write_file(dir / "plain.mbox", text);
    auto plain = read_all(dir / "plain.mbox");
    REQUIRE(plain.messages.size() == 2000);

    struct Variant {
        const char* name;
        std::string bytes;
    };
    // Misleading names on purpose: the magic bytes decide.
    std::vector<Variant> variants{{"gz.mbox", gzip_compress(text)},
                                  {"xz.txt", xz_compress(text)},
                                  {"zst.gz", zstd_compress(text)},
                                  {"two-members.gz", gzip_compress(text.substr(0, 100000)) +
                                                         gzip_compress(text.substr(100000))},
                                  {"two-frames.xz", zstd_compress(text.substr(0, 77777)) +
                                                        zstd_compress(text.substr(77777))}};
    for (const Variant& v : variants) {
        INFO(v.name);
        write_file(dir / v.name, v.bytes);
        auto got = read_all(dir / v.name);
        check_same(got, plain);

        auto src = open_source(dir / v.name);
        REQUIRE(src.ok());
        CHECK((*src)->bytes_total() == v.bytes.size());
        while (true) {
            auto m = (*src)->next();
            REQUIRE(m.ok());
            if (!*m) break;
        }
        CHECK((*src)->bytes_done() == v.bytes.size());

        // Resume at an uncompressed offset.
        OpenOptions o;
        o.start_offset = plain.messages[1500].offset;
        auto resumed = read_all(dir / v.name, o);
        REQUIRE_FALSE(resumed.open_error);
        REQUIRE(resumed.messages.size() == 500);
        CHECK(resumed.messages[0].offset == plain.messages[1500].offset);
        CHECK(resumed.messages[0].raw == plain.messages[1500].raw);
    }
}

TEST_CASE("corrupt and truncated compressed streams", "[mbox][compression]") {
    TempDir dir;
    const std::string text = sample_mbox();
    const std::string zst = zstd_compress(text.substr(0, 500000));

    SECTION("junk after a zstd frame: bad_input with the byte offset, messages before kept") {
        write_file(dir / "junk.zst", zst + std::string(64, '\x5a'));
        auto r = read_all(dir / "junk.zst");
        REQUIRE(r.error);
        CHECK(r.error->code == Errc::bad_input);
        CHECK_THAT(r.error->message,
                   Catch::Contains("corrupt zstd stream at byte " + std::to_string(zst.size())));
        REQUIRE(r.messages.size() > 200);
        CHECK(unescape(r.messages[0].raw, Escaping::mboxrd).find("user0@") != std::string::npos);
    }
    SECTION("junk after an xz stream") {
        write_file(dir / "junk.xz", xz_compress(text.substr(0, 500000)) + "not xz at all");
        auto r = read_all(dir / "junk.xz");
        REQUIRE(r.error);
        CHECK(r.error->code == Errc::bad_input);
        CHECK_THAT(r.error->message, Catch::Contains("corrupt xz stream"));
        CHECK(r.messages.size() > 200);
    }
    SECTION("truncated streams: the cut message comes flagged, then the error") {
        for (auto [name, bytes] :
             {std::pair{"cut.gz", gzip_compress(text)}, std::pair{"cut.xz", xz_compress(text)},
              std::pair{"cut.zst", zstd_compress(text)}}) {
            INFO(name);
            write_file(dir / name, bytes.substr(0, bytes.size() * 2 / 3));
            auto r = read_all(dir / name);
            REQUIRE(r.error);
            CHECK(r.error->code == Errc::bad_input);
            CHECK_THAT(r.error->message, Catch::Contains("truncated"));
            REQUIRE(r.messages.size() > 100);
            CHECK((r.messages.back().flags & flag_truncated) != 0);
            CHECK((r.messages.front().flags & flag_truncated) == 0);
        }
    }
    SECTION("a file that is only a magic number") {
        write_file(dir / "magic.zst", "\x28\xb5\x2f\xfd");
        auto r = read_all(dir / "magic.zst");
        CHECK(r.messages.empty());
        REQUIRE(r.open_error);
        CHECK(r.open_error->code == Errc::bad_input);
    }
    SECTION("trailing zero padding after a gzip member is ignored, as gzip(1) does") {
        write_file(dir / "pad.gz", gzip_compress(text) + std::string(512, '\0'));
        auto r = read_all(dir / "pad.gz");
        CHECK_FALSE(r.error);
        CHECK(r.messages.size() == 2000);
    }
}
