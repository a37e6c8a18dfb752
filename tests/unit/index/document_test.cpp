// The document builder on hand-made feed messages: which terms, values and
// data a message yields; what is left out (quoted lines, base64, over-long
// words, NUL); stemming, CJK n-grams, level light.
#include "index/document.hpp"

#include <catch2/catch.hpp>

#include <set>

using namespace mlarc;

namespace {

FeedMessage sample() {
    FeedMessage m;
    m.id = 7;
    m.mid = "20180101.GA1@linux-mips.org";
    m.thread_id = 5;
    m.date_utc = 1514854800; // 2018-01-02T01:00:00Z
    m.date_offset = 60;
    m.from_addr = "ralf@mail.linux-mips.org";
    m.from_name = "Ralf Baechle";
    m.subject = "[PATCH] Fix cache coherency";
    m.size = 4321;
    m.flags = flag_no_archive;
    m.lists = {"linux-mips"};
    m.to = {{"Linux-MIPS@linux-mips.org", ""}};
    m.cc = {{"someone@example.org", "Some One"}};
    m.attachments = {{2, "fix-cache.patch", "text/x-patch", 100}};
    m.body = "Hello,\n\nOn Mon, 1 Jan 2018, Bob wrote:\n> quotedsecret words here\n"
             "  >> deeperquoted\nThe caches were flushed.\n";
    return m;
}

std::set<std::string> terms_of(const Xapian::Document& d) {
    return {d.termlist_begin(), d.termlist_end()};
}

Xapian::Document build(const FeedMessage& m, BuilderOptions bo = {}) {
    auto b = DocumentBuilder::create(bo);
    REQUIRE(b.ok());
    auto d = b->build(m);
    REQUIRE(d.ok());
    return *d;
}

} // namespace

TEST_CASE("builder: boolean terms, values and data follow the schema", "[index][document]") {
    const FeedMessage m = sample();
    const auto doc = build(m);
    const auto t = terms_of(doc);
    for (const char* want : {"Q20180101.GA1@linux-mips.org",
                             "XID7",
                             "XTHREAD5",
                             "XLISTlinux-mips",
                             "XTOlinux-mips@linux-mips.org",
                             "XCCsomeone@example.org",
                             "Aralf@mail.linux-mips.org",
                             "XDOMmail.linux-mips.org",
                             "XDOMlinux-mips.org",
                             "XTYPEtext/x-patch",
                             "Kattachment",
                             "Kno_archive",
                             "Y2018",
                             "M201801",
                             "Sfix",
                             "Scoher",
                             "Aralf",
                             "Abaechl",
                             "XATTfix",
                             "XATTpatch",
                             "cach",
                             "coher",
                             "flush",
                             "hello",
                             "wrote"}) {
        INFO(want);
        CHECK(t.count(want) == 1);
    }
    CHECK(t.count("XDOMorg") == 0);
    CHECK(t.count("flushed") == 0); // stems only (STEM_ALL)
    for (const auto& term : t)
        CHECK(term.front() != 'Z');
    CHECK(Xapian::sortable_unserialise(doc.get_value(kSlotDate)) == 1514854800.0);
    CHECK(Xapian::sortable_unserialise(doc.get_value(kSlotThread)) == 5.0);
    CHECK(Xapian::sortable_unserialise(doc.get_value(kSlotSize)) == 4321.0);
    auto data = decode_doc_data(doc.get_data());
    REQUIRE(data.ok());
    CHECK(*data == doc_data_of(m));
    CHECK(data->attachments == 1);
    CHECK(data->date_offset == 60);
}

TEST_CASE("builder: quoted lines are not indexed, the attribution is", "[index][document]") {
    const auto t = terms_of(build(sample()));
    CHECK(t.count("quotedsecret") == 0);
    CHECK(t.count("deeperquoted") == 0);
    CHECK(t.count("bob") == 1);
    CHECK(t.count("wrote") == 1);
}

