// The query language: user text + command-line filters -> one Xapian query.
//
// Xapian's QueryParser does the parsing (AND/OR/NOT, parentheses, phrases,
// NEAR, trailing wildcards, +/-), configured by looping over the schema table
// kIndexFields: free-text fields are plain prefixes; every other field is a
// boolean (filter) prefix whose values go through a FieldProcessor that
// applies the field's own rules (lower-casing as the indexer does, exact
// address vs words for from:, list names checked against the archive, wg:
// numbers mapped to lists through the store, Message-IDs without <>, single
// dates as periods). `from:` is a text field in the index but is registered
// as a boolean prefix here: Xapian 1.4 hands a free-text prefix's field
// processor neither quoted phrases nor values containing '@', and the
// exact-address term (A<address>) is the fast, precise way to answer
// from:someone@example.org. Value fields (date, size) get a RangeProcessor on
// their slot for A..B, with either end open.
//
// Processors cannot return errors through Xapian, so they record the first
// one in the Compiler and yield MatchNothing; compile() reports it.
//
// Text the parser would silently misread is rejected before parsing
// (check_query_text): unknown "word:" prefixes (Xapian would search "word"
// and the value as a phrase), leading wildcards (Xapian drops the '*'),
// unbalanced quotes or parentheses (Xapian guesses).
#include "query/detail.hpp"

#include "mime/decode.hpp"
#include "mime/message.hpp"
#include "store/store.hpp"
#include "util/date.hpp"
#include "util/strings.hpp"

#include <algorithm>
#include <chrono>
#include <cctype>
#include <cstdlib>
#include <memory>
#include <optional>
#include <set>
#include <tuple>

