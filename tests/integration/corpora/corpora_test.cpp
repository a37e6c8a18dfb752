// Imports of the shared corpora (skipped with a reason when ../shared is
// absent): the whole edge-case corpus (malformed and tricky mail from public
// test suites) and the whole linux-mips archive (84,096 real messages, read
// straight from the .zst files). Nothing may be lost: read = stored +
// duplicates + quarantined, per file and in total; and every message's text as
// read back is what decoding its stored raw bytes gives.
#include "ingest/importer.hpp"
#include "mbox/reader.hpp"
#include "mime/decode.hpp"
#include "store/raw_codec.hpp"
#include "test_support.hpp"

#include <span>

using namespace mlarc;
using mlarc::test::TempDir;

namespace {

int64_t q(Store& s, const std::string& sql) { return s.db().query_int(sql)->value_or(-1); }

ImportOptions options(const TempDir& t) {
    ImportOptions o;
    o.archive = t / "archive";
    o.list = "corpus";
    o.progress = false;
    return o;
}

void check_balance(const ImportSummary& s) {
    CHECK(s.read == s.stored + s.duplicates + s.quarantined);
    for (const auto& f : s.files) {
        INFO(f.path);
        CHECK(f.read == f.stored + f.duplicates + f.quarantined);
    }
}

/// Every stored message's text as read through the view message_text is what
/// decoding its raw bytes gives (the headers, and most bodies, are kept as a
/// marker and derived from the raw message: store/raw_codec.hpp). Returns the
/// number of messages checked.
/// The rows of message_addresses for a message decoded as `p`, as the query
/// in check_text_matches_raw() joins them (roles in name order).
std::string address_rows(const ParsedMessage& p) {
    std::string out;
    auto role = [&](const char* name, std::span<const Address> as) {
        for (const auto& a : as) {
            if (!out.empty()) out += '\x02';
            out += std::string(name) + '\x01' + a.address + '\x01' + a.name;
        }
    };
    role("cc", p.cc);
    role("from", std::span<const Address>(&p.from, 1));
    role("reply-to", p.reply_to);
    role("to", p.to);
    return out;
}

int64_t check_text_matches_raw(Store& store) {
    auto addrs = store.db().prepare(
        "SELECT group_concat(role || char(1) || address || char(1) || name, char(2)) FROM "
        "(SELECT role, address, name FROM message_addresses WHERE message_id = ? "
        "ORDER BY role, position)");
    REQUIRE(addrs.ok());
    int64_t addr_differ = 0;
    auto st = store.db().prepare(
        "SELECT m.id, r.codec, r.raw, r.raw_size, r.escaping, t.headers, t.body, t.attachment_text "
        "FROM messages m JOIN message_raw r ON r.message_id = m.id "
        "JOIN message_text t ON t.message_id = m.id ORDER BY m.id");
    REQUIRE(st.ok());
    int64_t n = 0, differ = 0;
    for (;;) {
        auto row = st->step();
        REQUIRE(row.ok());
        if (!*row) break;
        ++n;
        auto raw = decode_raw(static_cast<int>(st->int64(1)), st->blob(2),
                              static_cast<size_t>(st->int64(3)));
        REQUIRE(raw.ok());
        auto p = decode_message(unescape(*raw, static_cast<Escaping>(st->int64(4))));
        REQUIRE(p.ok());
        if (headers_text(p->headers) != st->text(5) || p->body_text != st->text(6) ||
            p->attachment_text != st->text(7)) {
            if (++differ <= 5) UNSCOPED_INFO("message " << st->int64(0) << ": text differs");
        }
        // The addresses read through the message_addresses view (migration
        // 0007) are the decoded ones, in header order.
        addrs->reset();
        addrs->bind(1, st->int64(0));
        auto a = addrs->step();
        REQUIRE(a.ok());
        REQUIRE(*a);
        if (addrs->text(0) != address_rows(*p) && ++addr_differ <= 5)
            UNSCOPED_INFO("message " << st->int64(0) << ": addresses differ");
    }
    CHECK(differ == 0);
    CHECK(addr_differ == 0);
    return n;
}

} // namespace