TEST_CASE("indexable_text drops quotes, base64 runs, uuencode and NUL", "[index][document]") {
    const std::string b64 =
        "TWFueSBoYW5kcyBtYWtlIGxpZ2h0IHdvcmsuIE1hbnkgaGFuZHMgbWFrZSBsaWdodCB3b3Jr\n"
        "bGlnaHQgd29yay4gTWFueSBoYW5kcyBtYWtlIGxpZ2h0IHdvcmsuIE1hbnkgaGFuZHMgbWFr\n"
        "ZSBsaWdodA==\n";
    const std::string uu = "M" + std::string(60, '%') + "\n";
    const std::string text = "before\n" + b64 + "\nafter\n> quoted\n" + uu +
                             std::string("nul\0byte\n", 9) +
                             "0123456789abcdef0123456789abcdef01234567\n";
    const std::string out = indexable_text(text);
    CHECK(out.find("before") != std::string::npos);
    CHECK(out.find("after") != std::string::npos);
    CHECK(out.find("TWFueSBo") == std::string::npos);
    CHECK(out.find("ZSBsaWdodA") == std::string::npos); // the short last line of the run
    CHECK(out.find("quoted") == std::string::npos);
    CHECK(out.find("%%%%") == std::string::npos);
    CHECK(out.find("nul byte") != std::string::npos);
    CHECK(out.find('\0') == std::string::npos);
    // A hex hash on its own line is not base64 (no upper case).
    CHECK(out.find("0123456789abcdef0123456789abcdef01234567") != std::string::npos);
}

TEST_CASE("indexable_text keeps a patch's lines, drops its @@ numbers and repeated file names",
          "[index][document]") {
    const std::string patch = "Fix the cache flush.\n"
                              "\n"
                              "diff --git a/arch/mips/mm/cache.c b/arch/mips/mm/cache.c\n"
                              "index 0a1b2c3d4e..5f6a7b8c9d 100644\n"
                              "--- a/arch/mips/mm/cache.c\n"
                              "+++ b/arch/mips/mm/cache.c\n"
                              "@@ -10,4 +10,4 @@ void flushcachefunc(void)\n"
                              " unchangedcontext();\n"
                              "-removedline();\n"
                              "+addedline();\n"
                              "\n"
                              " trailingcontext();\n"
                              "\\ No newline at end of file\n"
                              "-- \n"
                              "2.7.4 signaturetext\n"
                              " indented prose after the patch\n";
    const std::string out = indexable_text(patch);
    CHECK(out.find("Fix the cache flush.") != std::string::npos);
    CHECK(out.find("diff --git a/arch/mips/mm/cache.c") != std::string::npos);
    CHECK(out.find("0a1b2c3d4e") == std::string::npos);
    CHECK(out.find("--- a/arch") == std::string::npos);
    CHECK(out.find("+++ b/arch") == std::string::npos);
    CHECK(out.find("flushcachefunc") != std::string::npos);
    CHECK(out.find("-10,4") == std::string::npos);
    CHECK(out.find("unchangedcontext") != std::string::npos);
    CHECK(out.find("trailingcontext") != std::string::npos);
    CHECK(out.find("removedline") != std::string::npos);
    CHECK(out.find("addedline") != std::string::npos);
    // After the hunk's line counts are used up, text is plain text again.
    CHECK(out.find("signaturetext") != std::string::npos);
    CHECK(out.find("indented prose after the patch") != std::string::npos);
}

TEST_CASE("indexable_text treats a malformed hunk as text", "[index][document]") {
    // Counts say 3 lines but the body stops after one: what follows is text.
    const std::string text = "@@ -1,3 +1,3 @@\n context1\nplain words here\n @@ not a hunk\n";
    const std::string out = indexable_text(text);
    CHECK(out.find("-1,3") == std::string::npos);
    CHECK(out.find("context1") != std::string::npos);
    CHECK(out.find("plain words here") != std::string::npos);
    CHECK(out.find("@@ not a hunk") != std::string::npos);
}