namespace mlarc::query_detail {

namespace {

bool is_word_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool is_word_char(char c) { return is_word_start(c) || (c >= '0' && c <= '9'); }
bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }
bool all_digits(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

/// The pseudo-field "wg" maps working-group numbers to list: terms.
constexpr std::string_view kWgName = "wg";

std::string prefix_list_text() {
    std::string out;
    for (const auto& p : known_prefixes()) {
        if (!out.empty()) out += ' ';
        out += p;
        out += ':';
    }
    return out;
}

Error usage(std::string message, std::string hint = {}) {
    return make_error(Errc::usage, std::move(message), std::move(hint));
}

/// What a filter field's flag or prefix is called in messages.
std::string quoted(std::string_view s) { return "'" + std::string(s) + "'"; }

int64_t clock_now() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

/// How Query::get_description() shows `value` (bytes outside printable
/// ASCII escaped), found by describing a query that holds just that value.
std::string described_value(const std::string& value) {
    const std::string d = Xapian::Query(Xapian::Query::OP_VALUE_GE, 0, value).get_description();
    const std::string head = "Query(VALUE_GE 0 ";
    return d.size() > head.size() + 1 ? d.substr(head.size(), d.size() - head.size() - 1) : d;
}

/// "100", "10k", "1.5M", "2G" (decimal units, as human_bytes prints them).
std::optional<double> parse_size(std::string_view s) {
    s = trim(s);
    if (s.empty()) return std::nullopt;
    double mult = 1;
    std::string_view num = s;
    const char last = static_cast<char>(std::tolower(static_cast<unsigned char>(s.back())));
    if (last == 'b') num.remove_suffix(1);
    if (!num.empty()) {
        const char u = static_cast<char>(std::tolower(static_cast<unsigned char>(num.back())));
        if (u == 'k') mult = 1e3;
        if (u == 'm') mult = 1e6;
        if (u == 'g') mult = 1e9;
        if (mult != 1) num.remove_suffix(1);
    }
    if (num.empty()) return std::nullopt;
    std::string n(num);
    char* end = nullptr;
    const double v = std::strtod(n.c_str(), &end);
    if (end != n.c_str() + n.size() || v < 0) return std::nullopt;
    return v * mult;
}

class Compiler;

/// Hands a prefix's value to the Compiler.
class FieldAdapter : public Xapian::FieldProcessor {
  public:
    FieldAdapter(Compiler& c, std::string_view name) : c_(c), name_(name) {}
    Xapian::Query operator()(const std::string& value) override;

  private:
    Compiler& c_;
    std::string name_;
};

/// A..B on a value slot (date, size).
class RangeAdapter : public Xapian::RangeProcessor {
  public:
    RangeAdapter(Compiler& c, const IndexField& f)
        : Xapian::RangeProcessor(static_cast<Xapian::valueno>(f.slot), std::string(f.name) + ":"),
          c_(c), field_(f) {}
    Xapian::Query operator()(const std::string& begin, const std::string& end) override;

  private:
    Compiler& c_;
    const IndexField& field_;
};

class Compiler {
  public:
    Compiler(Archive& archive, Xapian::Database& db, int64_t now, const Archive::IndexSettings& index)
        : archive_(archive), db_(db), now_(now) {
        if (index.stemming != "none") stem_ = Xapian::Stem(index.language);
        stem_all_ = index.stemming == "all";
        setup(qp_);
        for (const auto& f : kIndexFields) {
            for (auto name : field_names(f)) {
                const std::string n(name);
                if (f.kind == FieldKind::text && !f.exact) {
                    qp_.add_prefix(n, std::string(f.prefix));
                } else {
                    // Same grouping for a field's aliases: repeated filters on one
                    // field are alternatives (OR), different fields all apply (AND).
                    const std::string grouping(f.name);
                    fields_.push_back(std::make_unique<FieldAdapter>(*this, f.name));
                    qp_.add_boolean_prefix(n, fields_.back().get(), &grouping);
                }
            }
            if (f.kind == FieldKind::value) {
                ranges_.push_back(std::make_unique<RangeAdapter>(*this, f));
                qp_.add_rangeprocessor(ranges_.back().get());
            }
        }
        const std::string list_grouping(index_field(FieldId::list).name);
        fields_.push_back(std::make_unique<FieldAdapter>(*this, kWgName));
        qp_.add_boolean_prefix(std::string(kWgName), fields_.back().get(), &list_grouping);
    }

    /// Parses the user's text. `has_filters`: a query of only NOT terms is
    /// allowed (the filters give it something to subtract from).
    Result<Xapian::Query> parse(std::string_view text, bool has_filters) {
        constexpr unsigned kFlags = Xapian::QueryParser::FLAG_PHRASE |
                                    Xapian::QueryParser::FLAG_BOOLEAN |
                                    Xapian::QueryParser::FLAG_LOVEHATE |
                                    Xapian::QueryParser::FLAG_WILDCARD |
                                    Xapian::QueryParser::FLAG_CJK_NGRAM;
        std::string t(text);
        // Xapian reads a query of only -terms ("-foo") as "foo": spell it as
        // the NOT it means.
        const bool only_hate = only_negated(text);
        if (only_hate) t = negated_as_not(text);
        Xapian::Query q;
        std::optional<std::string> syntax;
        if (!only_hate) {
            try {
                q = qp_.parse_query(t, kFlags);
            } catch (const Xapian::QueryParserError& e) {
                syntax = e.get_msg();
            }
        }
        if (error_) return *error_;
        if (only_hate || syntax) {
            // Only NOT terms? (FLAG_PURE_NOT stays off otherwise: FAILURE-MODES 52.)
            std::optional<Xapian::Query> pure;
            try {
                pure = qp_.parse_query(t, kFlags | Xapian::QueryParser::FLAG_PURE_NOT);
            } catch (const Xapian::QueryParserError& e) {
                if (!syntax) syntax = e.get_msg();
            }
            if (error_) return *error_;
            if (!pure || !is_pure_not(*pure)) return syntax_error(syntax.value_or("bad NOT"));
            if (!has_filters)
                return usage("the query has only NOT terms: it would match almost everything",
                             "give something to subtract from, e.g. kernel NOT mips, or add a "
                             "filter such as --list NAME or --since DATE");
            q = *pure;
        }
        if (error_) return *error_;
        size_t terms = 0;
        for (auto it = q.get_unique_terms_begin(); it != q.get_unique_terms_end(); ++it) ++terms;
        if (terms > kMaxTerms)
            return usage("the query has " + std::to_string(terms) + " distinct terms; at most " +
                             std::to_string(kMaxTerms) + " are allowed",
                         "search for fewer words at once");
        return q;
    }

    /// The query for one value of the field called `name` (a prefix, or a
    /// flag such as --list). Records nothing: the caller reports errors.
    Result<Xapian::Query> field_query(std::string_view name, std::string_view value) {
        if (name == kWgName) return wg_query(value);
        const IndexField* f = find_index_field(name);
        if (!f) return make_error(Errc::internal, "no field " + std::string(name));
        const std::string_view v = trim(value);
        if (v.empty())
            return usage(std::string(f->name) + ": needs a value", "for example " + std::string(f->example));
        switch (f->id) {
        case FieldId::from: return author_query(v);
        case FieldId::to:
        case FieldId::cc: return address_query(*f, v);
        case FieldId::list: return list_query(v);
        case FieldId::mid: return Xapian::Query(mid_term(strip_angles(v)));
        case FieldId::docid:
            if (!all_digits(v))
                return usage("docid: needs a message number, not " + quoted(v), "for example docid:4711");
            return Xapian::Query(make_term(f->prefix, v));
        case FieldId::thread: return thread_query(v);
        case FieldId::has: return has_query(*f, v);
        case FieldId::year:
            if (v.size() != 4 || !all_digits(v))
                return usage("year: needs a 4-digit year, not " + quoted(v), "for example year:2018");
            return Xapian::Query(make_term(f->prefix, v));
        case FieldId::month: return month_query(*f, v);
        case FieldId::date: return date_period(v);
        case FieldId::size:
            return usage("size: needs a range, not " + quoted(v), "for example size:100k..1M or size:1M..");
        case FieldId::domain: {
            std::string_view d = v;
            if (d.front() == '@') d.remove_prefix(1);
            return Xapian::Query(make_term(f->prefix, ascii_lower(d)));
        }
        case FieldId::type:
        case FieldId::doc:
        case FieldId::body:
        case FieldId::subject:
        case FieldId::attachment: break;
        }
        return Xapian::Query(make_term(f->prefix, ascii_lower(v)));
    }

    /// The query of a date: or size: range; either end may be empty.
    /// `label` names the range in messages (default: as typed in the query).
    Result<Xapian::Query> range_query(const IndexField& f, std::string_view begin, std::string_view end,
                                      std::string label = {}) {
        const std::string shown = label.empty() ? std::string(f.name) + ":" + std::string(begin) +
                                                      ".." + std::string(end)
                                                : label;
        if (f.id == FieldId::date) {
            std::optional<double> lo, hi;
            if (!trim(begin).empty()) {
                auto d = parse_user_date(trim(begin), now_, false);
                if (!d.ok()) return label.empty() ? bad_date(shown, d.error()) : d.error();
                lo = static_cast<double>(*d);
            }
            if (!trim(end).empty()) {
                auto d = parse_user_date(trim(end), now_, true);
                if (!d.ok()) return label.empty() ? bad_date(shown, d.error()) : d.error();
                hi = static_cast<double>(*d);
            }
            if (lo && hi && *lo > *hi)
                return usage("the date range " + shown + " is empty: its start is after its end",
                             "write the earlier date first, e.g. date:2018-01..2018-06");
            if (lo && hi)
                return closed_date_range(static_cast<int64_t>(*lo), static_cast<int64_t>(*hi));
            return value_range(kSlotDate, lo, hi);
        }
        std::optional<double> lo, hi;
        if (!trim(begin).empty() && !(lo = parse_size(begin)))
            return usage("bad size " + quoted(begin) + " in " + shown,
                         "sizes are bytes with an optional k, M or G (x1000): size:100k..1M");
        if (!trim(end).empty() && !(hi = parse_size(end)))
            return usage("bad size " + quoted(end) + " in " + shown,
                         "sizes are bytes with an optional k, M or G (x1000): size:100k..1M");
        if (lo && hi && *lo > *hi)
            return usage("the size range " + shown + " is empty: its start is above its end");
        return value_range(static_cast<unsigned>(f.slot), lo, hi);
    }

    /// --wg N / wg:N: the lists whose WG number is N (or wg:NAME, a list).
    Result<Xapian::Query> wg_query(std::string_view value) {
        const std::string_view v = trim(value);
        if (!all_digits(v)) {
            if (v.empty()) return usage("wg: needs a working-group number", "for example wg:3");
            return list_query(v);
        }
        const int n = v.size() > 6 ? -1 : std::stoi(std::string(v));
        auto lists = archive_.lists();
        if (!lists.ok()) return lists.error();
        std::vector<Xapian::Query> terms;
        std::string with_wg;
        for (const auto& l : **lists) {
            if (l.wg == n) terms.emplace_back(make_term(prefix_of(FieldId::list), ascii_lower(l.name)));
            if (l.wg >= 0) {
                if (!with_wg.empty()) with_wg += ", ";
                with_wg += l.name + " (wg " + std::to_string(l.wg) + ")";
            }
        }
        if (terms.empty())
            return usage("no list of this archive belongs to working group " + std::string(v),
                         with_wg.empty()
                             ? "no list has a WG number (lists: " + list_names() + "); use list:NAME"
                             : "lists with a WG number: " + with_wg + "; or use list:NAME");
        return Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end());
    }

    Result<Xapian::Query> list_query(std::string_view value) {
        std::string term = make_term(prefix_of(FieldId::list), ascii_lower(value));
        if (db_.term_exists(term)) return Xapian::Query(term);
        // A list address, or a list with no indexed message yet.
        auto lists = archive_.lists();
        if (lists.ok()) {
            for (const auto& l : **lists)
                if (ascii_lower(l.name) == ascii_lower(value) || ascii_lower(l.address) == ascii_lower(value))
                    return Xapian::Query(make_term(prefix_of(FieldId::list), ascii_lower(l.name)));
        }
        return usage("unknown list " + quoted(value), "lists of this archive: " + list_names());
    }

    void record(const Error& e) {
        if (!error_) error_ = e;
    }

    /// A value range on `slot` (either end open), remembering how to show
    /// its serialised bounds in descriptions.
    Xapian::Query value_range(unsigned slot, std::optional<double> lo, std::optional<double> hi) {
        auto bound = [&](double v) {
            std::string s = Xapian::sortable_serialise(v);
            std::string shown = slot == kSlotDate ? format_iso8601(static_cast<int64_t>(v), 0)
                                                  : std::to_string(static_cast<int64_t>(v));
            if (slot == kSlotDate && shown.size() > 6 && shown.substr(shown.size() - 6) == "+00:00")
                shown = shown.substr(0, shown.size() - 6) + "Z";
            readable_.emplace_back(described_value(s), std::move(shown));
            return s;
        };
        if (lo && hi) return Xapian::Query(Xapian::Query::OP_VALUE_RANGE, slot, bound(*lo), bound(*hi));
        if (lo) return Xapian::Query(Xapian::Query::OP_VALUE_GE, slot, bound(*lo));
        if (hi) return Xapian::Query(Xapian::Query::OP_VALUE_LE, slot, bound(*hi));
        return Xapian::Query::MatchAll;
    }

    /// A closed date range [lo, hi] (UTC seconds, both included) as the
    /// month (M) and year (Y) terms every document carries: the months and
    /// years it covers whole are their terms, a month it covers in part is
    /// that month's term filtered by the value range. A value range alone
    /// makes the matcher read the date of every candidate (`date:2018-01..
    /// 2018-06 kernel` was counted at 1.3x notmuch's speed); posting lists
    /// of boolean terms skip. Weight 0, as the value range had. Ranges of
    /// more than kMaxDatePieces pieces, or outside years 0-9999 (documents
    /// there have no M/Y terms), stay value ranges.
    Xapian::Query closed_date_range(int64_t lo, int64_t hi) {
        constexpr size_t kMaxDatePieces = 64;
        const CivilTime a = civil_from_utc(lo), b = civil_from_utc(hi);
        if (a.year < 0 || b.year > 9999) return value_range(kSlotDate, double(lo), double(hi));
        auto month_start = [](int64_t y, int m) { return days_from_civil(y, m, 1) * 86400; };
        auto term = [](FieldId f, int64_t y, int m) {
            char buf[16];
            if (f == FieldId::year)
                std::snprintf(buf, sizeof buf, "%04d", static_cast<int>(y));
            else
                std::snprintf(buf, sizeof buf, "%04d%02d", static_cast<int>(y), m);
            return make_term(prefix_of(f), buf);
        };
        std::vector<Xapian::Query> pieces;
        int64_t y = a.year;
        int m = a.month;
        while (y < b.year || (y == b.year && m <= b.month)) {
            if (pieces.size() > kMaxDatePieces)
                return value_range(kSlotDate, double(lo), double(hi));
            const int64_t start = month_start(y, m);
            const int64_t next_year_start = month_start(y + 1, 1);
            if (m == 1 && lo <= start && hi >= next_year_start - 1) { // a whole year
                pieces.emplace_back(term(FieldId::year, y, 0));
                ++y;
                continue;
            }
            const int64_t next = m == 12 ? next_year_start : month_start(y, m + 1);
            if (lo <= start && hi >= next - 1) {
                pieces.emplace_back(term(FieldId::month, y, m));
            } else {
                pieces.emplace_back(Xapian::Query::OP_FILTER,
                                    Xapian::Query(term(FieldId::month, y, m)),
                                    value_range(kSlotDate, double(std::max(lo, start)),
                                                double(std::min(hi, next - 1))));
            }
            if (++m > 12) {
                m = 1;
                ++y;
            }
        }
        if (pieces.size() > kMaxDatePieces) return value_range(kSlotDate, double(lo), double(hi));
        Xapian::Query any = pieces.size() == 1
                                ? pieces.front()
                                : Xapian::Query(Xapian::Query::OP_OR, pieces.begin(), pieces.end());
        return Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, any, 0.0);
    }

