// The text writer: for people and for golden tests. Lines that are not
// results start with "# "; result lines begin with a token that can be pasted
// into a query or a command (thread:42, docid:1234). Dates are UTC.
#include "render/detail.hpp"

#include "util/date.hpp"
#include "util/strings.hpp"

#include <algorithm>

namespace mlarc::render_detail {

namespace {

/// notmuch's author list: matching authors, then "| " and the others; at
/// most kMaxAuthors names, then "+N".
std::string authors_text(const std::vector<AuthorRef>& authors) {
    constexpr size_t kMaxAuthors = 5;
    std::string out;
    bool in_others = false;
    size_t shown = 0;
    for (const auto& a : authors) {
        if (shown == kMaxAuthors) {
            out += " +" + std::to_string(authors.size() - shown);
            break;
        }
        if (!a.matched && !in_others && shown > 0) {
            out += "| ";
            in_others = true;
        } else if (shown > 0) {
            out += ", ";
        }
        in_others = in_others || !a.matched;
        out += author_label(a);
        ++shown;
    }
    return out;
}

std::string lists_text(const std::vector<std::string>& lists) {
    return lists.empty() ? "" : "  (" + join(lists, ", ") + ")";
}

std::string addresses_text(const std::vector<MessageAddress>& v) {
    std::vector<std::string> parts;
    for (const auto& a : v) parts.push_back(address_label(a));
    return join(parts, ", ");
}

class TextRenderer : public Renderer {
  public:
    TextRenderer(std::ostream& out, const RenderOptions& o) : out_(out), opts_(o) {}

    std::pair<std::string, std::string> highlight_markers() const override {
        if (opts_.color) return {"\x1b[1m", "\x1b[0m"};
        return {"", ""};
    }

    void search(const SearchResult& r) override {
        if (opts_.explain) out_ << "# parsed query: " << r.description << '\n';
        out_ << "# " << page_summary(r) << '\n';
        if (!r.missing_shards.empty()) {
            out_ << "# partial result: search index shard(s)";
            for (const auto& s : r.missing_shards) out_ << ' ' << s;
            out_ << " did not answer\n";
        }
        for (const auto& h : r.hits) {
            if (r.by_thread) {
                // The date of the message the thread is sorted by (its newest or
                // oldest match), as notmuch shows it; JSON has the thread's span.
                out_ << "thread:" << h.thread_id << "  " << format_date_utc(h.date_utc) << "  ["
                     << h.matched << '/' << h.total << "]  " << authors_text(h.authors) << "; "
                     << h.subject << lists_text(h.lists) << '\n';
            } else {
                out_ << "docid:" << h.message_id << "  " << utc_minute(h.date_utc) << "  thread:"
                     << h.thread_id << "  " << authors_text(h.authors) << "; " << h.subject
                     << lists_text(h.lists) << '\n';
            }
            if (!h.snippet.empty()) out_ << "    " << h.snippet << '\n';
        }
        if (r.skipped)
            out_ << "# " << r.skipped
                 << (r.skipped == 1 ? " result was" : " results were")
                 << " left out: not in the store (the index is ahead of it; an import may be "
                    "running)\n";
        if (const size_t next = next_offset(r)) out_ << "# next page: --offset " << next << '\n';
        if (r.facets) facets(*r.facets);
    }

    void facets(const Facets& f) override {
        out_ << "# facets of " << total_text(Total{f.messages, true}, "message") << '\n';
        out_ << "lists:\n";
        for (const auto& c : f.lists) row(c.count, c.label);
        out_ << "authors";
        if (f.authors_total > f.authors.size())
            out_ << " (top " << f.authors.size() << " of " << format_count(f.authors_total) << ")";
        out_ << ":\n";
        for (const auto& c : f.authors)
            row(c.count, c.label == c.key ? c.key : c.label + " <" + c.key + ">");
        out_ << "months:\n";
        for (const auto& c : f.months) row(c.count, c.label);
    }

    void count(uint64_t n, bool) override { out_ << n << '\n'; }

    void message(const MessageView& m, bool all_headers) override {
        out_ << "Id: " << m.id << '\n';
        out_ << "Message-ID: <" << m.mid << ">\n";
        out_ << "Date: " << format_iso8601(m.date_utc, m.date_offset);
        if (m.date_source != "header") out_ << " (from the " << m.date_source << ')';
        out_ << '\n';
        out_ << "From: " << address_label(m.from) << '\n';
        if (!m.to.empty()) out_ << "To: " << addresses_text(m.to) << '\n';
        if (!m.cc.empty()) out_ << "Cc: " << addresses_text(m.cc) << '\n';
        if (!m.reply_to.empty()) out_ << "Reply-To: " << addresses_text(m.reply_to) << '\n';
        out_ << "Subject: " << m.subject << '\n';
        out_ << "Lists: " << join(m.lists, ", ") << '\n';
        out_ << "Thread: " << m.thread_id << '\n';
        if (!m.parent_mid.empty())
            out_ << "Parent: <" << m.parent_mid << "> (by " << m.parent_reason << ")\n";
        for (const auto& a : m.attachments)
            out_ << "Attachment: " << a.part_no << ". "
                 << (a.filename.empty() ? std::string("(no name)") : a.filename) << " ("
                 << a.content_type << ", " << human_bytes(a.size) << ")\n";
        if (m.flags) out_ << "Flags: " << join(flag_list(m.flags), ", ") << '\n';
        if (!m.same_mid.empty()) {
            std::vector<std::string> ids;
            for (auto i : m.same_mid) ids.push_back(std::to_string(i));
            out_ << "Same Message-ID: " << join(ids, ", ") << " (other contents)\n";
        }
        out_ << '\n';
        if (all_headers) out_ << m.headers << '\n';
        out_ << m.body;
        if (!m.body.empty() && m.body.back() != '\n') out_ << '\n';
    }

    void thread(const ThreadView& t) override {
        out_ << "# thread " << t.thread_id << ": " << total_text(Total{t.messages, true}, "message")
             << '\n';
        for (const auto& n : t.nodes) {
            out_ << std::string(static_cast<size_t>(n.depth) * 2, ' ');
            if (!n.message_id) {
                out_ << "[message not in archive] <" << n.mid << ">\n";
                continue;
            }
            out_ << "docid:" << n.message_id << "  " << utc_minute(n.date_utc) << "  "
                 << (n.from.name.empty() ? n.from.address : n.from.name) << "; " << n.subject << '\n';
        }
    }

  private:
    void row(uint64_t n, const std::string& label) {
        std::string c = format_count(n);
        out_ << std::string(c.size() < 8 ? 8 - c.size() : 0, ' ') << c << "  " << label << '\n';
    }

    std::ostream& out_;
    RenderOptions opts_;
};

} // namespace

std::unique_ptr<Renderer> make_text_renderer(std::ostream& out, std::ostream&, const RenderOptions& opts) {
    return std::make_unique<TextRenderer>(out, opts);
}

} // namespace mlarc::render_detail