TEST_CASE("indexable_text of a text cut after any whole line is the start of the whole text's",
          "[index][document]") {
    // Search snippets rely on this (search.cpp, add_snippets): they try the
    // head of a long body first.
    const std::string b64 =
        "TWFueSBoYW5kcyBtYWtlIGxpZ2h0IHdvcmsuIE1hbnkgaGFuZHMgbWFrZSBsaWdodCB3b3Jr\n"
        "bGlnaHQgd29yay4gTWFueSBoYW5kcyBtYWtlIGxpZ2h0IHdvcmsuIE1hbnkgaGFuZHMgbWFr\n";
    const std::string text = "Fix it.\n> quoted\n" + b64 + "after\n" +
                             "diff --git a/x.c b/x.c\nindex 1..2 100644\n--- a/x.c\n+++ b/x.c\n"
                             "@@ -1,2 +1,2 @@ f(void)\n ctx\n-old\n+new\n\\ No newline at end of file\n"
                             "-- \nsig\n" +
                             std::string("nul\0byte\n", 9) + "M" + std::string(60, '%') + "\nlast";
    const std::string whole = indexable_text(text);
    for (size_t at = text.find('\n'); at != std::string::npos; at = text.find('\n', at + 1)) {
        const std::string head = indexable_text(std::string_view(text).substr(0, at + 1));
        INFO("cut after byte " << at);
        CHECK(whole.compare(0, head.size(), head) == 0);
    }
}

TEST_CASE("builder: over-long words are skipped, long ids hashed, terms <= 245",
          "[index][document]") {
    FeedMessage m = sample();
    const std::string w64(64, 'k'), w65(65, 'j');
    m.body = "short " + w64 + " " + w65 + " http://example.org/" + std::string(300, 'u') + "\n";
    m.mid = std::string(kMaxPlainMidBytes + 50, 'x') + "@example.org";
    m.to = {{std::string(400, 'a') + "@example.org", ""}};
    const auto doc = build(m);
    const auto t = terms_of(doc);
    CHECK(t.count("short") == 1);
    CHECK(t.count(w64) == 1);
    CHECK(t.count(w65) == 0);
    CHECK(t.count(mid_term(m.mid)) == 1);
    CHECK(mid_term(m.mid).rfind("Qsha256:", 0) == 0);
    for (const auto& term : t) {
        INFO(term);
        CHECK(term.size() <= kMaxTermBytes);
    }
}

TEST_CASE("builder: CJK text yields n-grams", "[index][document]") {
    FeedMessage m = sample();
    m.body = "日本語のテキスト検索を試す\n中文全文检索\n";
    const auto t = terms_of(build(m));
    CHECK(t.count("検索") == 1);
    CHECK(t.count("检索") == 1);
    CHECK(t.count("日本") == 1);
}

TEST_CASE("builder: language none and level light", "[index][document]") {
    BuilderOptions none;
    none.language = "none";
    const auto t = terms_of(build(sample(), none));
    CHECK(t.count("flushed") == 1);
    CHECK(t.count("flush") == 0);

    BuilderOptions light;
    light.level = IndexLevel::light;
    const auto doc = build(sample(), light);
    for (auto it = doc.termlist_begin(); it != doc.termlist_end(); ++it)
        CHECK(it.positionlist_count() == 0);
    const auto full = build(sample());
    bool any_positions = false;
    for (auto it = full.termlist_begin(); it != full.termlist_end(); ++it)
        any_positions |= it.positionlist_count() > 0;
    CHECK(any_positions);

    BuilderOptions bad;
    bad.language = "klingon";
    auto b = DocumentBuilder::create(bad);
    REQUIRE(!b.ok());
    CHECK(b.error().code == Errc::usage);
    CHECK(b.error().hint.find("english") != std::string::npos);
    CHECK(parse_index_level("full").ok());
    CHECK(parse_index_level("heavy").error().code == Errc::usage);
}