    /// Xapian's description of `q` with value-range bounds shown as dates
    /// (2018-01-01T00:00:00Z) or numbers instead of serialised bytes.
    std::string describe(const Xapian::Query& q) const {
        std::string d = q.get_description();
        for (const auto& [raw, shown] : readable_) {
            for (size_t at = d.find(raw); at != std::string::npos; at = d.find(raw, at + shown.size()))
                d.replace(at, raw.size(), shown);
        }
        // A date range alone is weighted 0 by closed_date_range() and again by
        // the parser (a filter alone): shown once.
        for (size_t at = d.find("0 * 0 * "); at != std::string::npos; at = d.find("0 * 0 * ", at))
            d.erase(at, 4);
        return d;
    }
    const std::optional<Error>& error() const { return error_; }

  private:
    void setup(Xapian::QueryParser& qp) {
        qp.set_database(db_);
        qp.set_default_op(Xapian::Query::OP_AND);
        if (stem_) {
            qp.set_stemmer(*stem_);
            qp.set_stemming_strategy(stem_all_ ? Xapian::QueryParser::STEM_ALL
                                               : Xapian::QueryParser::STEM_SOME);
        } else {
            qp.set_stemming_strategy(Xapian::QueryParser::STEM_NONE);
        }
        qp.set_max_expansion(kMaxWildcardExpansion, Xapian::Query::WILDCARD_LIMIT_ERROR,
                             Xapian::QueryParser::FLAG_WILDCARD | Xapian::QueryParser::FLAG_PARTIAL);
    }

