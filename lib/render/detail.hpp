// Inside the render module only: wording and formatting shared by the text,
// JSON and CSV writers (so "3 threads (5 messages) match" is phrased once),
// and the small JSON writer the JSON renderer is built on.
#pragma once

#include "query/messages.hpp"
#include "query/search.hpp"
#include "render/renderer.hpp"

#include <memory>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace mlarc::render_detail {

/// "Ralf Baechle", or the address when the name is empty.
std::string author_label(const AuthorRef& a);
/// "Ralf Baechle <ralf@linux-mips.org>", or the bare address.
std::string address_label(const MessageAddress& a);
/// "2018-03-05 10:00" (UTC).
std::string utc_minute(int64_t utc);
/// "3 threads", "about 12,345 messages", "1 thread".
std::string total_text(const Total& t, std::string_view noun);
/// "3 threads (5 messages) match; showing 1-3, newest first" and the like.
std::string page_summary(const SearchResult& r);
/// The next page's --offset when more hits follow this page (else 0).
size_t next_offset(const SearchResult& r);
/// Every flag name set in `flags`.
std::vector<std::string> flag_list(uint32_t flags);

std::unique_ptr<Renderer> make_text_renderer(std::ostream& out, std::ostream& err,
                                             const RenderOptions& opts);
std::unique_ptr<Renderer> make_json_renderer(std::ostream& out, std::ostream& err,
                                             const RenderOptions& opts);
std::unique_ptr<Renderer> make_csv_renderer(std::ostream& out, std::ostream& err,
                                            const RenderOptions& opts);

/// A streaming JSON writer: tracks commas and nesting, escapes strings with
/// json_escape (always valid JSON, even for invalid UTF-8 input).
class JsonWriter {
  public:
    explicit JsonWriter(std::ostream& out) : out_(out) {}
    JsonWriter& begin_object();
    JsonWriter& end_object();
    JsonWriter& begin_array();
    JsonWriter& end_array();
    JsonWriter& key(std::string_view k);
    JsonWriter& value(std::string_view s);
    JsonWriter& value(const std::string& s) { return value(std::string_view(s)); }
    JsonWriter& value(const char* s) { return value(std::string_view(s)); }
    JsonWriter& value(int64_t n);
    JsonWriter& value(uint64_t n);
    JsonWriter& value(int n) { return value(static_cast<int64_t>(n)); }
    JsonWriter& value(bool b);
    JsonWriter& null();
    /// key + value in one call.
    template <typename T> JsonWriter& field(std::string_view k, const T& v) { return key(k).value(v); }
    JsonWriter& string_array(std::string_view k, const std::vector<std::string>& v);

  private:
    void separate();
    std::ostream& out_;
    std::vector<bool> first_; // per open container: nothing written in it yet
    bool after_key_ = false;
};

} // namespace mlarc::render_detail
