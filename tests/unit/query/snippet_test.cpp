// The snippet highlighter (query/snippet.hpp): which words it marks (words,
// stems, wildcard prefixes, case, CJK), the window it picks (the first one
// holding the most distinct query terms), cutting at words and UTF-8
// characters, the head of the text when nothing matches, and the terms it
// takes from parsed queries.
#include "query/snippet.hpp"

#include <catch2/catch.hpp>
#include <xapian.h>

#include <string>

using mlarc::query_detail::highlight_terms;
using mlarc::query_detail::HighlightTerms;
using mlarc::query_detail::Snippeter;

namespace {

std::string snip(HighlightTerms t, std::string_view text, size_t bytes = 200,
                 const char* lang = "english") {
    const Xapian::Stem stem = *lang ? Xapian::Stem(lang) : Xapian::Stem();
    Snippeter s(std::move(t), stem);
    return s.make(text, bytes, "[", "]");
}

HighlightTerms words(std::initializer_list<const char*> w) {
    HighlightTerms t;
    for (const char* x : w)
        t.words.insert(x);
    return t;
}

HighlightTerms stems(std::initializer_list<const char*> w) {
    HighlightTerms t;
    for (const char* x : w)
        t.stems.insert(x);
    return t;
}

} // namespace

TEST_CASE("snippet: words, stems and prefixes are marked, case-insensitively", "[query][snippet]") {
    CHECK(snip(words({"cache"}), "The Cache and the caches.") == "The [Cache] and the caches.");
    CHECK(snip(stems({"cach"}), "The Cache and the caches.") == "The [Cache] and the [caches].");
    HighlightTerms p;
    p.prefixes.push_back("cav");
    CHECK(snip(p, "Cavium boards, a cave, no cab.") == "[Cavium] boards, a [cave], no cab.");
    HighlightTerms de;
    de.stems.insert(Xapian::Stem("german")("übersicht"));
    CHECK(snip(de, "Die Übersicht.", 200, "german") == "Die [Übersicht].");
    CHECK(snip(words({"文"}), "中文字") == "中[文]字");
    CHECK(snip(words({"kernel"}), "kernel_thread kernel.") == "kernel_thread [kernel].");
}

TEST_CASE("snippet: no match gives the head of the text, cut at a word", "[query][snippet]") {
    CHECK(snip(words({"zzz"}), "short text") == "short text");
    CHECK(snip(HighlightTerms{}, "alpha beta gammadelta epsilon", 16) == "alpha beta…");
    CHECK(snip(HighlightTerms{}, "alpha beta gamma delta epsilon", 16) == "alpha beta gamma…");
}

TEST_CASE("snippet: the first window with the most distinct terms, context before it",
          "[query][snippet]") {
    std::string text;
    for (int i = 0; i < 20; ++i)
        text += "filler words here ";
    text += "only cache here. ";
    for (int i = 0; i < 20; ++i)
        text += "more filler words ";
    text += "cache and coherency together. ";
    for (int i = 0; i < 20; ++i)
        text += "tail filler words ";
    const std::string s = snip(words({"cache", "coherency"}), text, 80);
    CHECK(s.find("[cache] and [coherency] together.") != std::string::npos);
    CHECK(s.starts_with("…"));
    CHECK(s.ends_with("…"));
    CHECK(s.size() <= 80 + 2 * 3 + 4 * 2); // the extract, two ellipses, the markers
    // A one-term query takes its first match.
    const std::string first = snip(words({"cache"}), text, 80);
    CHECK(first.find("only [cache] here.") != std::string::npos);
}

TEST_CASE("snippet: never cuts a UTF-8 character or a word", "[query][snippet]") {
    std::string text;
    for (int i = 0; i < 40; ++i)
        text += "äöü ";
    text += "kernel";
    for (int i = 0; i < 40; ++i)
        text += " äöü";
    const std::string s = snip(words({"kernel"}), text, 30);
    CHECK(s.find("[kernel]") != std::string::npos);
    // Every piece between the ellipses is whole "äöü" words.
    std::string inner = s.substr(3, s.size() - 6);
    CHECK(inner.find("[kernel]") != std::string::npos);
    for (const char* piece : {"ä", "ö", "ü"})
        CHECK(inner.find(piece) != std::string::npos);
    CHECK(inner.front() != ' ');
    CHECK((inner.starts_with("äöü") || inner.starts_with("[kernel]")));
    CHECK((inner.ends_with("äöü") || inner.ends_with("[kernel]")));
}

TEST_CASE("snippet: terms from a parsed query", "[query][snippet]") {
    Xapian::QueryParser qp;
    qp.set_stemmer(Xapian::Stem("english"));
    qp.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
    qp.add_prefix("subject", "S");
    const auto q =
        qp.parse_query("caches \"page table\" subject:octeon cav*",
                       Xapian::QueryParser::FLAG_DEFAULT | Xapian::QueryParser::FLAG_WILDCARD);
    const HighlightTerms t = highlight_terms(q, false);
    CHECK(t.stems.count("cach") == 1);
    CHECK(t.words.count("page") == 1);
    CHECK(t.words.count("table") == 1);
    CHECK(t.words.count("octeon") == 0); // subject only
    REQUIRE(t.prefixes.size() == 1);
    CHECK(t.prefixes[0] == "cav");
    // STEM_ALL: plain terms are stems.
    qp.set_stemming_strategy(Xapian::QueryParser::STEM_ALL);
    const HighlightTerms all = highlight_terms(qp.parse_query("caches"), true);
    CHECK(all.stems.count("cach") == 1);
    CHECK(all.words.empty());
}

TEST_CASE("snippet: a settled snippet of a text's head is the whole text's snippet",
          "[query][snippet]") {
    // Texts with the terms early, late, twice, not at all, and words cut at
    // every possible head length: whenever make() says "settled" on a head,
    // the snippet must be the one of the whole text.
    const std::string filler = "lorem ipsum dolor sit amet, consectetur adipiscing elit; ";
    std::string early = "The cache coherency protocol is described here. ";
    std::string late, none, utf8;
    for (int i = 0; i < 12; ++i) {
        early += filler;
        late += filler;
        none += filler;
        utf8 += "Grüße aus Köln, ça va? ";
    }
    late += "and then the cache lines lose coherency. " + filler + filler + filler;
    utf8 += "coherency über alles " + filler + filler + filler;
    const Xapian::Stem stem("english");
    for (const std::string* text : {&early, &late, &none, &utf8}) {
        for (const auto& terms : {words({"cache", "coherency"}), words({"coherency"}), HighlightTerms{}}) {
            Snippeter whole_s(terms, stem);
            const std::string whole = whole_s.make(*text, 80, "[", "]");
            size_t settled_heads = 0;
            for (size_t n = 1; n <= text->size(); ++n) {
                Snippeter s(terms, stem);
                bool settled = false;
                const std::string head = s.make(std::string_view(*text).substr(0, n), 80, "[", "]", &settled);
                if (!settled) continue;
                ++settled_heads;
                INFO("head of " << n << " bytes of: " << *text);
                CHECK(head == whole);
            }
            // Only a head holding every term (and the window after it) is
            // settled: none when a term never occurs in the text.
            bool all_occur = true;
            for (const auto& w : terms.words)
                all_occur = all_occur && text->find(w) != std::string::npos;
            if (all_occur) CHECK(settled_heads > 0);
            else CHECK(settled_heads == 0);
        }
    }
}