    static bool is_pure_not(const Xapian::Query& q) {
        return q.get_type() == Xapian::Query::OP_AND_NOT && q.get_num_subqueries() == 2 &&
               q.get_subquery(0).get_type() == Xapian::Query::LEAF_MATCH_ALL;
    }

    static std::string_view strip_angles(std::string_view v) {
        v = trim(v);
        if (v.size() >= 2 && v.front() == '<' && v.back() == '>') v = v.substr(1, v.size() - 2);
        return trim(v);
    }

    /// Top-level tokens of `text` (no parentheses) all start with '-'.
    static bool only_negated(std::string_view text) {
        if (text.find_first_of("()") != std::string_view::npos) return false;
        bool any = false;
        bool in_quote = false;
        bool at_start = true;
        for (char c : text) {
            if (in_quote) {
                in_quote = c != '"';
                continue;
            }
            if (is_space(c)) {
                at_start = true;
                continue;
            }
            if (at_start) {
                if (c != '-') return false;
                any = true;
            }
            at_start = false;
            if (c == '"') in_quote = true;
        }
        return any;
    }
    /// "-a -b" -> "NOT a NOT b".
    static std::string negated_as_not(std::string_view text) {
        std::string out;
        bool in_quote = false;
        bool at_start = true;
        for (char c : text) {
            if (!in_quote && at_start && c == '-') {
                out += "NOT ";
                at_start = false;
                continue;
            }
            if (!in_quote) at_start = is_space(c);
            if (c == '"') in_quote = !in_quote;
            out += c;
        }
        return out;
    }

