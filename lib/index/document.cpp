// Document builder (see document.hpp): the text clean-up, term generation,
// boolean terms, values and data of one message.
#include "index/document.hpp"

#include "util/date.hpp"
#include "util/strings.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <functional>
#include <optional>
#include <vector>

namespace mlarc {

namespace {

/// Positions left between fields, so a phrase never spans two of them.
constexpr Xapian::termpos kFieldGap = 100;

bool is_base64_char(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' ||
           c == '/' || c == '=';
}

bool is_quoted_line(std::string_view line) {
    size_t i = 0;
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t'))
        ++i;
    return i < line.size() && line[i] == '>';
}

/// One unbroken token made of base64 characters only (trailing CR and blanks
/// ignored); `start_run` additionally requires the look of encoded data: at
/// least 48 characters mixing upper case, lower case and digits (so a line
/// holding just a hex hash or a long word is not taken for base64).
bool looks_base64(std::string_view line, bool start_run) {
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t'))
        line.remove_suffix(1);
    if (line.empty()) return false;
    bool upper = false, lower = false, digit = false;
    for (char c : line) {
        if (!is_base64_char(c)) return false;
        upper |= c >= 'A' && c <= 'Z';
        lower |= c >= 'a' && c <= 'z';
        digit |= c >= '0' && c <= '9';
    }
    return !start_run || (line.size() >= 48 && upper && lower && digit);
}

/// A uuencoded full line: 'M' then 60 characters from ' ' to '`'.
bool looks_uuencoded(std::string_view line) {
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.size() != 61 || line.front() != 'M') return false;
    for (char c : line)
        if (c < ' ' || c > '`') return false;
    return true;
}

/// Reads an unsigned decimal at `pos` of `s`, advancing `pos`; false if none.
bool read_count(std::string_view s, size_t& pos, long& out) {
    const size_t start = pos;
    out = 0;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9' && pos - start < 9)
        out = out * 10 + (s[pos++] - '0');
    return pos > start;
}

/// A unified-diff hunk header "@@ -a[,b] +c[,d] @@ context": the old and new
/// line counts (b and d, 1 when absent) and where the trailing context (the
/// enclosing function, as git writes it) starts. False for anything else.
bool parse_hunk_header(std::string_view line, long& old_lines, long& new_lines,
                       size_t& context_at) {
    if (line.substr(0, 4) != "@@ -") return false;
    size_t pos = 4;
    long n = 0;
    if (!read_count(line, pos, n)) return false;
    old_lines = 1;
    if (pos < line.size() && line[pos] == ',' && !read_count(line, ++pos, old_lines)) return false;
    if (line.substr(pos, 2) != " +") return false;
    pos += 2;
    if (!read_count(line, pos, n)) return false;
    new_lines = 1;
    if (pos < line.size() && line[pos] == ',' && !read_count(line, ++pos, new_lines)) return false;
    if (line.substr(pos, 3) != " @@") return false;
    context_at = pos + 3;
    return true;
}

/// YYYYMM or YYYY of a UTC time, years 0-9999 (else empty).
std::string date_part(int64_t utc, bool with_month) {
    const CivilTime t = civil_from_utc(utc);
    if (t.year < 0 || t.year > 9999) return {};
    char buf[16];
    if (with_month)
        std::snprintf(buf, sizeof buf, "%04d%02d", static_cast<int>(t.year), t.month);
    else
        std::snprintf(buf, sizeof buf, "%04d", static_cast<int>(t.year));
    return buf;
}

/// A stemmer with a memo of the words it has stemmed: a list's text is made
/// of a few tens of thousands of distinct words, and running Snowball on each
/// occurrence again was a fifth of all indexing instructions. Gives exactly
/// the stems of the wrapped stemmer. One per builder (not thread-safe).
///
/// The memo is direct-mapped: a fixed array of slots picked by the word's
/// hash, a miss overwriting its slot in place. An unordered_map grown to a
/// cap and then cleared spent more than it saved on patch-heavy lists
/// (identifiers and hex strings fill it with words seen once): the bucket
/// walk, one node and two strings allocated per new word, and the clear
/// handing a quarter of a million blocks back to malloc (perf, 2017-2019
/// linux-mips files: 15% of a builder thread for the lookup, 10% freeing).
/// Here the slots' strings keep their capacity, so once warm a miss
/// allocates nothing, and memory stays at the slot array.
class CachedStem : public Xapian::StemImplementation {
  public:
    explicit CachedStem(Xapian::Stem stem) : stem_(std::move(stem)), slots_(kSlots) {}
    std::string operator()(const std::string& word) override {
        Slot& s = slots_[std::hash<std::string>{}(word) & (kSlots - 1)];
        if (!s.used || s.word != word) {
            s.stem = stem_(word);
            s.word = word;
            s.used = true;
        }
        return s.stem;
    }
    std::string get_description() const override { return "cached " + stem_.get_description(); }