TEST_CASE("builder: facet value slots hold lists, author address and month",
          "[index][document]") {
    FeedMessage m = sample();
    m.lists = {"linux-mips", "fgdpm"};
    m.from_addr = "Ralf@Linux-MIPS.org"; // as written: the facet key is not lower-cased
    const auto doc = build(m);
    CHECK(doc.get_value(kSlotFacetLists) == std::string("fgdpm\0linux-mips", 16));
    CHECK(doc.get_value(kSlotFacetAuthor) == "Ralf@Linux-MIPS.org");
    CHECK(doc.get_value(kSlotFacetMonth) == "2018-01");
    CHECK(doc.get_value(kSlotDocData) == doc.get_data()); // the data, read without zlib
    m.lists.clear();
    m.from_addr.clear();
    const auto bare = build(m);
    CHECK(bare.get_value(kSlotFacetLists).empty());
    CHECK(bare.get_value(kSlotFacetAuthor).empty());
}

namespace {

/// The wdf of `term` in `doc` (0: absent).
Xapian::termcount wdf_of(const Xapian::Document& doc, const std::string& term) {
    auto it = doc.termlist_begin();
    it.skip_to(term);
    return it != doc.termlist_end() && *it == term ? it.get_wdf() : 0;
}

} // namespace

TEST_CASE("builder: phrase pairs join a pair word and its neighbour in one field",
          "[index][document]") {
    auto words = default_pair_words(IndexLevel::full, "english");
    REQUIRE(words.ok());
    CHECK(words->find("the") != std::string::npos);
    BuilderOptions bo;
    bo.pair_words = *words;
    FeedMessage m = sample();
    m.subject = "Fix cache of the";
    m.from_name = "Ralf Baechle";
    m.attachments.clear();
    m.body = "The caches were flushed, and the caches of the CPU.\n";
    const auto doc = build(m, bo);
    const auto t = terms_of(doc);
    // Stems, in the body (unprefixed) and the subject (S, and unprefixed).
    for (const char* want : {"XPthe cach", "XPcach were", "XPwere flush", "XPand the", "XPcach of",
                             "XPof the", "XPthe cpu", "XPSof the", "XPScach of"})
        CHECK(t.count(want) == 1);
    CHECK(wdf_of(doc, "XPthe cach") == 2);
    // Neither word a pair word; across fields (a gap of positions); across
    // prefixes.
    CHECK(t.count("XPflush and") == 1); // "and" is a pair word
    for (const char* never : {"XPfix cach", "XPcach flush", "XPthe ralf", "XPSthe ralf",
                              "XPSthe the", "XPSfix cach", "XPAthe ralf"})
        CHECK(t.count(never) == 0);

    // No pair words, level light: no pairs.
    BuilderOptions light = bo;
    light.level = IndexLevel::light;
    for (const auto& o : {BuilderOptions{}, light})
        for (const auto& term : terms_of(build(m, o)))
            CHECK(term.rfind(kPairPrefix, 0) != 0);

    CHECK(default_pair_words(IndexLevel::light, "english").value() == "");
    const auto none = default_pair_words(IndexLevel::full, "none").value();
    CHECK(none.find("its") != std::string::npos); // unstemmed
    CHECK(default_pair_words(IndexLevel::full, "klingon").error().code == Errc::usage);
}

TEST_CASE("builder: phrase pairs of CJK n-grams sharing positions", "[index][document]") {
    BuilderOptions bo;
    bo.pair_words = "a 日本";
    FeedMessage m = sample();
    m.body = "日本語\n";
    const auto t = terms_of(build(m, bo));
    // "日本" and its neighbours at the next position, whichever n-gram they are.
    bool any = false;
    for (const auto& term : t)
        any |= term.rfind("XP日本 ", 0) == 0 || term.rfind("XP日 日本", 0) == 0;
    CHECK(any);
}