    Error syntax_error(const std::string& msg) const {
        if (msg.find("range") != std::string::npos)
            return usage("the query has a range (A..B) on a field that has none: " + msg,
                         "ranges work on date:A..B and size:A..B");
        return usage("syntax error in the query: " + msg,
                     "AND, OR, NOT and NEAR need a term on each side; put words in quotes to "
                     "search for them literally");
    }

    Error bad_date(const std::string& shown, const Error& e) const {
        return usage(shown + ": " + e.message, e.hint);
    }

    std::string list_names() {
        std::vector<std::string> names;
        if (auto lists = archive_.lists(); lists.ok()) {
            for (const auto& l : **lists) names.push_back(l.name);
        } else {
            const std::string p(prefix_of(FieldId::list));
            for (auto t = db_.allterms_begin(p); t != db_.allterms_end(p); ++t)
                names.push_back((*t).substr(p.size()));
        }
        return names.empty() ? "(none)" : join(names, ", ");
    }

    /// from:/--author: a whole address -> the exact A<address> term; anything
    /// else -> words of the author's name and address (a phrase when there
    /// are several; a trailing * expands).
    Result<Xapian::Query> author_query(std::string_view v) {
        const std::string_view prefix = prefix_of(FieldId::from);
        const size_t at = v.find('@');
        const bool address = at != std::string_view::npos && at > 0 && at + 1 < v.size() &&
                             v.find_first_of(" \t*\"") == std::string_view::npos;
        if (address) return Xapian::Query(make_term(prefix, ascii_lower(strip_angles(v))));
        std::string text;
        for (char c : v)
            if (c != '"') text += c;
        if (text.find_first_of(" \t") != std::string::npos) text = "\"" + text + "\"";
        Xapian::QueryParser sub;
        setup(sub);
        try {
            Xapian::Query q = sub.parse_query(text,
                                              Xapian::QueryParser::FLAG_PHRASE |
                                                  Xapian::QueryParser::FLAG_WILDCARD |
                                                  Xapian::QueryParser::FLAG_CJK_NGRAM,
                                              std::string(prefix));
            if (q.empty()) return usage("from: has no word to search for in " + quoted(v),
                                        "for example from:ralf or from:ralf@linux-mips.org");
            return q;
        } catch (const Xapian::QueryParserError& e) {
            return usage("cannot read the author " + quoted(v) + ": " + e.get_msg(),
                         "for example from:ralf or from:\"Ralf Baechle\"");
        }
    }

    /// to:/cc: a whole address -> exact term; otherwise the addresses that
    /// start with the value (to:linux-mips, to:ralf*).
    Result<Xapian::Query> address_query(const IndexField& f, std::string_view v) {
        std::string a = ascii_lower(strip_angles(v));
        const bool wildcard = !a.empty() && a.back() == '*';
        if (wildcard) a.pop_back();
        if (a.empty()) return usage(std::string(f.name) + ": needs an address", "for example " + std::string(f.example));
        if (!wildcard && a.find('@') != std::string::npos) return Xapian::Query(make_term(f.prefix, a));
        return Xapian::Query(Xapian::Query::OP_WILDCARD, make_term(f.prefix, a), kMaxWildcardExpansion,
                             Xapian::Query::WILDCARD_LIMIT_ERROR);
    }

    /// thread:N, or thread:<Message-ID> for the thread of that message.
    Result<Xapian::Query> thread_query(std::string_view v) {
        const std::string_view prefix = prefix_of(FieldId::thread);
        if (all_digits(v)) return Xapian::Query(make_term(prefix, v));
        const std::string q = mid_term(strip_angles(v));
        auto p = db_.postlist_begin(q);
        if (p == db_.postlist_end(q)) return Xapian::Query::MatchNothing;
        const std::string slot = db_.get_document(*p).get_value(kSlotThread);
        const auto tid = static_cast<int64_t>(Xapian::sortable_unserialise(slot));
        return Xapian::Query(make_term(prefix, std::to_string(tid)));
    }

    Result<Xapian::Query> has_query(const IndexField& f, std::string_view v) {
        const std::string value = ascii_lower(v);
        std::vector<std::string> known{"attachment"};
        for (const auto& n : split(flag_names(0xFFFFFFFFu), ',', true)) known.push_back(n);
        if (std::find(known.begin(), known.end(), value) == known.end())
            return usage("has: does not know " + quoted(v), "use has:" + join(known, ", has:"));
        return Xapian::Query(make_term(f.prefix, value));
    }

