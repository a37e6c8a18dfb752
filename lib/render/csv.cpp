// The CSV writer (RFC 4180 via csv_field): one header row, then one row per
// hit, facet value, thread node or message; lists and authors inside a field
// are separated by "; ". CSV has no place for totals, so a search page that
// does not hold every match says so on the error stream.
#include "render/detail.hpp"

#include "util/date.hpp"
#include "util/strings.hpp"

namespace mlarc::render_detail {

namespace {

class CsvRenderer : public Renderer {
  public:
    CsvRenderer(std::ostream& out, std::ostream& err) : out_(out), err_(err) {}

    std::pair<std::string, std::string> highlight_markers() const override { return {"", ""}; }

    void search(const SearchResult& r) override {
        row({"kind", "thread", "docid", "message_id", "date", "last", "matched", "total", "lists",
             "authors", "subject", "snippet"});
        for (const auto& h : r.hits) {
            std::vector<std::string> authors;
            for (const auto& a : h.authors) authors.push_back(author_label(a));
            row({r.by_thread ? "thread" : "message", std::to_string(h.thread_id),
                 std::to_string(h.message_id), h.mid, format_iso8601(h.date_utc, h.date_offset),
                 format_iso8601(h.last_utc, 0), std::to_string(h.matched), std::to_string(h.total),
                 join(h.lists, "; "), join(authors, "; "), h.subject, h.snippet});
        }
        if (r.offset > 0 || next_offset(r) || r.skipped)
            err_ << "mlarc: " << page_summary(r)
                 << (next_offset(r) ? "; next page: --offset " + std::to_string(next_offset(r)) : "")
                 << '\n';
        if (r.facets) facets(*r.facets);
    }

    void facets(const Facets& f) override {
        row({"facet", "key", "label", "count"});
        for (const auto& c : f.lists) row({"list", c.key, c.label, std::to_string(c.count)});
        for (const auto& c : f.authors) row({"author", c.key, c.label, std::to_string(c.count)});
        for (const auto& c : f.months) row({"month", c.key, c.label, std::to_string(c.count)});
        if (f.authors_total > f.authors.size())
            err_ << "mlarc: authors: the top " << f.authors.size() << " of "
                 << format_count(f.authors_total) << " are listed\n";
    }

    void count(uint64_t n, bool threads) override {
        row({threads ? "threads" : "messages"});
        row({std::to_string(n)});
    }

    void message(const MessageView& m, bool) override {
        auto list = [](const std::vector<MessageAddress>& v) {
            std::vector<std::string> parts;
            for (const auto& a : v) parts.push_back(address_label(a));
            return join(parts, "; ");
        };
        row({"docid", "message_id", "date", "from", "to", "cc", "subject", "lists", "thread",
             "parent", "size", "flags", "body"});
        row({std::to_string(m.id), m.mid, format_iso8601(m.date_utc, m.date_offset),
             address_label(m.from), list(m.to), list(m.cc), m.subject, join(m.lists, "; "),
             std::to_string(m.thread_id), m.parent_mid, std::to_string(m.size),
             join(flag_list(m.flags), "; "), m.body});
    }

    void thread(const ThreadView& t) override {
        row({"depth", "docid", "message_id", "date", "from", "subject"});
        for (const auto& n : t.nodes)
            row({std::to_string(n.depth), n.message_id ? std::to_string(n.message_id) : "", n.mid,
                 n.message_id ? format_iso8601(n.date_utc, n.date_offset) : "",
                 n.message_id ? address_label(n.from) : "", n.subject});
    }

  private:
    void row(const std::vector<std::string>& fields) {
        for (size_t i = 0; i < fields.size(); ++i) out_ << (i ? "," : "") << csv_field(fields[i]);
        out_ << "\r\n";
    }

    std::ostream& out_;
    std::ostream& err_;
};

} // namespace

std::unique_ptr<Renderer> make_csv_renderer(std::ostream& out, std::ostream& err, const RenderOptions&) {
    return std::make_unique<CsvRenderer>(out, err);
}

} // namespace mlarc::render_detail
