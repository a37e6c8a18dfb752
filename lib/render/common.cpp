// Wording shared by the writers and the JSON writer (see detail.hpp), and
// the renderer factory (see renderer.hpp).
#include "render/detail.hpp"
#include "render/renderer.hpp"

#include "mime/message.hpp"
#include "util/date.hpp"
#include "util/strings.hpp"

#include <cstdio>

namespace mlarc {

namespace render_detail {

std::string author_label(const AuthorRef& a) { return a.name.empty() ? a.address : a.name; }

std::string address_label(const MessageAddress& a) {
    if (a.name.empty()) return a.address;
    if (a.address.empty()) return a.name;
    return a.name + " <" + a.address + ">";
}

std::string utc_minute(int64_t utc) {
    const CivilTime t = civil_from_utc(utc);
    char buf[48];
    std::snprintf(buf, sizeof buf, "%04lld-%02d-%02d %02d:%02d", static_cast<long long>(t.year),
                  t.month, t.day, t.hour, t.minute);
    return buf;
}

std::string total_text(const Total& t, std::string_view noun) {
    std::string out = t.exact ? "" : "about ";
    out += format_count(t.value);
    out += ' ';
    out += noun;
    if (t.value != 1) out += 's';
    return out;
}

size_t next_offset(const SearchResult& r) {
    const uint64_t total = r.by_thread ? r.threads.value : r.messages.value;
    const uint64_t end = r.offset + r.hits.size() + r.skipped;
    return end < total && r.hits.size() + r.skipped >= r.limit ? static_cast<size_t>(end) : 0;
}

std::string page_summary(const SearchResult& r) {
    std::string out;
    if (r.by_thread)
        out = total_text(r.threads, "thread") + " (" + total_text(r.messages, "message") + ")";
    else
        out = total_text(r.messages, "message");
    const uint64_t total = r.by_thread ? r.threads.value : r.messages.value;
    out += total == 1 && (r.by_thread ? r.threads.exact : r.messages.exact) ? " matches" : " match";
    if (total == 0) return out;
    if (r.hits.empty()) {
        out += "; showing none (--offset " + std::to_string(r.offset) + " is past the end)";
        return out;
    }
    out += "; showing " + std::to_string(r.offset + 1) + "-" +
           std::to_string(r.offset + r.hits.size() + r.skipped) + ", ";
    switch (r.sort) {
    case SortOrder::newest: out += "newest first"; break;
    case SortOrder::oldest: out += "oldest first"; break;
    case SortOrder::relevance: out += "most relevant first"; break;
    }
    return out;
}

std::vector<std::string> flag_list(uint32_t flags) { return split(flag_names(flags), ',', true); }

void JsonWriter::separate() {
    if (after_key_) {
        after_key_ = false;
        return;
    }
    if (!first_.empty()) {
        if (!first_.back()) out_ << ',';
        first_.back() = false;
    }
}

JsonWriter& JsonWriter::begin_object() {
    separate();
    out_ << '{';
    first_.push_back(true);
    return *this;
}
JsonWriter& JsonWriter::end_object() {
    out_ << '}';
    first_.pop_back();
    return *this;
}
JsonWriter& JsonWriter::begin_array() {
    separate();
    out_ << '[';
    first_.push_back(true);
    return *this;
}
JsonWriter& JsonWriter::end_array() {
    out_ << ']';
    first_.pop_back();
    return *this;
}
JsonWriter& JsonWriter::key(std::string_view k) {
    separate();
    out_ << '"' << json_escape(k) << "\":";
    after_key_ = true;
    return *this;
}
JsonWriter& JsonWriter::value(std::string_view s) {
    separate();
    out_ << '"' << json_escape(s) << '"';
    return *this;
}
JsonWriter& JsonWriter::value(int64_t n) {
    separate();
    out_ << n;
    return *this;
}
JsonWriter& JsonWriter::value(uint64_t n) {
    separate();
    out_ << n;
    return *this;
}
JsonWriter& JsonWriter::value(bool b) {
    separate();
    out_ << (b ? "true" : "false");
    return *this;
}
JsonWriter& JsonWriter::null() {
    separate();
    out_ << "null";
    return *this;
}
JsonWriter& JsonWriter::string_array(std::string_view k, const std::vector<std::string>& v) {
    key(k).begin_array();
    for (const auto& s : v) value(s);
    return end_array();
}

} // namespace render_detail

Result<Format> parse_format(std::string_view name) {
    if (name == "text") return Format::text;
    if (name == "json") return Format::json;
    if (name == "csv") return Format::csv;
    return make_error(Errc::usage, "unknown output format '" + std::string(name) + "'",
                      "use text, json or csv");
}

std::unique_ptr<Renderer> make_renderer(Format format, std::ostream& out, std::ostream& err,
                                        const RenderOptions& opts) {
    switch (format) {
    case Format::json: return render_detail::make_json_renderer(out, err, opts);
    case Format::csv: return render_detail::make_csv_renderer(out, err, opts);
    case Format::text: break;
    }
    return render_detail::make_text_renderer(out, err, opts);
}

} // namespace mlarc