  private:
    static constexpr size_t kSlots = 1u << 16; // about 4.5 MB of slots
    struct Slot {
        std::string word, stem;
        bool used = false;
    };
    Xapian::Stem stem_;
    std::vector<Slot> slots_;
};

void add_boolean(Xapian::Document& doc, FieldId field, std::string_view value) {
    if (value.empty()) return;
    doc.add_boolean_term(make_term(prefix_of(field), value));
}

} // namespace

std::string_view index_level_name(IndexLevel level) {
    return level == IndexLevel::full ? "full" : "light";
}

Result<IndexLevel> parse_index_level(std::string_view name) {
    if (name == "full") return IndexLevel::full;
    if (name == "light") return IndexLevel::light;
    return make_error(Errc::usage, "unknown index level '" + std::string(name) + "'",
                      "use full (phrase search) or light (faster, no phrases)");
}

Status check_index_language(std::string_view language) {
    if (language == "none") return {};
    try {
        Xapian::Stem stem{std::string(language)};
        return {};
    } catch (const Xapian::Error&) {
        return make_error(Errc::usage, "unknown stemming language '" + std::string(language) + "'",
                          "use none or one of: " + Xapian::Stem::get_available_languages());
    }
}

Result<std::string> default_pair_words(IndexLevel level, std::string_view language) {
    MLARC_TRY_STATUS(check_index_language(language));
    if (level != IndexLevel::full) return std::string();
    // The commonest English function words: the ones a phrase is most often
    // built around, and whose posting lists hold most of the archive.
    static constexpr std::array<std::string_view, 35> kWords{
        "a",    "an",   "and", "are", "as", "at",   "be",   "but",  "by",  "for", "from", "has",
        "have", "i",    "if",  "in",  "is", "it",   "its",  "not",  "of",  "on",  "or",   "that",
        "the",  "this", "to",  "was", "we", "were", "will", "with", "you", "can", "no"};
    std::string stems; // space separated, as the metadata holds them
    try {
        std::optional<Xapian::Stem> stem;
        if (language != "none") stem.emplace(std::string(language));
        for (auto w : kWords)
            stems.append(stem ? (*stem)(std::string(w)) : std::string(w)).append(1, ' ');
    } catch (const Xapian::Error& e) {
        return xapian_error(e, "stem the phrase pair words");
    }
    // Sorted, each word once ("its" stems to "it").
    std::string out;
    for (const auto& s : split_pair_words(stems))
        out.append(out.empty() ? "" : " ").append(s);
    return out;
}

Result<DocumentBuilder> DocumentBuilder::create(const BuilderOptions& opts) {
    MLARC_TRY_STATUS(check_index_language(opts.language));
    std::vector<std::string> pair_words; // none at level light (no positions)
    if (opts.level == IndexLevel::full) pair_words = split_pair_words(opts.pair_words);
    try {
        Xapian::TermGenerator tg;
        if (opts.language != "none") {
            // Stems only (see schema.hpp): a third fewer terms to build and
            // insert than STEM_SOME's word + Z-stem pairs.
            tg.set_stemmer(Xapian::Stem(new CachedStem(Xapian::Stem(opts.language))));
            tg.set_stemming_strategy(Xapian::TermGenerator::STEM_ALL);
        } else {
            tg.set_stemming_strategy(Xapian::TermGenerator::STEM_NONE);
        }
        tg.set_flags(Xapian::TermGenerator::FLAG_CJK_NGRAM);
        tg.set_max_word_length(kMaxWordBytes);
        return DocumentBuilder(std::move(tg), opts.level, std::move(pair_words));
    } catch (const Xapian::Error& e) {
        return xapian_error(e, "set up the term generator");
    }
}

void DocumentBuilder::index_text(std::string_view text, std::string_view prefix) {
    if (text.empty()) return;
    prefix_buf_.assign(prefix);
    const Xapian::Utf8Iterator it(text.data(), text.size());
    if (level_ == IndexLevel::full)
        tg_.index_text(it, 1, prefix_buf_);
    else
        tg_.index_text_without_positions(it, 1, prefix_buf_);
    tg_.increase_termpos(kFieldGap);
}

