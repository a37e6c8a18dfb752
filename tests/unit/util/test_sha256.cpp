// SHA-256 against the FIPS 180-4 / NIST example vectors, and streaming in
// pieces of every size across the block and padding boundaries.
#include "test_support.hpp"

#include "util/sha256.hpp"

#include <string>

using namespace mlarc;

TEST_CASE("sha256 standard vectors", "[sha256]") {
    CHECK(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    CHECK(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
          "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    CHECK(sha256_hex(
              "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopq"
              "klmnopqrlmnopqrsmnopqrstnopqrstu") ==
          "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
    CHECK(sha256_hex(std::string(1000000, 'a')) ==
          "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST_CASE("sha256 raw digest and hex agree", "[sha256]") {
    const Sha256::Digest d = sha256("abc");
    CHECK(d[0] == 0xba);
    CHECK(d[31] == 0xad);
    CHECK(to_hex(d) == sha256_hex("abc"));
}

TEST_CASE("sha256 streaming equals one shot for every split", "[sha256]") {
    std::string data;
    for (int i = 0; i < 300; ++i)
        data.push_back(static_cast<char>(i * 7 + 3));
    // Lengths around the 55/56/64-byte padding edges, split at every point.
    for (size_t len : {0u, 1u, 55u, 56u, 57u, 63u, 64u, 65u, 119u, 120u, 128u, 300u}) {
        const std::string msg = data.substr(0, len);
        const std::string expected = sha256_hex(msg);
        for (size_t cut = 0; cut <= len; ++cut) {
            Sha256 h;
            h.update(msg.substr(0, cut));
            h.update(msg.substr(cut));
            REQUIRE(h.finish_hex() == expected);
        }
    }
    // Byte by byte, and reuse after finish().
    Sha256 h;
    const std::string million(1000000, 'a');
    for (size_t i = 0; i < million.size(); i += 1000)
        h.update(million.data() + i, 1000);
    CHECK(h.finish_hex() == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    for (char c : std::string("abc"))
        h.update(&c, 1);
    CHECK(h.finish_hex() == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    h.update("garbage");
    h.reset();
    CHECK(h.finish_hex() == sha256_hex(""));
}
