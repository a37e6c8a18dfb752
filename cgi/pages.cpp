// The pages of the web front end (see pages.hpp): search (HTML, JSON, Atom),
// list browsing, thread tree, message view, raw message and thread mbox, the
// style sheet, and the error pages. The query work is lib/query's, the JSON
// lib/render's; this file only lays out HTML and escapes.
//
// Escaping rules (FAILURE-MODES 49-50): text and attribute values go through
// html_escape(); a value put into a URL is percent_encode()d first, then the
// whole URL is html_escape()d when it goes into an attribute. Nothing from the
// archive is ever written unescaped, and no page carries a script.
#include "pages.hpp"

#include "mime/message.hpp"
#include "query/archive.hpp"
#include "query/messages.hpp"
#include "query/search.hpp"
#include "registry/registry.hpp"
#include "render/renderer.hpp"
#include "report/links.hpp"
#include "report/report.hpp"
#include "store/store.hpp"
#include "util/date.hpp"
#include "util/strings.hpp"

#include <charconv>
#include <ctime>
#include <cstdlib>
#include <iostream>
#include <map>
#include <set>
#include <sstream>

namespace mlarc::web {

namespace {

// Snippet highlight markers: control characters that the body text handed to
// the page never carries as such (they are replaced before escaping).
constexpr std::string_view kHiStart = "\x02";
constexpr std::string_view kHiEnd = "\x03";
constexpr size_t kDefaultPageSize = 20;
constexpr size_t kMonthPageSize = 100;      // threads of a month page
constexpr uint64_t kAuthorFacetMax = 2000;  // matching messages up to which authors are counted
constexpr size_t kMaxThreadBodies = 200;    // messages of a thread shown with their text
constexpr size_t kMaxThreadNodes = 500;     // lines of a thread page (FAILURE-MODES 54)
constexpr size_t kMaxInlineBody = 1u << 20; // bytes of a body shown inline

constexpr std::string_view kStyle =
    R"(body{font-family:sans-serif;max-width:60em;margin:0 auto;padding:0 .6em;line-height:1.4;color:#222;background:#fff}
a{color:#04c}header a{text-decoration:none}h1{font-size:1.3em}h2{font-size:1.1em}
form.search{display:flex;flex-wrap:wrap;gap:.4em;margin:.6em 0}form.search input,form.search select{font-size:1em;padding:.2em}
form.search input[name=q]{flex:1 1 20em}.hits{list-style:none;padding:0}.hits li{margin:.8em 0;border-bottom:1px solid #ddd;padding-bottom:.5em}
.meta{color:#555;font-size:.9em}.snip{margin:.2em 0;font-size:.95em}mark{background:#ff6}b.m{font-weight:bold}
.facets{font-size:.9em;color:#444}.facets a{margin-right:.6em}.pager a{margin-right:1em}
pre{white-space:pre-wrap;word-wrap:break-word;font-size:.9em}details summary{color:#666;cursor:pointer;font-size:.85em}
table.tab{border-collapse:collapse}table.tab td,table.tab th{padding:.15em .5em;text-align:left;border-bottom:1px solid #eee}
img.chart{max-width:100%;height:auto}table.hdr th{text-align:left;vertical-align:top;padding-right:.6em}table.hdr td{word-break:break-all}
.node{border-left:2px solid #ccc;padding-left:.5em;margin:.6em 0}.ghost{color:#888}
.d1{margin-left:1em}.d2{margin-left:2em}.d3{margin-left:3em}.d4{margin-left:4em}.d5{margin-left:5em}
.d6{margin-left:6em}.d7{margin-left:6.5em}.d8{margin-left:7em}.d9{margin-left:7.5em}.d10{margin-left:8em}
@media (max-width:40em){.d1,.d2,.d3,.d4,.d5,.d6,.d7,.d8,.d9,.d10{margin-left:.5em}}
)";

std::string h(std::string_view s) { return html_escape(s); }

/// Strips the characters XML 1.0 does not allow (C0 controls but tab, LF, CR).
std::string xml_text(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (char c : s) {
        auto u = static_cast<unsigned char>(c);
        if (u < 0x20 && c != '\t' && c != '\n' && c != '\r') continue;
        out += c;
    }
    return html_escape(out);
}

struct Page {
    const Settings& settings;
    const Request& req;

    /// base + path; `path` must already be percent-encoded where needed.
    std::string url(std::string_view path) const { return settings.base + std::string(path); }

    /// The current query string with `changes` applied (empty value: removed).
    std::string query(std::initializer_list<std::pair<std::string, std::string>> changes) const {
        std::map<std::string, std::string> p = req.params;
        for (const auto& [k, v] : changes) {
            if (v.empty()) p.erase(k);
            else p[k] = v;
        }
        std::string out;
        for (const auto& [k, v] : p) {
            if (v.empty()) continue;
            out += out.empty() ? "?" : "&";
            out += percent_encode(k) + "=" + percent_encode(v);
        }
        return out;
    }

    std::string addr(std::string_view a) const {
        return settings.obfuscate ? obfuscate_address(a) : std::string(a);
    }
};

Response html_response(const Settings& s, int status, std::string_view title, std::string_view body) {
    Response r;
    r.status = status;
    r.body = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
             "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
             "<title>" + h(title) + "</title><link rel=\"stylesheet\" href=\"" +
             h(s.base + "/style.css") + "\"></head><body><header><a href=\"" + h(s.base + "/") +
             "\">mlarc archive</a> &middot; <a href=\"" + h(s.base + "/d/") +
             "\">deliverables</a> &middot; <a href=\"" + h(s.base + "/report") +
             "\">report</a></header>\n<main>\n";
    r.body += body;
    r.body += "\n</main></body></html>\n";
    return r;
}

Response error_page(const Settings& s, int status, std::string_view message) {
    std::string title = status_line(status);
    return html_response(s, status, title, "<h1>" + h(title) + "</h1><p>" + h(message) + "</p>");
}

/// usage -> 400, not_found -> 404 (message shown, escaped); anything else is
/// the server's problem: 503 with a generic message, the details to stderr.
Response error_response(const Settings& s, const Error& e) {
    if (e.code == Errc::usage) return error_page(s, 400, e.what());
    if (e.code == Errc::not_found) return error_page(s, 404, e.message);
    std::cerr << "mlarc.cgi: " << e.what() << "\n";
    return error_page(s, 503, "the archive cannot be read right now; try again later");
}

Result<size_t> parse_number(const std::string& text, size_t fallback, size_t min, size_t max,
                            std::string_view name) {
    if (text.empty()) return fallback;
    size_t v = 0;
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || p != text.data() + text.size() || v < min || v > max)
        return make_error(Errc::usage, "parameter '" + std::string(name) + "' must be a number from " +
                                           std::to_string(min) + " to " + std::to_string(max));
    return v;
}

/// Text with highlight markers -> escaped HTML with <mark>.
std::string highlighted(std::string_view s) {
    std::string out;
    bool open = false;
    size_t pos = 0;
    while (pos < s.size()) {
        size_t next = s.find_first_of("\x02\x03", pos);
        if (next == std::string_view::npos) next = s.size();
        out += h(s.substr(pos, next - pos));
        if (next < s.size()) {
            if (s[next] == kHiStart[0] && !open) out += "<mark>", open = true;
            else if (s[next] == kHiEnd[0] && open) out += "</mark>", open = false;
        }
        pos = next + 1;
    }
    if (open) out += "</mark>";
    return out;
}

/// A message body: quoted runs (lines starting with '>') folded in <details>;
/// at most kMaxInlineBody bytes of it (FAILURE-MODES 54), the raw link has all.
std::string body_html(std::string_view body) {
    std::string out;
    bool cut = body.size() > kMaxInlineBody;
    if (cut) {
        body = body.substr(0, kMaxInlineBody);
        while (!body.empty() && (static_cast<unsigned char>(body.back()) & 0xC0) == 0x80) body.remove_suffix(1);
        if (!body.empty() && static_cast<unsigned char>(body.back()) >= 0xC0) body.remove_suffix(1);
    }
    std::string block;
    bool quoted = false;
    size_t quoted_lines = 0;
    auto flush = [&] {
        if (block.empty()) return;
        if (quoted)
            out += "<details><summary>" + std::to_string(quoted_lines) + " quoted line" +
                   (quoted_lines == 1 ? "" : "s") + "</summary><pre>" + h(block) + "</pre></details>";
        else
            out += "<pre>" + h(block) + "</pre>";
        block.clear();
        quoted_lines = 0;
    };
    size_t pos = 0;
    while (pos < body.size()) {
        size_t nl = body.find('\n', pos);
        size_t end = nl == std::string_view::npos ? body.size() : nl + 1;
        std::string_view line = body.substr(pos, end - pos);
        pos = end;
        bool q = trim(line).starts_with('>');
        if (q != quoted) flush(), quoted = q;
        block += line;
        if (q) ++quoted_lines;
    }
    flush();
    if (cut) out += "<p class=\"meta\">(the text is cut here: it is longer than 1 MB)</p>";
    return out;
}

bool hidden(uint32_t flags) { return (flags & flag_no_archive) != 0; }

// --- obfuscation of the value types (HTML and JSON alike) -------------------

void obfuscate(MessageAddress& a) {
    a.name = obfuscate_text(a.name);
    a.address = obfuscate_address(a.address);
}

void obfuscate(SearchResult& r) {
    for (auto& hit : r.hits) {
        hit.subject = obfuscate_text(hit.subject);
        hit.snippet = obfuscate_text(hit.snippet);
        for (auto& a : hit.authors) {
            a.name = obfuscate_text(a.name);
            a.address = obfuscate_address(a.address);
        }
    }
    if (r.facets)
        for (auto& f : r.facets->authors) {
            f.key = obfuscate_address(f.key);
            f.label = obfuscate_text(f.label);
        }
}

void obfuscate(MessageView& m) {
    obfuscate(m.from);
    for (auto* v : {&m.to, &m.cc, &m.reply_to})
        for (auto& a : *v) obfuscate(a);
    m.subject = obfuscate_text(m.subject);
    m.headers = obfuscate_text(m.headers);
    m.body = obfuscate_text(m.body);
}

void obfuscate(ThreadView& t) {
    for (auto& n : t.nodes) {
        obfuscate(n.from);
        n.subject = obfuscate_text(n.subject);
    }
}

Response json_response(std::string body) {
    Response r;
    r.content_type = "application/json; charset=utf-8";
    r.body = std::move(body);
    return r;
}

template <typename F> std::string render_json(F&& fn) {
    std::ostringstream out, err;
    auto renderer = make_renderer(Format::json, out, err);
    fn(*renderer);
    return out.str();
}

Result<std::string> format_param(const Request& req) {
    std::string f = req.param("format");
    if (f.empty() || f == "html" || f == "json" || f == "atom") return f.empty() ? "html" : f;
    return make_error(Errc::usage, "parameter 'format' must be html, json or atom");
}

// --- search and list pages -------------------------------------------------

std::string date_of(int64_t utc) { return utc ? format_date_utc(utc) : std::string("?"); }

std::string search_form(const Page& pg, Archive& archive, const std::string& list) {
    const auto& p = pg.req;
    std::string f = "<form class=\"search\" method=\"get\" action=\"" + h(pg.url("/search")) + "\">";
    f += "<input type=\"search\" name=\"q\" placeholder=\"search\" aria-label=\"query\" value=\"" +
         h(p.param("q")) + "\">";
    f += "<select name=\"list\" aria-label=\"list\"><option value=\"\">all lists</option>";
    if (auto lists = archive.lists(); lists.ok())
        for (const auto& l : **lists)
            f += "<option value=\"" + h(l.name) + "\"" + (l.name == list ? " selected" : "") + ">" +
                 h(l.name) + "</option>";
    f += "</select>";
    std::set<int> wgs;
    if (auto lists = archive.lists(); lists.ok())
        for (const auto& l : **lists)
            if (l.wg >= 0) wgs.insert(l.wg);
    if (!wgs.empty()) {
        f += "<select name=\"wg\" aria-label=\"working group\"><option value=\"\">all groups</option>";
        for (int wg : wgs) {
            std::string v = std::to_string(wg);
            f += "<option value=\"" + v + "\"" + (p.param("wg") == v ? " selected" : "") + ">" +
                 (wg == 0 ? std::string("main list") : "WG" + v) + "</option>";
        }
        f += "</select>";
    }
    f += "<input name=\"author\" placeholder=\"author\" aria-label=\"author\" value=\"" +
         h(p.param("author")) + "\">";
    f += "<input name=\"since\" placeholder=\"from YYYY-MM-DD\" aria-label=\"from\" size=\"11\" value=\"" +
         h(p.param("since").empty() ? p.param("from") : p.param("since")) + "\">";
    f += "<input name=\"until\" placeholder=\"to YYYY-MM-DD\" aria-label=\"to\" size=\"11\" value=\"" +
         h(p.param("until").empty() ? p.param("to") : p.param("until")) + "\">";
    f += "<select name=\"sort\" aria-label=\"sort\">";
    for (std::string_view s : {"newest", "oldest", "relevance"})
        f += "<option" + std::string(p.param("sort") == s ? " selected" : "") + ">" + std::string(s) +
             "</option>";
    f += "</select><button type=\"submit\">Search</button></form>";
    return f;
}

std::string hits_html(const Page& pg, const SearchResult& r) {
    std::string out = "<ol class=\"hits\">";
    for (const auto& hit : r.hits) {
        out += "<li><a href=\"" + h(pg.url("/t/" + std::to_string(hit.thread_id))) + "\">" +
               h(hit.subject.empty() ? "(no subject)" : hit.subject) + "</a><div class=\"meta\">";
        for (const auto& l : hit.lists)
            out += "<a href=\"" + h(pg.url("/l/" + percent_encode(l))) + "\">" + h(l) + "</a> ";
        out += "&middot; ";
        size_t shown = 0;
        for (const auto& a : hit.authors) {
            if (shown++ == 5) {
                out += "&hellip; ";
                break;
            }
            std::string who = h(a.name.empty() ? pg.addr(a.address) : a.name);
            out += a.matched ? "<b class=\"m\">" + who + "</b>, " : who + ", ";
        }
        out += std::to_string(hit.matched) + "/" + std::to_string(hit.total) + " messages &middot; " +
               h(date_of(hit.last_utc)) + "</div>";
        if (!hit.snippet.empty()) out += "<p class=\"snip\">" + highlighted(hit.snippet) + "</p>";
        out += "</li>\n";
    }
    return out + "</ol>";
}

std::string facets_html(const Page& pg, const Facets& f) {
    std::string out = "<div class=\"facets\">";
    auto row = [&](std::string_view title, const std::vector<FacetCount>& v, auto&& link) {
        if (v.empty()) return;
        out += "<p>" + std::string(title) + ": ";
        for (const auto& c : v)
            out += "<a href=\"" + h(link(c)) + "\">" + h(c.label) + "</a>(" + std::to_string(c.count) + ") ";
        out += "</p>";
    };
    row("Lists", f.lists, [&](const FacetCount& c) { return pg.url("/search") + pg.query({{"list", c.key}, {"page", ""}}); });
    if (!pg.settings.obfuscate)
        row("Authors", f.authors,
            [&](const FacetCount& c) { return pg.url("/search") + pg.query({{"author", c.key}, {"page", ""}}); });
    if (f.authors.empty() && f.messages > kAuthorFacetMax)
        out += "<p>Authors: counted for searches of at most " + format_count(kAuthorFacetMax) +
               " messages; narrow this one by list, date or more words.</p>";
    row("Months", f.months, [&](const FacetCount& c) {
        return pg.url("/search") +
               pg.query({{"since", c.key}, {"until", c.key}, {"from", ""}, {"to", ""}, {"page", ""}});
    });
    return out + "</div>";
}

Response atom_feed(const Page& pg, const SearchResult& r, std::string_view title) {
    Response resp;
    resp.content_type = "application/atom+xml; charset=utf-8";
    int64_t updated = 0;
    for (const auto& hit : r.hits) updated = std::max(updated, hit.last_utc);
    std::string& b = resp.body;
    b = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">";
    b += "<title>" + xml_text(title) + "</title>";
    b += "<id>urn:mlarc:feed:" + xml_text(percent_encode(std::string(title))) + "</id>";
    b += "<updated>" + format_iso8601(updated, 0) + "</updated>";
    b += "<link rel=\"alternate\" href=\"" + xml_text(pg.url("/search") + pg.query({{"format", ""}})) + "\"/>\n";
    for (const auto& hit : r.hits) {
        b += "<entry><title>" + xml_text(hit.subject) + "</title>";
        b += "<id>mid:" + xml_text(percent_encode(hit.mid)) + "</id>";
        b += "<link href=\"" + xml_text(pg.url("/m/" + percent_encode(hit.mid))) + "\"/>";
        b += "<updated>" + format_iso8601(hit.date_utc, 0) + "</updated><author><name>";
        if (!hit.authors.empty()) {
            const auto& a = hit.authors.front();
            b += xml_text(a.name.empty() ? pg.addr(a.address) : a.name);
        }
        b += "</name></author>";
        std::string snip = hit.snippet;
        std::erase_if(snip, [](char c) { return c == kHiStart[0] || c == kHiEnd[0]; });
        b += "<summary>" + xml_text(snip) + "</summary></entry>\n";
    }
    b += "</feed>\n";
    return resp;
}

/// "YYYY-MM" -> "March 2018".
std::string month_title(std::string_view ym) {
    static constexpr std::string_view kNames[] = {"January",   "February", "March",    "April",
                                                  "May",       "June",     "July",     "August",
                                                  "September", "October",  "November", "December"};
    const int m = std::atoi(std::string(ym.substr(5, 2)).c_str());
    return std::string(kNames[(m >= 1 && m <= 12 ? m : 1) - 1]) + " " +
           std::string(ym.substr(0, 4));
}

/// True for "YYYY-MM" with a month 01-12.
bool is_month(std::string_view s) {
    if (s.size() != 7 || s[4] != '-') return false;
    for (size_t i : {0, 1, 2, 3, 5, 6})
        if (s[i] < '0' || s[i] > '9') return false;
    const int m = (s[5] - '0') * 10 + (s[6] - '0');
    return m >= 1 && m <= 12;
}

/// The months of a list with messages, newest first (see month_counts()).
Result<std::vector<FacetCount>> list_months(Archive& archive, const std::string& list) {
    QuerySpec spec;
    spec.lists.push_back(list);
    return month_counts(archive, spec);
}

/// Links to the older and newer months of `list` around `month` (the months
/// that have messages) and to the month index.
std::string month_nav(const Page& pg, const std::vector<FacetCount>& months,
                      const std::string& list, const std::string& month) {
    const std::string base = "/l/" + percent_encode(list) + "/";
    std::string older, newer;
    for (const auto& m : months) { // newest first
        if (m.key > month)
            newer = m.key;
        else if (m.key < month && older.empty())
            older = m.key;
    }
    std::string out = "<p class=\"pager\">";
    if (!older.empty())
        out += "<a rel=\"prev\" href=\"" + h(pg.url(base + older)) + "\">&larr; " +
               h(month_title(older)) + "</a>";
    out += "<a href=\"" + h(pg.url(base + "months")) + "\">all months</a>";
    if (!newer.empty())
        out += "<a rel=\"next\" href=\"" + h(pg.url(base + newer)) + "\">" + h(month_title(newer)) +
               " &rarr;</a>";
    return out + "</p>";
}

/// /l/<list>/months: the months of a list, newest first, a row per year.
Response months_page(Archive& archive, const Page& pg, const std::string& list) {
    auto months = list_months(archive, list);
    if (!months.ok()) return error_response(pg.settings, months.error());
    const std::string title = "List " + list + " by month";
    std::string b = "<h1>" + h(title) + "</h1><p class=\"meta\"><a href=\"" +
                    h(pg.url("/l/" + percent_encode(list))) + "\">latest threads</a></p>";
    if (months->empty())
        b += "<p>No messages.</p>";
    else
        b += "<table class=\"tab\"><tr><th>year</th><th>months (messages)</th></tr>";
    std::string year;
    for (const auto& m : *months) {
        if (m.key.substr(0, 4) != year) {
            if (!year.empty()) b += "</td></tr>";
            year = m.key.substr(0, 4);
            b += "<tr><th>" + h(year) + "</th><td>";
        }
        b += "<a href=\"" + h(pg.url("/l/" + percent_encode(list) + "/" + m.key)) + "\">" +
             h(month_title(m.key).substr(0, 3)) + "</a>(" + std::to_string(m.count) + ") ";
    }
    if (!months->empty()) b += "</td></tr></table>";
    return html_response(pg.settings, 200, title, b);
}

/// Search results as HTML, JSON or Atom. `fixed_list`: the /l/<list> view;
/// with `month` (YYYY-MM), the list's threads of that month
/// (/l/<list>/<month>: an overview without snippets or facets, with links
/// to the months before and after).
Response search_page(Archive& archive, const Page& pg, const std::string& fixed_list, bool atom,
                     const std::string& month = "") {
    const Request& req = pg.req;
    auto format = format_param(req);
    if (!format.ok()) return error_response(pg.settings, format.error());
    if (atom) *format = "atom";
    auto n = parse_number(req.param("n"), month.empty() ? kDefaultPageSize : kMonthPageSize, 1,
                          kMaxPageSize, "n");
    if (!n.ok()) return error_response(pg.settings, n.error());
    auto page = parse_number(req.param("page"), 1, 1, kMaxWebOffset + 1, "page");
    if (!page.ok()) return error_response(pg.settings, page.error());
    size_t offset = (*page - 1) * *n;
    if (offset > kMaxWebOffset)
        return error_page(pg.settings, 400, "results beyond the first " + std::to_string(kMaxWebOffset) +
                                                " are not shown; narrow the search");
    auto sort = parse_sort_order(req.param("sort").empty() ? "newest" : req.param("sort"));
    if (!sort.ok()) return error_response(pg.settings, sort.error());

    QuerySpec spec;
    spec.text = req.param("q");
    std::string list = fixed_list.empty() ? req.param("list") : fixed_list;
    if (!list.empty()) spec.lists.push_back(list);
    if (!req.param("wg").empty() && fixed_list.empty()) {
        auto wg = parse_number(req.param("wg"), 0, 0, 999, "wg");
        if (!wg.ok()) return error_response(pg.settings, wg.error());
        spec.wg = static_cast<int>(*wg);
    }
    spec.author = req.param("author");
    spec.since = req.param("since").empty() ? req.param("from") : req.param("since");
    spec.until = req.param("until").empty() ? req.param("to") : req.param("until");
    if (!month.empty()) { // the month page: the list's threads of that month
        spec = QuerySpec{};
        spec.lists.push_back(fixed_list);
        spec.since = spec.until = month;
    }

    SearchOptions o;
    o.sort = *sort;
    o.offset = offset;
    o.limit = *n;
    // Facets over the whole archive (an empty search) are the costliest
    // request there is (FAILURE-MODES 52): only for a narrowed search. They
    // are made where they are read: the first HTML page of a search (later
    // pages link back to it; the JSON, as `mlarc search --format json`
    // without --facets, has none), by search() itself from the matches it
    // visited for the page (lists from one value stream, months from the
    // dates read for the sort). Above kAuthorFacetMax matching messages the
    // authors are not counted. (Until 2026-12-02 the list and month facets
    // were counted by a second pass, one filtered count per list and month
    // term: 82 of the 156 M instructions of `q=kernel` on linux-mips.)
    bool narrowed = !trim(spec.text).empty() || !spec.author.empty() || !spec.since.empty() ||
                    !spec.until.empty() || spec.wg || (!spec.lists.empty() && fixed_list.empty());
    const bool want_facets =
        narrowed && month.empty() && fixed_list.empty() && *page == 1 && *format == "html";
    o.facets = want_facets;
    o.facet_author_max = kAuthorFacetMax;
    o.snippets = month.empty();
    std::unique_ptr<Renderer> json;
    std::ostringstream json_out, json_err;
    if (*format == "json") {
        json = make_renderer(Format::json, json_out, json_err);
        std::tie(o.hi_start, o.hi_end) = json->highlight_markers();
    } else {
        o.hi_start = kHiStart;
        o.hi_end = kHiEnd;
    }
    o.time_limit = pg.settings.query_seconds;
    auto r = search(archive, spec, o);
    if (!r.ok()) return error_response(pg.settings, r.error());
    if (r->timed_out) {
        // FAILURE-MODES 52: one request must not hog the server.
        Response busy = error_page(pg.settings, 503,
                                   "the search took too long and was stopped; narrow it (a list, "
                                   "dates, fewer or longer words) and try again");
        busy.headers.emplace_back("Retry-After", "10");
        return busy;
    }
    std::erase_if(r->hits, [](const Hit& hit) { return hidden(hit.flags); });
    if (pg.settings.obfuscate) obfuscate(*r);

    if (json) {
        json->search(*r);
        return json_response(json_out.str());
    }
    std::string title = fixed_list.empty()
                            ? (spec.text.empty() ? std::string("Search") : "Search: " + spec.text)
                        : month.empty() ? "List " + fixed_list
                                        : "List " + fixed_list + ": " + month_title(month);
    if (*format == "atom") return atom_feed(pg, *r, title);

    std::string b = "<h1>" + h(title) + "</h1>" + search_form(pg, archive, list);
    const Total& total = r->by_thread ? r->threads : r->messages;
    b += "<p class=\"meta\">" + std::string(total.exact ? "" : "about ") +
         h(format_count(total.value)) + " threads, " + (r->messages.exact ? "" : "about ") +
         h(format_count(r->messages.value)) + " messages";
    if (!r->hits.empty())
        b += " &middot; showing " + std::to_string(offset + 1) + "&ndash;" +
             std::to_string(offset + r->hits.size());
    std::string here =
        fixed_list.empty() ? pg.url("/search") : pg.url("/l/" + percent_encode(fixed_list));
    if (!month.empty()) here += "/" + month;
    if (month.empty()) {
        std::string atom_url = fixed_list.empty()
                                   ? here + pg.query({{"format", "atom"}, {"page", ""}})
                                   : here + "/atom";
        b += " &middot; <a href=\"" + h(atom_url) + "\">Atom</a>";
    }
    if (!fixed_list.empty() && month.empty())
        b += " &middot; <a href=\"" + h(here + "/months") + "\">by month</a>";
    b += " &middot; <a href=\"" + h(here + pg.query({{"format", "json"}})) + "\">JSON</a></p>";
    if (!month.empty()) {
        auto months = list_months(archive, fixed_list);
        if (!months.ok()) return error_response(pg.settings, months.error());
        b += month_nav(pg, *months, fixed_list, month);
    }
    if (r->facets && fixed_list.empty()) b += facets_html(pg, *r->facets);
    b += r->hits.empty() ? std::string("<p>No messages match.</p>") : hits_html(pg, *r);
    b += "<p class=\"pager\">";
    if (*page > 1)
        b += "<a rel=\"prev\" href=\"" + h(here + pg.query({{"page", std::to_string(*page - 1)}})) +
             "\">&larr; newer</a>";
    if (offset + *n < total.value && offset + *n <= kMaxWebOffset)
        b += "<a rel=\"next\" href=\"" + h(here + pg.query({{"page", std::to_string(*page + 1)}})) +
             "\">older &rarr;</a>";
    b += "</p>";
    return html_response(pg.settings, 200, title, b);
}

// --- messages and threads --------------------------------------------------

std::string address_html(const Page& pg, const MessageAddress& a) {
    if (a.name.empty()) return h(pg.addr(a.address));
    return h(a.name) + " &lt;" + h(pg.addr(a.address)) + "&gt;";
}

std::string addresses_html(const Page& pg, const std::vector<MessageAddress>& v) {
    std::string out;
    for (const auto& a : v) out += (out.empty() ? "" : ", ") + address_html(pg, a);
    return out;
}

/// The message typed in a /m/ URL, hidden ones reported as not found.
Result<MessageView> visible_message(Archive& archive, const std::string& mid) {
    auto id = resolve_message(archive, "mid:" + mid);
    if (!id.ok() && id.error().code == Errc::not_found && mid.find("%2F") != std::string::npos) {
        // Servers that leave %2F encoded in PATH_INFO (lighttpd's default).
        std::string slashes = mid;
        for (size_t p = slashes.find("%2F"); p != std::string::npos; p = slashes.find("%2F", p + 1))
            slashes.replace(p, 3, "/");
        id = resolve_message(archive, "mid:" + slashes);
    }
    if (!id.ok()) return id.error();
    auto m = read_message(archive, *id);
    if (!m.ok()) return m.error();
    if (hidden(m->flags)) return make_error(Errc::not_found, "no message with that Message-ID");
    return m;
}

Response message_page(Archive& archive, const Page& pg, const std::string& mid) {
    auto format = format_param(pg.req);
    if (!format.ok()) return error_response(pg.settings, format.error());
    auto m = visible_message(archive, mid);
    if (!m.ok()) return error_response(pg.settings, m.error());
    if (pg.settings.obfuscate) obfuscate(*m);
    if (*format == "json")
        return json_response(render_json([&](Renderer& r) { r.message(*m, false); }));
    std::string mid_url = "/m/" + percent_encode(m->mid);
    std::string b = "<h1>" + h(m->subject.empty() ? "(no subject)" : m->subject) + "</h1><table class=\"hdr\">";
    auto row = [&](std::string_view name, const std::string& html) {
        if (!html.empty()) b += "<tr><th>" + std::string(name) + "</th><td>" + html + "</td></tr>";
    };
    row("From", address_html(pg, m->from));
    row("To", addresses_html(pg, m->to));
    row("Cc", addresses_html(pg, m->cc));
    row("Date", h(format_iso8601(m->date_utc, m->date_offset)));
    std::string lists;
    for (const auto& l : m->lists)
        lists += "<a href=\"" + h(pg.url("/l/" + percent_encode(l))) + "\">" + h(l) + "</a> ";
    row("Lists", lists);
    row("Message-ID", "<a href=\"" + h(pg.url(mid_url)) + "\">" + h(m->mid) + "</a>");
    if (!m->parent_mid.empty())
        row("In reply to", "<a href=\"" + h(pg.url("/m/" + percent_encode(m->parent_mid))) + "\">" +
                               h(m->parent_mid) + "</a>");
    std::string links = "<a href=\"" + h(pg.url("/t/" + std::to_string(m->thread_id))) + "\">thread</a>";
    if (!pg.settings.obfuscate)
        links += " &middot; <a href=\"" + h(pg.url(mid_url + "/raw")) + "\">raw</a> &middot; <a href=\"" +
                 h(pg.url("/t/" + std::to_string(m->thread_id) + "/mbox")) + "\">thread mbox</a>";
    links += " &middot; <a href=\"" + h(pg.url(mid_url) + "?format=json") + "\">JSON</a>";
    row("Links", links);
    std::string att;
    for (const auto& a : m->attachments)
        att += "<a href=\"" + h(pg.url(mid_url + "/a/" + std::to_string(a.part_no))) + "\">" +
               h(a.filename.empty() ? "(unnamed)" : a.filename) + "</a> (" + h(a.content_type) + ", " +
               h(human_bytes(a.size)) + ")<br>";
    row("Attachments", att);
    b += "</table>";
    b += "<details><summary>all headers</summary><pre>" + h(m->headers) + "</pre></details>";
    b += body_html(m->body);
    return html_response(pg.settings, 200, m->subject, b);
}

Response raw_page(Archive& archive, const Page& pg, const std::string& mid) {
    if (pg.settings.obfuscate)
        return error_page(pg.settings, 403, "raw messages are not served while addresses are obfuscated");
    auto m = visible_message(archive, mid);
    if (!m.ok()) return error_response(pg.settings, m.error());
    auto raw = read_raw(archive, m->id);
    if (!raw.ok()) return error_response(pg.settings, raw.error());
    Response r;
    r.content_type = "text/plain; charset=utf-8";
    r.headers.emplace_back("Content-Disposition", "inline");
    r.body = std::move(*raw);
    return r;
}

/// An attachment, decoded, as a download a browser never renders (FAILURE-
/// MODES 49): application/octet-stream, Content-Disposition: attachment.
Response attachment_page(Archive& archive, const Page& pg, const std::string& mid, int part_no) {
    auto m = visible_message(archive, mid);
    if (!m.ok()) return error_response(pg.settings, m.error());
    auto a = read_attachment(archive, m->id, part_no);
    if (!a.ok()) return error_response(pg.settings, a.error());
    Response r;
    r.content_type = "application/octet-stream";
    r.headers.emplace_back("Content-Disposition", content_disposition_attachment(a->info.filename));
    r.body = std::move(a->bytes);
    return r;
}

/// The thread typed in a /t/ URL (a thread number), with the messages that
/// must not be shown turned into ghosts. `views` gets the messages read.
Result<ThreadView> visible_thread(Archive& archive, const std::string& id,
                                  std::map<int64_t, MessageView>* views) {
    if (id.empty() || id.find_first_not_of("0123456789") != std::string::npos || id.size() > 18)
        return make_error(Errc::not_found, "no such thread");
    auto tid = resolve_thread(archive, "thread:" + id);
    if (!tid.ok()) return tid.error();
    auto t = read_thread(archive, *tid);
    if (!t.ok()) return t.error();
    uint64_t visible = 0;
    for (auto& n : t->nodes) {
        if (n.message_id == 0) continue;
        auto m = read_message(archive, n.message_id);
        if (!m.ok()) return m.error();
        if (hidden(m->flags)) {
            n = ThreadNodeView{n.depth, 0, n.mid, 0, 0, {}, {}, n.parent_reason};
            continue;
        }
        ++visible;
        if (views && views->size() < kMaxThreadBodies) views->emplace(n.message_id, std::move(*m));
    }
    if (visible == 0) return make_error(Errc::not_found, "no such thread");
    t->messages = visible;
    return t;
}

Response thread_page(Archive& archive, const Page& pg, const std::string& id) {
    auto format = format_param(pg.req);
    if (!format.ok()) return error_response(pg.settings, format.error());
    std::map<int64_t, MessageView> views;
    auto t = visible_thread(archive, id, *format == "json" ? nullptr : &views);
    if (!t.ok()) return error_response(pg.settings, t.error());
    if (pg.settings.obfuscate) {
        obfuscate(*t);
        for (auto& [mid, v] : views) obfuscate(v);
    }
    if (*format == "json") return json_response(render_json([&](Renderer& r) { r.thread(*t); }));
    std::string title;
    for (const auto& n : t->nodes)
        if (n.message_id) {
            title = n.subject;
            break;
        }
    std::string b = "<h1>" + h(title.empty() ? "(no subject)" : title) + "</h1><p class=\"meta\">" +
                    std::to_string(t->messages) + " messages &middot; <a href=\"" +
                    h(pg.url("/t/" + id) + "?format=json") + "\">JSON</a>";
    if (!pg.settings.obfuscate) b += " &middot; <a href=\"" + h(pg.url("/t/" + id + "/mbox")) + "\">mbox</a>";
    b += "</p>";
    size_t shown = 0;
    for (const auto& n : t->nodes) {
        if (shown++ == kMaxThreadNodes) {
            b += "<p class=\"meta\">(only the first " + std::to_string(kMaxThreadNodes) +
                 " messages are shown; the JSON and the mbox have them all)</p>";
            break;
        }
        b += "<div class=\"node d" + std::to_string(std::min(n.depth, 10)) + "\">";
        if (n.message_id == 0) {
            b += "<p class=\"ghost\">(a message not in the archive)</p></div>";
            continue;
        }
        b += "<p><a href=\"" + h(pg.url("/m/" + percent_encode(n.mid))) + "\">" +
             h(n.subject.empty() ? "(no subject)" : n.subject) + "</a><br><span class=\"meta\">" +
             address_html(pg, n.from) + " &middot; " + h(format_iso8601(n.date_utc, n.date_offset)) +
             "</span></p>";
        if (auto it = views.find(n.message_id); it != views.end()) b += body_html(it->second.body);
        b += "</div>\n";
    }
    return html_response(pg.settings, 200, title, b);
}

Response mbox_page(Archive& archive, const Page& pg, const std::string& id) {
    if (pg.settings.obfuscate)
        return error_page(pg.settings, 403, "mbox downloads are not served while addresses are obfuscated");
    auto t = visible_thread(archive, id, nullptr);
    if (!t.ok()) return error_response(pg.settings, t.error());
    std::vector<int64_t> ids;
    for (const auto& n : t->nodes)
        if (n.message_id) ids.push_back(n.message_id);
    std::ostringstream out;
    auto rep = export_mbox(archive, ids, out);
    if (!rep.ok()) return error_response(pg.settings, rep.error());
    Response r;
    r.content_type = "application/mbox";
    r.headers.emplace_back("Content-Disposition", "attachment; filename=\"thread-" + id + ".mbox\"");
    r.body = out.str();
    return r;
}

/// /l/<list>[/atom|/months|/<YYYY-MM>] (`sub`: what follows the name).
Response list_page(Archive& archive, const Page& pg, const std::string& name,
                   const std::string& sub) {
    auto lists = archive.lists();
    if (!lists.ok()) return error_response(pg.settings, lists.error());
    for (const auto& l : **lists) {
        if (l.name != name && l.address != name) continue;
        if (sub.empty() || sub == "atom") return search_page(archive, pg, l.name, sub == "atom");
        if (sub == "months") return months_page(archive, pg, l.name);
        if (is_month(sub)) return search_page(archive, pg, l.name, false, sub);
        return error_page(pg.settings, 404, "no such page");
    }
    return error_page(pg.settings, 404, "no list named '" + name + "'");
}

// --- deliverables and the report (lib/report) -------------------------------

Result<Registry> registry_of(Archive& archive) {
    auto dir = find_registry_dir(archive.dir());
    if (!dir.ok()) return dir.error();
    return load_registry(*dir);
}

std::string day_of(int64_t utc) { return utc ? format_date_utc(utc).substr(0, 10) : std::string("-"); }

/// /d/: every deliverable of the registry with its mention counts.
Response deliverables_page(Archive& archive, const Page& pg) {
    auto store = archive.store();
    if (!store.ok()) return error_response(pg.settings, store.error());
    auto reg = registry_of(archive);
    if (!reg.ok()) return error_response(pg.settings, reg.error());
    auto sum = links_summary(**store, *reg);
    if (!sum.ok()) return error_response(pg.settings, sum.error());
    std::string b = "<h1>Deliverables</h1><table class=\"tab\"><tr><th>id</th><th>title</th>"
                    "<th>threads</th><th>messages</th><th>first</th><th>last</th></tr>";
    for (const auto& d : *sum) {
        b += "<tr><td><a href=\"" + h(pg.url("/d/" + percent_encode(d.id))) + "\">" + h(d.id) +
             "</a></td><td>" + h(d.title) + "</td>";
        if (d.never_discussed()) {
            b += "<td colspan=\"4\" class=\"meta\">never discussed</td></tr>";
            continue;
        }
        b += "<td>" + std::to_string(d.threads) + "</td><td>" + std::to_string(d.messages) + "</td><td>" +
             h(day_of(d.first)) + "</td><td>" + h(day_of(d.last)) + "</td></tr>";
    }
    return html_response(pg.settings, 200, "Deliverables", b + "</table>");
}

/// /d/<id>: the threads that mention one deliverable.
Response deliverable_page(Archive& archive, const Page& pg, const std::string& id) {
    auto store = archive.store();
    if (!store.ok()) return error_response(pg.settings, store.error());
    auto reg = registry_of(archive);
    if (!reg.ok()) return error_response(pg.settings, reg.error());
    const Deliverable* d = reg->find_deliverable(id);
    if (!d) return error_page(pg.settings, 404, "no deliverable '" + id + "'");
    auto threads = deliverable_threads(**store, d->id);
    if (!threads.ok()) return error_response(pg.settings, threads.error());
    std::string title = d->id + " " + d->title;
    std::string b = "<h1>" + h(title) + "</h1><p class=\"meta\">" + std::to_string(threads->size()) +
                    " threads mention it</p><table class=\"tab\"><tr><th>thread</th><th>first</th>"
                    "<th>last</th><th>messages</th><th>participants</th><th>mentioning</th></tr>";
    for (const auto& t : *threads) {
        std::string subj = pg.settings.obfuscate ? obfuscate_text(t.subject) : t.subject;
        b += "<tr><td><a href=\"" + h(pg.url("/t/" + std::to_string(t.thread_id))) + "\">" +
             h(subj.empty() ? "(no subject)" : subj) + "</a></td><td>" + h(day_of(t.first)) + "</td><td>" +
             h(day_of(t.last)) + "</td><td>" + std::to_string(t.messages) + "</td><td>" +
             std::to_string(t.participants) + "</td><td>" + std::to_string(t.mentioning) + "</td></tr>";
    }
    return html_response(pg.settings, 200, title, b + "</table>");
}

/// /report and /report/chart.svg: the FG-DPM figures for since..until
/// (default: everything up to today) and the SVG chart (served as an image,
/// no script in it).
Response report_page(Archive& archive, const Page& pg, bool chart) {
    const auto now = static_cast<int64_t>(std::time(nullptr));
    ReportOptions o;
    const std::string since = pg.req.param("since"), until = pg.req.param("until");
    if (!since.empty()) {
        auto v = parse_user_date(since, now, false);
        if (!v.ok()) return error_response(pg.settings, v.error());
        o.since = *v;
    }
    auto u = parse_user_date(until.empty() ? "today" : until, now, true);
    if (!u.ok()) return error_response(pg.settings, u.error());
    o.until = *u;
    if (!pg.req.param("list").empty()) o.lists.push_back(pg.req.param("list"));
    auto store = archive.store();
    if (!store.ok()) return error_response(pg.settings, store.error());
    auto r = build_report(**store, o);
    if (!r.ok()) return error_response(pg.settings, r.error());
    if (chart) {
        Response resp;
        resp.content_type = "image/svg+xml";
        resp.body = report_chart_svg(*r);
        return resp;
    }
    std::string b = "<h1>Report " + h(day_of(r->since)) + " to " + h(day_of(r->until)) + "</h1>";
    b += "<form class=\"search\" method=\"get\" action=\"" + h(pg.url("/report")) + "\">"
         "<input name=\"since\" placeholder=\"from YYYY-MM-DD\" aria-label=\"from\" size=\"11\" value=\"" +
         h(since) + "\"><input name=\"until\" placeholder=\"to YYYY-MM-DD\" aria-label=\"to\" size=\"11\" value=\"" +
         h(until) + "\"><button type=\"submit\">Report</button></form>";
    b += "<table class=\"tab\">";
    auto row = [&](std::string_view name, int64_t v) {
        b += "<tr><th>" + std::string(name) + "</th><td>" + std::to_string(v) + "</td></tr>";
    };
    row("emails", r->emails);
    row("deliveries", r->deliveries);
    row("threads started", r->threads_started);
    row("replies", r->replies);
    row("posters", r->posters);
    row("subscribers", r->subscribers);
    b += "</table><p><img class=\"chart\" alt=\"deliveries per month and list\" src=\"" +
         h(pg.url("/report/chart.svg") + pg.query({})) + "\"></p><h2>Lists</h2><table class=\"tab\">"
         "<tr><th>list</th><th>deliveries</th><th>subscribers</th></tr>";
    for (const auto& l : r->lists)
        b += "<tr><td><a href=\"" + h(pg.url("/l/" + percent_encode(l.name))) + "\">" + h(l.name) +
             "</a></td><td>" + std::to_string(l.deliveries) + "</td><td>" + std::to_string(l.subscribers) +
             "</td></tr>";
    b += "</table><h2>Busiest threads</h2><ol>";
    for (const auto& t : r->busiest) {
        std::string subj = pg.settings.obfuscate ? obfuscate_text(t.subject) : t.subject;
        b += "<li><a href=\"" + h(pg.url("/t/" + std::to_string(t.thread_id))) + "\">" +
             h(subj.empty() ? "(no subject)" : subj) + "</a> (" + std::to_string(t.emails) + ")</li>";
    }
    return html_response(pg.settings, 200, "Report", b + "</ol>");
}

Response route(Archive& archive, const Page& pg) {
    const std::string& path = pg.req.path;
    // A missing or unreadable archive is the server's problem, not the
    // visitor's: 503, details (paths) to the server log only.
    if (auto lists = archive.lists(); !lists.ok()) {
        std::cerr << "mlarc.cgi: " << lists.error().what() << "\n";
        return error_page(pg.settings, 503, "the archive is not available");
    }
    if (auto index = archive.index(); !index.ok()) {
        std::cerr << "mlarc.cgi: " << index.error().what() << "\n";
        return error_page(pg.settings, 503, "the search index is not available");
    }
    if (path == "/" || path == "/search") return search_page(archive, pg, "", false);
    auto rest = [&](std::string_view prefix) { return path.substr(prefix.size()); };
    auto strip_suffix = [](std::string& s, std::string_view suffix) {
        if (s.size() > suffix.size() && s.ends_with(suffix)) {
            s.resize(s.size() - suffix.size());
            return true;
        }
        return false;
    };
    if (path == "/report" || path == "/report/") return report_page(archive, pg, false);
    if (path == "/report/chart.svg") return report_page(archive, pg, true);
    if (path == "/d" || path == "/d/") return deliverables_page(archive, pg);
    if (path.starts_with("/d/")) return deliverable_page(archive, pg, rest("/d/"));
    if (path.starts_with("/m/")) {
        std::string mid = rest("/m/");
        // /m/<mid>/a/<part>: an attachment (part: 1 to 4 digits).
        if (size_t a = mid.rfind("/a/"); a != std::string::npos && a > 0 && mid.size() - a > 3 &&
                                          mid.size() - a <= 7 &&
                                          mid.find_first_not_of("0123456789", a + 3) == std::string::npos)
            return attachment_page(archive, pg, mid.substr(0, a), std::stoi(mid.substr(a + 3)));
        bool raw = strip_suffix(mid, "/raw");
        if (!raw) strip_suffix(mid, "/");
        return raw ? raw_page(archive, pg, mid) : message_page(archive, pg, mid);
    }
    if (path.starts_with("/t/")) {
        std::string id = rest("/t/");
        if (strip_suffix(id, "/mbox")) return mbox_page(archive, pg, id);
        strip_suffix(id, "/");
        return thread_page(archive, pg, id);
    }
    if (path.starts_with("/l/")) {
        // /l/<list>, /l/<list>/atom, /l/<list>/months, /l/<list>/<YYYY-MM>
        std::string name = rest("/l/");
        strip_suffix(name, "/");
        std::string sub;
        if (size_t slash = name.rfind('/'); slash != std::string::npos) {
            std::string last = name.substr(slash + 1);
            if (last == "atom" || last == "months" || is_month(last)) {
                sub = last;
                name.resize(slash);
            }
        }
        return list_page(archive, pg, name, sub);
    }
    return error_page(pg.settings, 404, "no such page");
}

} // namespace

Settings settings_from_env() {
    Settings s;
    const char* o = std::getenv("MLARC_OBFUSCATE_ADDRESSES");
    s.obfuscate = o && std::string_view(o) != "" && std::string_view(o) != "0";
    if (const char* t = std::getenv("MLARC_QUERY_TIME_LIMIT")) {
        char* end = nullptr;
        double v = std::strtod(t, &end);
        if (end != t && *end == '\0' && v >= 0 && v <= 3600)
            s.query_seconds = v;
        else // the server's log: a typo must not pass for a setting
            std::cerr << "mlarc web: MLARC_QUERY_TIME_LIMIT=\"" << t
                      << "\" is not a number of seconds from 0 to 3600; using " << s.query_seconds
                      << "\n";
    }
    if (const char* b = std::getenv("MLARC_BASE_URL")) {
        s.base = b;
        while (!s.base.empty() && s.base.back() == '/') s.base.pop_back();
    }
    return s;
}

Response handle(Archive& archive, const Settings& settings, std::string_view method,
                std::string_view path_info, std::string_view query_string) {
    try {
        auto req = parse_request(method, path_info, query_string);
        if (!req.ok()) {
            const std::string& msg = req.error().message;
            if (msg.starts_with("405")) return error_page(settings, 405, msg.substr(4));
            return error_page(settings, 400, msg);
        }
        if (req->path == "/style.css") {
            Response r;
            r.content_type = "text/css; charset=utf-8";
            r.headers.emplace_back("Cache-Control", "max-age=86400");
            r.body = kStyle;
            return r;
        }
        Page pg{settings, *req};
        return route(archive, pg);
    } catch (const std::exception& e) {
        std::cerr << "mlarc.cgi: unexpected error: " << e.what() << "\n";
    } catch (...) {
        std::cerr << "mlarc.cgi: unexpected error\n";
    }
    return error_page(settings, 503, "the archive cannot be read right now; try again later");
}

} // namespace mlarc::web