void DocumentBuilder::add_pairs(Xapian::Document& doc) {
    // Only the free text has been indexed so far: every term has positions.
    words_.clear();
    at_.clear();
    for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t) {
        const auto first = t.positionlist_begin(), end = t.positionlist_end();
        if (first == end) continue;
        Word w{*t, 0, false};
        w.prefix = text_prefix_length(w.term);
        w.pair_word = std::binary_search(pair_words_.begin(), pair_words_.end(),
                                         std::string_view(w.term).substr(w.prefix));
        const auto i = static_cast<uint32_t>(words_.size());
        words_.push_back(std::move(w));
        for (auto p = first; p != end; ++p)
            at_.emplace_back(*p, i);
    }
    std::sort(at_.begin(), at_.end());
    // Groups of equal positions (CJK n-grams share them): each word of one
    // group with each word of the group at the next position.
    size_t prev = 0, prev_end = 0; // the group before, [prev, prev_end)
    for (size_t g = 0; g < at_.size();) {
        size_t g_end = g + 1;
        while (g_end < at_.size() && at_[g_end].first == at_[g].first)
            ++g_end;
        if (prev_end > prev && at_[prev].first + 1 == at_[g].first) {
            for (size_t i = prev; i < prev_end; ++i) {
                const Word& a = words_[at_[i].second];
                for (size_t j = g; j < g_end; ++j) {
                    const Word& b = words_[at_[j].second];
                    if (!a.pair_word && !b.pair_word) continue;
                    if (a.prefix != b.prefix ||
                        a.term.compare(0, a.prefix, b.term, 0, b.prefix) != 0)
                        continue;
                    if (std::string t = pair_term(a.term, b.term); !t.empty()) doc.add_term(t);
                }
            }
        }
        prev = g, prev_end = g_end;
        g = g_end;
    }
}

Result<Xapian::Document> DocumentBuilder::build(const FeedMessage& m) {
    try {
        Xapian::Document doc;
        tg_.set_document(doc);
        tg_.set_termpos(0);

        // Free text: each field under its prefix, and (except body, which has
        // none) again unprefixed for plain queries.
        index_text(m.subject, prefix_of(FieldId::subject));
        index_text(m.subject, "");
        const std::string_view author = prefix_of(FieldId::from);
        index_text(m.from_name, author);
        index_text(m.from_addr, author);
        index_text(m.from_name, "");
        index_text(m.from_addr, "");
        for (const auto& a : m.attachments) {
            index_text(a.filename, prefix_of(FieldId::attachment));
            index_text(a.filename, "");
        }
        index_text(indexable_text(m.body), "");
        index_text(indexable_text(m.attachment_text), "");
        if (!pair_words_.empty()) add_pairs(doc);
        // The generator keeps a handle on the document; drop it so the
        // document can go to another thread (handles are not thread-safe).
        tg_.set_document(Xapian::Document());

        const std::string from_addr = ascii_lower(m.from_addr);
        if (index_field(FieldId::from).exact) add_boolean(doc, FieldId::from, from_addr);
        doc.add_boolean_term(mid_term(m.mid));
        add_boolean(doc, FieldId::docid, std::to_string(m.id));
        add_boolean(doc, FieldId::thread, std::to_string(m.thread_id));
        for (const auto& l : m.lists)
            add_boolean(doc, FieldId::list, ascii_lower(l));
        for (const auto& d : m.deliverables)
            add_boolean(doc, FieldId::doc, ascii_lower(d));
        for (const auto& a : m.to)
            add_boolean(doc, FieldId::to, ascii_lower(a.address));
        for (const auto& a : m.cc)
            add_boolean(doc, FieldId::cc, ascii_lower(a.address));
        if (auto at = from_addr.rfind('@'); at != std::string::npos && at + 1 < from_addr.size()) {
            std::string_view domain = std::string_view(from_addr).substr(at + 1);
            add_boolean(doc, FieldId::domain, domain);
            for (auto dot = domain.find('.'); dot != std::string_view::npos;
                 dot = domain.find('.')) {
                domain.remove_prefix(dot + 1);
                if (domain.find('.') == std::string_view::npos) break;
                add_boolean(doc, FieldId::domain, domain);
            }
        }
        for (const auto& a : m.attachments)
            add_boolean(doc, FieldId::type, ascii_lower(a.content_type));
        if (!m.attachments.empty()) add_boolean(doc, FieldId::has, "attachment");
        for (const auto& f : split(flag_names(m.flags), ',', true))
            add_boolean(doc, FieldId::has, f);
        add_boolean(doc, FieldId::year, date_part(m.date_utc, false));
        add_boolean(doc, FieldId::month, date_part(m.date_utc, true));

        doc.add_value(kSlotDate, Xapian::sortable_serialise(static_cast<double>(m.date_utc)));
        doc.add_value(kSlotThread, Xapian::sortable_serialise(static_cast<double>(m.thread_id)));
        doc.add_value(kSlotSize, Xapian::sortable_serialise(static_cast<double>(m.size)));
        // Facet keys (schema.hpp); an empty value is no value.
        doc.add_value(kSlotFacetLists, facet_lists_value(m.lists));
        doc.add_value(kSlotFacetAuthor, m.from_addr);
        doc.add_value(kSlotFacetMonth, facet_month_value(m.date_utc));
        std::string data = encode_doc_data(doc_data_of(m));
        doc.add_value(kSlotDocData, data);
        doc.set_data(std::move(data));
        return doc;
    } catch (const Xapian::Error& e) {
        tg_.set_document(Xapian::Document());
        return xapian_error(e, "index message " + std::to_string(m.id));
    }
}