    Result<Xapian::Query> month_query(const IndexField& f, std::string_view v) {
        std::string m;
        for (char c : v)
            if (c != '-') m += c;
        if (m.size() != 6 || !all_digits(m) || m.substr(4) < "01" || m.substr(4) > "12")
            return usage("month: needs a month as YYYY-MM or YYYYMM, not " + quoted(v),
                         "for example month:2018-03, or date:2018-03 for the same range");
        return Xapian::Query(make_term(f.prefix, m));
    }

    /// date:2018, date:2018-03, date:yesterday...: the whole period named.
    Result<Xapian::Query> date_period(std::string_view v) {
        auto lo = parse_user_date(v, now_, false);
        if (!lo.ok()) return bad_date("date:" + std::string(v), lo.error());
        auto hi = parse_user_date(v, now_, true);
        if (!hi.ok()) return bad_date("date:" + std::string(v), hi.error());
        if (*lo == *hi)
            return usage("date:" + std::string(v) + " names an instant, not a period",
                         "use date:" + std::string(v) + ".. for everything since then, or date:.." +
                             std::string(v) + " for everything before");
        return closed_date_range(*lo, *hi);
    }

    Archive& archive_;
    Xapian::Database& db_;
    int64_t now_;
    std::optional<Xapian::Stem> stem_;
    bool stem_all_ = false;
    // The processors outlive the parser that points to them.
    std::vector<std::unique_ptr<FieldAdapter>> fields_;
    std::vector<std::unique_ptr<RangeAdapter>> ranges_;
    Xapian::QueryParser qp_;
    std::optional<Error> error_;
    std::vector<std::pair<std::string, std::string>> readable_;
};

Xapian::Query FieldAdapter::operator()(const std::string& value) {
    auto q = c_.field_query(name_, value);
    if (q.ok()) return *q;
    c_.record(q.error());
    return Xapian::Query::MatchNothing;
}

Xapian::Query RangeAdapter::operator()(const std::string& begin, const std::string& end) {
    auto q = c_.range_query(field_, begin, end);
    if (q.ok()) return *q;
    c_.record(q.error());
    return Xapian::Query::MatchNothing;
}

/// Adds the option's name to a filter error ("--since: bad date ...").
Error for_option(std::string_view option, Error e) {
    e.message = std::string(option) + ": " + e.message;
    return e;
}

} // namespace

const std::vector<std::string>& known_prefixes() {
    static const std::vector<std::string> names = [] {
        std::set<std::string> s{std::string(kWgName)};
        for (const auto& f : kIndexFields)
            for (auto n : field_names(f)) s.emplace(n);
        return std::vector<std::string>(s.begin(), s.end());
    }();
    return names;
}

