// Shared by the index tests: an archive in a temporary directory whose store
// is filled with hand-made messages (no MIME), and a canonical dump of a
// search index (docid -> data, terms with wdf and positions, values) so that
// two indexes can be compared for equality.
#pragma once

#include "index/indexer.hpp"
#include "index/xapian_db.hpp"
#include "store/store.hpp"
#include "test_support.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace mlarc::test {

/// A message as a test writes it.
struct Msg {
    std::string mid;
    std::string subject = "a subject";
    std::string body = "some body text";
    std::string from_addr = "ralf@linux-mips.org";
    std::string from_name = "Ralf Baechle";
    std::vector<std::string> references;
    std::vector<Address> to{{"linux-mips@linux-mips.org", ""}};
    std::vector<Address> cc;
    std::vector<Attachment> attachments;
    std::string attachment_text;
    int64_t date_utc = 1514764800; // 2018-01-01T00:00:00Z
    uint32_t flags = 0;
};

class TestArchive {
  public:
    TestArchive() : path_(dir_.path() / "archive") {
        auto s = Store::open(path_, Store::Mode::read_write);
        REQUIRE(s.ok());
        store_.emplace(std::move(*s));
        list_id_ = list("linux-mips");
        SourceInfo si;
        si.path = "/test/input.mbox";
        si.list_id = list_id_;
        si.format = "mboxrd";
        auto src = store_->create_source(si);
        REQUIRE(src.ok());
        source_id_ = src->id;
    }

    const std::filesystem::path& path() const { return path_; }
    Store& store() { return *store_; }

    int64_t list(const std::string& name) {
        auto l = store_->ensure_list(ListInfo{0, name, name + "@example.org", -1, ""});
        REQUIRE(l.ok());
        return l->id;
    }

    /// Stores `msgs` in one batch (one change_seq); returns their ids.
    std::vector<int64_t> add(const std::vector<Msg>& msgs, int64_t list_id = 0) {
        REQUIRE(store_->begin_batch().ok());
        for (const auto& m : msgs) {
            IncomingMessage in;
            in.parsed.message_id = m.mid;
            in.parsed.subject = m.subject;
            in.parsed.from = Address{m.from_addr, m.from_name};
            in.parsed.to = m.to;
            in.parsed.cc = m.cc;
            in.parsed.references = m.references;
            in.parsed.body_text = m.body;
            in.parsed.attachment_text = m.attachment_text;
            in.parsed.attachments = m.attachments;
            in.parsed.headers = {{"Subject", m.subject}};
            in.mid = m.mid;
            in.content_hash = "hash-" + m.mid + "-" + m.body;
            in.date_utc = m.date_utc;
            in.date_source = "header";
            in.flags = m.flags;
            in.raw_size = m.body.size() + 200;
            auto r = store_->add_message(in, list_id ? list_id : list_id_, source_id_);
            REQUIRE(r.ok());
        }
        REQUIRE(store_->commit_batch().ok());
        std::vector<int64_t> ids;
        for (const auto& m : msgs)
            ids.push_back(id_of(m.mid));
        return ids;
    }

    /// `n` generic messages with distinct ids and words.
    std::vector<int64_t> add_many(int n, const std::string& tag = "m") {
        std::vector<Msg> msgs;
        for (int i = 0; i < n; ++i) {
            Msg m;
            m.mid = tag + std::to_string(i) + "@test";
            m.subject = "message " + std::to_string(i) + " about cache coherency";
            m.body = "Body of " + tag + std::to_string(i) + ".\nThe kernel word" +
                     std::to_string(i % 7) + " appears here.\n";
            m.date_utc += i * 86400;
            msgs.push_back(m);
        }
        return add(msgs);
    }

    int64_t id_of(const std::string& mid) {
        auto q =
            store_->db().prepare("SELECT id FROM messages WHERE mid=? ORDER BY mid_seq LIMIT 1");
        REQUIRE(q.ok());
        q->bind(1, mid);
        auto r = q->step();
        REQUIRE(r.ok());
        REQUIRE(*r);
        return q->int64(0);
    }