TEST_CASE("the edge-case corpus imports without loss", "[corpus][edge]") {
    MLARC_SKIP_IF_NO_CORPUS(dir, "edge");
    TempDir t;
    ImportSummary sum;
    auto st = run_import(options(t), {dir}, sum);
    INFO((st.ok() ? std::string() : st.error().what()));
    REQUIRE(st.ok());
    check_balance(sum);
    // SOURCES.md counts 415 messages (Python's splitter); ours differ by
    // spamassassin/spam/008 (a "From " header line that is not a From_ line)
    // and notmuch/insert/mbox-attachment.eml (an inline patch's From_ line).
    CHECK(sum.read >= 410);
    CHECK(sum.read <= 420);
    int skipped = 0;
    for (const auto& f : sum.files) skipped += f.status == "skipped";
    CHECK(skipped <= 6); // SOURCES.md, READMEs, COPYING files
    auto store = Store::open(t / "archive", Store::Mode::read_only);
    REQUIRE(store.ok());
    // Every stored text is valid UTF-8 by construction; spot checks:
    CHECK(q(*store, "SELECT count(*) FROM messages") == sum.stored);
    CHECK(q(*store, "SELECT count(*) FROM message_text WHERE body LIKE '%Matterhorn1%'") >= 1);
    CHECK(check_text_matches_raw(*store) == sum.stored);
    WARN("edge corpus: read " << sum.read << ", stored " << sum.stored << ", duplicates "
                              << sum.duplicates << ", quarantined " << sum.quarantined);
}

TEST_CASE("the linux-mips corpus imports without loss", "[corpus][linux-mips]") {
    MLARC_SKIP_IF_NO_CORPUS(dir, "linux-mips");
    if (MLARC_UNDER_ASAN) {
        // 84,096 messages through the whole pipeline, instrumented at -O0, take
        // far longer than the suite's time budget. The same code paths run
        // under ASan on the edge corpus above, the 2017 slice (tests/unit/mime)
        // and the framing of every file (tests/unit/mbox); the full import runs
        // in `make -f Makefile.dist check`.
        WARN("SKIPPED under ASan: the full linux-mips import is too slow instrumented");
        return;
    }
    TempDir t;
    ImportSummary sum;
    auto st = run_import(options(t), {dir}, sum);
    INFO((st.ok() ? std::string() : st.error().what()));
    REQUIRE(st.ok());
    check_balance(sum);
    CHECK(sum.read == 84096); // the corpus README's count of From_ separators
    auto store = Store::open(t / "archive", Store::Mode::read_only);
    REQUIRE(store.ok());
    // The README (Python's mailbox module) counts 84,020 distinct Message-ID
    // header values and 4 messages without one. Those 4 have a Subject folded
    // across an empty line, so Python ends the header there; mlarc's decoder
    // recovers the header lines after it (flag header_defect) and finds their
    // Message-IDs. Normalisation (<> and comments stripped) can fold a couple
    // of raw values into one id, hence the small range.
    const int64_t distinct = q(*store, "SELECT count(DISTINCT mid) FROM messages");
    CHECK(distinct >= 84015);
    CHECK(distinct <= 84020 + 4);
    CHECK(q(*store, "SELECT count(*) FROM messages WHERE mid IN ("
                    "'20100408184628.MLlwW9hHqAsdlMdfoNz3bOUCrG05HRYRB_qWzMfqhYo@z',"
                    "'20101130193431.Sw8GMZ3Y60AQmmMRMW1sf48KTe8m0PbEfVF9dBkc1GQ@z')") == 2);
    CHECK(q(*store, "SELECT count(*) FROM messages") == sum.stored);
    CHECK(check_text_matches_raw(*store) == sum.stored);
    // Importing again stores nothing and reads nothing.
    ImportSummary again;
    REQUIRE(run_import(options(t), {dir}, again).ok());
    CHECK(again.read == 0);
    CHECK(again.stored == 0);
    WARN("linux-mips: read " << sum.read << ", stored " << sum.stored << ", duplicates "
                             << sum.duplicates << ", quarantined " << sum.quarantined << " in "
                             << sum.seconds << " s; re-import " << again.seconds << " s");
}
