// The JSON writer: one JSON document per command, on one line, with
// "format_version" first. docs/search-json-schema.json is the contract; a
// field is never removed or changes meaning without a new format_version.
// Dates are ISO 8601 strings (a message's "date" in its writer's zone,
// thread "first"/"last" in UTC) plus Unix seconds where sorting needs them.
#include "render/detail.hpp"

#include "util/date.hpp"

namespace mlarc::render_detail {

namespace {

class JsonRenderer : public Renderer {
  public:
    JsonRenderer(std::ostream& out, const RenderOptions& o) : out_(out), opts_(o) {}

    std::pair<std::string, std::string> highlight_markers() const override {
        return {"\xC2\xAB", "\xC2\xBB"}; // « »
    }

    void search(const SearchResult& r) override {
        JsonWriter j(out_);
        j.begin_object().field("format_version", kJsonFormatVersion);
        j.field("query", r.query).field("parsed_query", r.description);
        j.field("results", r.by_thread ? "threads" : "messages");
        j.field("sort", sort_order_name(r.sort));
        j.field("offset", static_cast<uint64_t>(r.offset)).field("limit", static_cast<uint64_t>(r.limit));
        j.key("total").begin_object();
        j.key("threads");
        if (r.by_thread) total(j, r.threads);
        else j.null();
        j.key("messages");
        total(j, r.messages);
        j.end_object();
        j.field("skipped", r.skipped);
        if (!r.missing_shards.empty()) { // only on partial results: whole ones stay as they were
            j.field("partial", true);
            j.key("missing_shards").begin_array();
            for (const auto& s : r.missing_shards) j.value(s);
            j.end_array();
        }
        j.key("next_offset");
        if (const size_t n = next_offset(r)) j.value(static_cast<uint64_t>(n));
        else j.null();
        j.key("hits").begin_array();
        for (const auto& h : r.hits) hit(j, h, r.by_thread);
        j.end_array();
        if (r.facets) {
            j.key("facets");
            facet_object(j, *r.facets, false);
        }
        j.end_object();
        out_ << '\n';
    }

    void facets(const Facets& f) override {
        JsonWriter j(out_);
        facet_object(j, f, true);
        out_ << '\n';
    }

    void count(uint64_t n, bool threads) override {
        JsonWriter j(out_);
        j.begin_object().field("format_version", kJsonFormatVersion).field("count", n);
        j.field("unit", threads ? "threads" : "messages").end_object();
        out_ << '\n';
    }

    void message(const MessageView& m, bool) override {
        JsonWriter j(out_);
        j.begin_object().field("format_version", kJsonFormatVersion);
        j.field("docid", m.id).field("message_id", m.mid).field("mid_seq", m.mid_seq);
        j.key("same_message_id").begin_array();
        for (auto i : m.same_mid) j.value(i);
        j.end_array();
        j.field("thread", m.thread_id);
        j.key("parent");
        if (m.parent_mid.empty()) {
            j.null();
        } else {
            j.begin_object().field("message_id", m.parent_mid).field("reason", m.parent_reason);
            j.end_object();
        }
        j.field("date", format_iso8601(m.date_utc, m.date_offset)).field("date_unix", m.date_utc);
        j.field("date_source", m.date_source);
        j.key("from");
        address(j, m.from);
        addresses(j, "to", m.to);
        addresses(j, "cc", m.cc);
        addresses(j, "reply_to", m.reply_to);
        j.field("subject", m.subject).string_array("lists", m.lists);
        j.key("attachments").begin_array();
        for (const auto& a : m.attachments) {
            j.begin_object().field("part", a.part_no).field("filename", a.filename);
            j.field("content_type", a.content_type).field("size", a.size).end_object();
        }
        j.end_array();
        j.field("size", m.size).string_array("flags", flag_list(m.flags));
        j.field("headers", m.headers).field("body", m.body);
        j.end_object();
        out_ << '\n';
    }

    void thread(const ThreadView& t) override {
        JsonWriter j(out_);
        j.begin_object().field("format_version", kJsonFormatVersion);
        j.field("thread", t.thread_id).field("messages", t.messages);
        j.key("nodes").begin_array();
        for (const auto& n : t.nodes) {
            j.begin_object().field("depth", n.depth).field("ghost", n.message_id == 0);
            j.key("docid");
            if (n.message_id) j.value(n.message_id);
            else j.null();
            j.field("message_id", n.mid);
            if (n.message_id) {
                j.field("date", format_iso8601(n.date_utc, n.date_offset));
                j.key("from");
                address(j, n.from);
                j.field("subject", n.subject);
            }
            j.end_object();
        }
        j.end_array().end_object();
        out_ << '\n';
    }

  private:
    static void total(JsonWriter& j, const Total& t) {
        j.begin_object().field("count", t.value).field("exact", t.exact).end_object();
    }
    static void address(JsonWriter& j, const MessageAddress& a) {
        j.begin_object().field("name", a.name).field("address", a.address).end_object();
    }
    static void addresses(JsonWriter& j, std::string_view key, const std::vector<MessageAddress>& v) {
        j.key(key).begin_array();
        for (const auto& a : v) address(j, a);
        j.end_array();
    }

    static void hit(JsonWriter& j, const Hit& h, bool thread) {
        j.begin_object();
        j.field("thread", h.thread_id).field("docid", h.message_id).field("message_id", h.mid);
        j.field("subject", h.subject);
        j.field("date", format_iso8601(h.date_utc, h.date_offset)).field("date_unix", h.date_utc);
        if (thread) {
            j.field("first", format_iso8601(h.first_utc, 0)).field("last", format_iso8601(h.last_utc, 0));
            j.field("last_unix", h.last_utc);
        }
        j.field("matched", h.matched).field("total", h.total);
        j.string_array("lists", h.lists);
        j.key("authors").begin_array();
        for (const auto& a : h.authors) {
            j.begin_object().field("name", a.name).field("address", a.address);
            j.field("matched", a.matched).end_object();
        }
        j.end_array();
        j.field("attachments", static_cast<uint64_t>(h.attachments));
        j.string_array("flags", flag_list(h.flags));
        j.field("snippet", h.snippet);
        j.end_object();
    }

    static void facet_object(JsonWriter& j, const Facets& f, bool top) {
        j.begin_object();
        if (top) j.field("format_version", kJsonFormatVersion);
        j.field("messages", f.messages);
        j.key("lists").begin_array();
        for (const auto& c : f.lists) j.begin_object().field("name", c.key).field("count", c.count).end_object();
        j.end_array();
        j.key("authors").begin_array();
        for (const auto& c : f.authors) {
            j.begin_object().field("address", c.key).field("name", c.label == c.key ? "" : c.label);
            j.field("count", c.count).end_object();
        }
        j.end_array();
        j.field("authors_total", f.authors_total);
        j.key("months").begin_array();
        for (const auto& c : f.months) j.begin_object().field("month", c.key).field("count", c.count).end_object();
        j.end_array();
        j.end_object();
    }

    std::ostream& out_;
    RenderOptions opts_;
};

} // namespace

std::unique_ptr<Renderer> make_json_renderer(std::ostream& out, std::ostream&, const RenderOptions& opts) {
    return std::make_unique<JsonRenderer>(out, opts);
}

} // namespace mlarc::render_detail