    int64_t thread_of(int64_t id) {
        auto q = store_->db().prepare("SELECT thread_id FROM messages WHERE id=?");
        REQUIRE(q.ok());
        q->bind(1, id);
        auto r = q->step();
        REQUIRE(r.ok());
        REQUIRE(*r);
        return q->int64(0);
    }

    /// Deletes a message the way a future `mlarc delete` would: a tombstone
    /// and the row gone, in a new change.
    void remove(int64_t id) {
        auto seq = store_->change_seq();
        REQUIRE(seq.ok());
        const std::string next = std::to_string(*seq + 1);
        REQUIRE(store_->db()
                    .exec("BEGIN; INSERT INTO tombstones(message_id, change_seq) VALUES(" +
                          std::to_string(id) + ", " + next +
                          "); DELETE FROM messages WHERE id=" + std::to_string(id) +
                          "; UPDATE meta SET value='" + next + "' WHERE key='change_seq'; COMMIT;")
                    .ok());
    }

    IndexOptions options() const {
        IndexOptions o;
        o.archive = path_;
        o.jobs = 2;
        return o;
    }

    IndexReport index(IndexOptions o) {
        auto r = index_archive(o);
        if (!r.ok()) FAIL("index_archive: " << r.error().what());
        return *r;
    }
    IndexReport index() { return index(options()); }

  private:
    TempDir dir_;
    std::filesystem::path path_;
    std::optional<Store> store_;
    int64_t list_id_ = 0;
    int64_t source_id_ = 0;
};

/// Everything stored about one document.
struct DocDump {
    std::string data;
    std::map<std::string, std::pair<unsigned, std::vector<unsigned>>> terms; // wdf, positions
    std::map<unsigned, std::string> values;
    bool operator==(const DocDump&) const = default;
};

inline std::map<unsigned, DocDump> dump_index(const std::filesystem::path& archive) {
    std::map<unsigned, DocDump> out;
    Xapian::Database db(index_path(archive).string());
    for (auto p = db.postlist_begin(""); p != db.postlist_end(""); ++p) {
        const Xapian::Document doc = db.get_document(*p);
        DocDump& d = out[*p];
        d.data = doc.get_data();
        for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t) {
            std::vector<unsigned> pos(t.positionlist_begin(), t.positionlist_end());
            d.terms[*t] = {t.get_wdf(), pos};
        }
        for (auto v = doc.values_begin(); v != doc.values_end(); ++v)
            d.values[v.get_valueno()] = *v;
    }
    return out;
}

/// Ids of the documents matching `q`.
inline std::vector<unsigned> matches(const std::filesystem::path& archive, const Xapian::Query& q) {
    Xapian::Database db(index_path(archive).string());
    Xapian::Enquire e(db);
    e.set_query(q);
    e.set_docid_order(Xapian::Enquire::ASCENDING);
    e.set_weighting_scheme(Xapian::BoolWeight());
    std::vector<unsigned> out;
    const auto ms = e.get_mset(0, db.get_doccount() + 1);
    for (auto it = ms.begin(); it != ms.end(); ++it)
        out.push_back(*it);
    std::sort(out.begin(), out.end());
    return out;
}

/// A query parser set up the way the search side is meant to: default
/// (unprefixed) text, the text prefixes of the schema, stemming and CJK.
inline std::vector<unsigned> search(const std::filesystem::path& archive, const std::string& text,
                                    const std::string& language = "english") {
    Xapian::Database db(index_path(archive).string());
    Xapian::QueryParser qp;
    qp.set_database(db);
    if (language != "none") {
        qp.set_stemmer(Xapian::Stem(language));
        qp.set_stemming_strategy(Xapian::QueryParser::STEM_ALL); // as indexed (schema.hpp)
    }
    for (const auto& f : kIndexFields) {
        if (f.prefix.empty()) continue;
        if (f.kind == FieldKind::text)
            qp.add_prefix(std::string(f.name), std::string(f.prefix));
        else
            qp.add_boolean_prefix(std::string(f.name), std::string(f.prefix));
    }
    const auto q = qp.parse_query(text, Xapian::QueryParser::FLAG_DEFAULT |
                                            Xapian::QueryParser::FLAG_CJK_NGRAM);
    return matches(archive, q);
}

} // namespace mlarc::test