Status check_query_text(std::string_view text) {
    if (text.size() > kMaxQueryBytes)
        return usage("the query is " + std::to_string(text.size()) + " bytes long; at most " +
                         std::to_string(kMaxQueryBytes) + " are allowed");
    if (!is_valid_utf8(text)) return usage("the query is not valid UTF-8");
    const auto& known = known_prefixes();
    auto is_known = [&](std::string_view w) {
        return std::binary_search(known.begin(), known.end(), std::string(w));
    };
    int depth = 0;
    bool in_quote = false;
    size_t quote_at = 0;
    std::string_view prev_token; // the last token outside quotes and parentheses
    for (size_t i = 0; i < text.size();) {
        const char c = text[i];
        if (in_quote) {
            if (c == '"') in_quote = false;
            ++i;
            continue;
        }
        if (c == '"') {
            in_quote = true;
            quote_at = i++;
            prev_token = {};
            continue;
        }
        if (c == '(' || c == ')') prev_token = {};
        if (c == '(') {
            if (++depth > kMaxNesting)
                return usage("the query nests parentheses deeper than " + std::to_string(kMaxNesting));
            ++i;
            continue;
        }
        if (c == ')') {
            if (--depth < 0)
                return usage("the query has a ')' without a matching '(' at offset " + std::to_string(i));
            ++i;
            continue;
        }
        if (is_space(c)) {
            ++i;
            continue;
        }
        // The start of a token (after blanks, '(' or a quote); skip +/- (love/hate).
        const size_t token_start = i;
        size_t j = i;
        while (j < text.size() && (text[j] == '+' || text[j] == '-')) ++j;
        if (j < text.size() && text[j] == '*')
            return usage("leading wildcards are not supported (in " + quoted(text.substr(i, 20)) + ")",
                         "a * may only end a word: cach* finds cache, caches, caching");
        size_t k = j;
        while (k < text.size() && is_word_char(text[k])) ++k;
        if (k > j && is_word_start(text[j]) && k < text.size() && text[k] == ':') {
            const std::string_view word = text.substr(j, k - j);
            const char next = k + 1 < text.size() ? text[k + 1] : ' ';
            if (is_known(word)) {
                if (is_space(next) || next == ')')
                    return usage("the prefix " + std::string(word) + ": has no value after it",
                                 "write the value right after the colon: " + std::string(word) +
                                     ":VALUE (quote values with spaces)");
                const IndexField* f = find_index_field(word);
                const bool filter = !f || f->kind != FieldKind::text || f->exact;
                if (filter && next == '(')
                    return usage("the prefix " + std::string(word) + ": cannot take a group in parentheses",
                                 "repeat the prefix instead: " + std::string(word) + ":a OR " +
                                     std::string(word) + ":b, or quote a phrase: " +
                                     std::string(word) + ":\"a b\"");
            } else if (!is_space(next) && next != '/' && next != ':') {
                std::string hint = "known prefixes: " + prefix_list_text() +
                                   "; to search for the text itself, put it in quotes: \"" +
                                   std::string(text.substr(j, std::min<size_t>(40, text.size() - j))) + "\"";
                if (is_known(ascii_lower(word)))
                    hint = "prefixes are lower case: " + ascii_lower(word) + ":; " + hint;
                return usage("unknown prefix " + std::string(word) + ": in the query", hint);
            }
        }
        // Skip the rest of the token (a quote inside it starts a phrase).
        i = std::max(k, j);
        while (i < text.size() && !is_space(text[i]) && text[i] != '(' && text[i] != ')' && text[i] != '"')
            ++i;
        // A lone character such as ':' (not a '(' after "+": "+(a" must count
        // the parenthesis; fuzz regression fuzz_query-plus-before-paren.bin).
        if (i == token_start) ++i;
        // NEAR/n or ADJ/n with +/- before it or right after AND, OR, NOT or
        // XOR: a syntax error in which Xapian 1.4's parser loses the window
        // token (96 bytes each, LeakSanitizer, fuzz_query_index), which a
        // long-running mlarc.fcgi would pile up. Said here, in our words.
        const std::string_view token = text.substr(token_start, i - token_start);
        const std::string_view bare = token.substr(j - token_start);
        if (bare.starts_with("NEAR/") || bare.starts_with("ADJ/")) {
            const bool signed_op = j > token_start;
            const bool after_op = prev_token == "AND" || prev_token == "OR" ||
                                  prev_token == "NOT" || prev_token == "XOR";
            if (signed_op || after_op) {
                const std::string op(bare.substr(0, bare.find('/')));
                return usage(std::string(signed_op ? "+/- cannot go before " : "the operator ") +
                                 quoted(bare) +
                                 (signed_op ? "" : " cannot follow " + quoted(prev_token)) + ": " +
                                 op + " stands between two words",
                             "write a " + std::string(bare) +
                                 " b (a and b within the window), or "
                                 "quote the word to search for it: \"" +
                                 op + "\"");
            }
        }
        prev_token = token;
    }
    if (in_quote)
        return usage("the query has an unclosed quote (at offset " + std::to_string(quote_at) + ")",
                     "close the phrase with a second \"");
    if (depth > 0) return usage("the query has an unclosed '('", "add the missing ')'");
    return {};
}

Result<Compiled> compile(Archive& archive, Xapian::Database& db, const QuerySpec& spec) {
    MLARC_TRY_STATUS(check_query_text(spec.text));
    auto settings = archive.index_settings();
    if (!settings.ok()) return settings.error();
    const int64_t now = spec.now ? *spec.now : clock_now();
    Compiler c(archive, db, now, *settings);

    std::vector<Xapian::Query> filters;
    if (!spec.lists.empty()) {
        std::vector<Xapian::Query> any;
        for (const auto& l : spec.lists) {
            auto q = c.list_query(std::string(trim(l)));
            if (!q.ok()) return for_option("--list", q.error());
            any.push_back(*q);
        }
        filters.emplace_back(Xapian::Query::OP_OR, any.begin(), any.end());
    }
    if (spec.wg) {
        auto q = c.wg_query(std::to_string(*spec.wg));
        if (!q.ok()) return for_option("--wg", q.error());
        filters.push_back(*q);
    }
    if (!trim(spec.author).empty()) {
        auto q = c.field_query(index_field(FieldId::from).name, spec.author);
        if (!q.ok()) return for_option("--author", q.error());
        filters.push_back(*q);
    }
    if (!trim(spec.since).empty() || !trim(spec.until).empty()) {
        const IndexField& date = index_field(FieldId::date);
        // Each bound alone first, so an error names the option that has it.
        for (const auto& [option, value, is_end] : {std::tuple{"--since", spec.since, false},
                                                     std::tuple{"--until", spec.until, true}}) {
            if (trim(value).empty()) continue;
            auto one = is_end ? c.range_query(date, "", value, option) : c.range_query(date, value, "", option);
            if (!one.ok()) return for_option(option, one.error());
        }
        auto q = c.range_query(date, spec.since, spec.until, "--since " + spec.since + " --until " + spec.until);
        if (!q.ok()) return for_option("--since/--until", q.error());
        filters.push_back(*q);
    }

    Xapian::Query main = Xapian::Query::MatchAll;
    if (!trim(spec.text).empty()) {
        auto q = c.parse(spec.text, !filters.empty());
        if (!q.ok()) return q.error();
        main = *q;
    }
    Compiled out;
    if (filters.empty()) {
        out.query = main;
    } else {
        Xapian::Query filter = filters.size() == 1
                                   ? filters.front()
                                   : Xapian::Query(Xapian::Query::OP_AND, filters.begin(), filters.end());
        out.query = Xapian::Query(Xapian::Query::OP_FILTER, main, filter);
    }
    out.description = c.describe(out.query);
    out.parsed = out.query;
    if (settings->level == "full" && !settings->pair_words.empty())
        out.query = with_phrase_pairs(db, out.query, settings->pair_words);
    return out;
}