DocData doc_data_of(const FeedMessage& m) {
    DocData d;
    d.id = m.id;
    d.mid = m.mid;
    d.mid_seq = m.mid_seq;
    d.subject = m.subject;
    d.from_name = m.from_name;
    d.from_addr = m.from_addr;
    d.date_utc = m.date_utc;
    d.date_offset = m.date_offset;
    d.lists = m.lists;
    d.thread_id = m.thread_id;
    d.flags = m.flags;
    d.size = m.size;
    d.attachments = static_cast<uint32_t>(m.attachments.size());
    return d;
}

std::string indexable_text(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    bool in_base64 = false;
    bool git_diff = false;           // inside a "diff --git" file section
    long old_left = 0, new_left = 0; // lines left in the current hunk
    auto keep = [&](std::string_view line) {
        const size_t at = out.size();
        out.append(line);
        out += '\n';
        if (line.find('\0') != std::string_view::npos) std::replace(out.begin() + static_cast<std::ptrdiff_t>(at), out.end(), '\0', ' ');
    };
    size_t pos = 0;
    while (pos < text.size()) {
        size_t eol = text.find('\n', pos);
        if (eol == std::string_view::npos) eol = text.size();
        const std::string_view line = text.substr(pos, eol - pos);
        pos = eol + 1;
        if (old_left > 0 || new_left > 0) {
            // Inside a hunk: added, removed and context lines are all kept
            // (users search for identifiers that only appear in the context,
            // see tests/cli/notmuch_agreement.sh); the counts only tell where
            // the hunk ends.
            const char c = line.empty() ? ' ' : line[0];
            if (c == '+' && new_left > 0) {
                --new_left;
                keep(line);
                continue;
            }
            if (c == '-' && old_left > 0) {
                --old_left;
                keep(line);
                continue;
            }
            if (c == ' ' && old_left > 0 && new_left > 0) {
                --old_left, --new_left;
                keep(line);
                continue;
            }
            if (c == '\\') { // "\ No newline at end of file"
                out += '\n';
                continue;
            }
            old_left = new_left = 0; // malformed hunk: back to plain text
        }
        size_t context_at = 0;
        if (parse_hunk_header(line, old_left, new_left, context_at)) {
            keep(line.substr(context_at)); // the line numbers are not worth terms
            continue;
        }
        if (line.substr(0, 11) == "diff --git ") {
            git_diff = true; // the file names, once: the ---/+++/index lines repeat them
            keep(line);
            continue;
        }
        if (git_diff && (line.substr(0, 6) == "index " || line.substr(0, 4) == "--- " ||
                         line.substr(0, 4) == "+++ ")) {
            out += '\n';
            continue;
        }
        git_diff = git_diff && !line.empty() && line.substr(0, 3) != "-- ";
        in_base64 = looks_base64(line, !in_base64);
        if (in_base64 || is_quoted_line(line) || looks_uuencoded(line)) {
            out += '\n';
            continue;
        }
        keep(line);
    }
    return out;
}

} // namespace mlarc