namespace {

/// A phrase of one field's words, as pair terms (see with_phrase_pairs()).
std::optional<Xapian::Query> phrase_as_pairs(Xapian::Database& db, const Xapian::Query& q,
                                             const std::vector<std::string>& pair_words) {
    const size_t n = q.get_num_subqueries();
    if (n < 2) return std::nullopt;
    std::vector<std::string> terms;
    for (size_t i = 0; i < n; ++i) {
        const Xapian::Query sub = q.get_subquery(i);
        if (sub.get_type() != Xapian::Query::LEAF_TERM) return std::nullopt;
        const auto t = sub.get_terms_begin();
        if (t == sub.get_terms_end()) return std::nullopt;
        terms.push_back(*t);
    }
    // Xapian 1.4 gives no accessor for the window: the parser's phrases have
    // their length as window, "(a PHRASE 2 b)".
    if (q.get_description().find(" PHRASE " + std::to_string(n) + " ") == std::string::npos)
        return std::nullopt;
    const size_t plen = text_prefix_length(terms[0]);
    auto is_pair_word = [&](const std::string& t) {
        return std::binary_search(pair_words.begin(), pair_words.end(),
                                  std::string_view(t).substr(plen));
    };
    std::vector<Xapian::Query> pairs;
    for (size_t i = 0; i < n; ++i) {
        if (text_prefix_length(terms[i]) != plen ||
            terms[i].compare(0, plen, terms[0], 0, plen) != 0)
            return std::nullopt; // (one field per phrase: never seen)
        if (i + 1 < n && (is_pair_word(terms[i]) || is_pair_word(terms[i + 1]))) {
            std::string p = pair_term(terms[i], terms[i + 1]);
            if (p.empty()) return std::nullopt;
            pairs.emplace_back(p);
        }
    }
    if (pairs.empty()) return std::nullopt;
    if (n == 2) return pairs.front();
    // A longer phrase: the pairs that leave at most half of the documents
    // holding all its words (the matcher's candidates) to check. A pair
    // about as common as the rarest word ("off by" in "signed off by", in
    // nearly every patch) would add a posting list and save no position
    // check: 17 -> 27 ms for that count on linux-mips.
    Xapian::doccount rarest = db.get_doccount();
    for (const auto& t : terms)
        rarest = std::min(rarest, db.get_termfreq(t));
    std::erase_if(pairs, [&](const Xapian::Query& p) {
        return db.get_termfreq(*p.get_terms_begin()) * 2 > rarest;
    });
    if (pairs.empty()) return std::nullopt;
    return Xapian::Query(Xapian::Query::OP_FILTER, q,
                         pairs.size() == 1
                             ? pairs.front()
                             : Xapian::Query(Xapian::Query::OP_AND, pairs.begin(), pairs.end()));
}

} // namespace

Xapian::Query with_phrase_pairs(Xapian::Database& db, const Xapian::Query& q,
                                const std::vector<std::string>& pair_words) {
    switch (q.get_type()) {
    case Xapian::Query::OP_PHRASE:
        if (auto p = phrase_as_pairs(db, q, pair_words)) return *p;
        return q;
    case Xapian::Query::OP_AND:
    case Xapian::Query::OP_OR:
    case Xapian::Query::OP_AND_NOT:
    case Xapian::Query::OP_XOR:
    case Xapian::Query::OP_AND_MAYBE:
    case Xapian::Query::OP_FILTER:
    case Xapian::Query::OP_SYNONYM:
    case Xapian::Query::OP_MAX: {
        // Operators without parameters: rebuilt from their subqueries when
        // one of those changed.
        std::vector<Xapian::Query> subs;
        bool changed = false;
        for (size_t i = 0; i < q.get_num_subqueries(); ++i) {
            const Xapian::Query sub = q.get_subquery(i);
            subs.push_back(with_phrase_pairs(db, sub, pair_words));
            changed = changed || subs.back().internal.get() != sub.internal.get();
        }
        if (!changed) return q;
        return Xapian::Query(q.get_type(), subs.begin(), subs.end());
    }
    default:
        return q;
    }
}

Error wildcard_error(const Xapian::WildcardError& e) {
    return usage("a wildcard in the query matches too many words (" + e.get_msg() + ")",
                 "make the word before the * longer; at most " +
                     std::to_string(kMaxWildcardExpansion) + " words are expanded");
}

std::string doc_data_bytes(const Xapian::Document& doc) {
    std::string v = doc.get_value(kSlotDocData); // plain, where the data is zlib'd
    return v.empty() ? doc.get_data() : v;
}

Result<DocData> doc_data(Xapian::Database& db, Xapian::docid docid) {
    return decode_doc_data(doc_data_bytes(db.get_document(docid, Xapian::DOC_ASSUME_VALID)));
}

} // namespace mlarc::query_detail
