// The snippet highlighter (see snippet.hpp).
#include "query/snippet.hpp"

#include <xapian.h>

#include <algorithm>

namespace mlarc::query_detail {

namespace {

/// An unprefixed (free-text) term: Xapian prefixes are ASCII capitals.
bool free_text(const std::string& term) {
    return !term.empty() && !(term[0] >= 'A' && term[0] <= 'Z');
}

/// The patterns of the OP_WILDCARD leaves of `q` (Xapian 1.4 has no accessor
/// for them: the description reads "WILDCARD <op> <pattern>").
void wildcard_patterns(const Xapian::Query& q, std::vector<std::string>& out) {
    if (q.get_type() == Xapian::Query::OP_WILDCARD) {
        std::string d = q.get_description();
        while (!d.empty() && d.back() == ')')
            d.pop_back();
        const size_t sp = d.rfind(' ');
        std::string pattern = sp == std::string::npos ? d : d.substr(sp + 1);
        if (free_text(pattern)) out.push_back(std::move(pattern));
        return;
    }
    for (size_t i = 0; i < q.get_num_subqueries(); ++i)
        wildcard_patterns(q.get_subquery(i), out);
}

/// A word of the text: [begin, end) byte offsets; `candidate`: it may match.
struct Word {
    size_t begin, end;
    bool candidate;
};

/// CJK characters are words of one character each (as FLAG_CJK_NGRAM's
/// unigrams); roughly the ranges of Xapian's CJK tokeniser.
bool cjk(unsigned ch) {
    return (ch >= 0x2E80 && ch <= 0x2FDF) || (ch >= 0x3040 && ch <= 0x9FFF) ||
           (ch >= 0xA700 && ch <= 0xA71F) || (ch >= 0xAC00 && ch <= 0xD7AF) ||
           (ch >= 0xF900 && ch <= 0xFAFF) || (ch >= 0xFE30 && ch <= 0xFE4F) ||
           (ch >= 0xFF00 && ch <= 0xFFEF) || (ch >= 0x20000 && ch <= 0x2A6DF) ||
           (ch >= 0x2F800 && ch <= 0x2FA1F);
}

/// The character at `pos` and its length in bytes (an invalid sequence is
/// one character per byte, its value the byte's, as Xapian's Utf8Iterator
/// reads it).
unsigned char_at(std::string_view text, size_t pos, size_t& len) {
    const auto c = static_cast<unsigned char>(text[pos]);
    len = 1;
    if (c < 0x80) return c;
    const size_t need = c >= 0xF0 && c < 0xF5 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 && c < 0xE0 ? 2 : 0;
    if (need == 0 || (c >= 0xF5) || pos + need > text.size()) return c;
    unsigned ch = c & (0x7F >> need);
    for (size_t i = 1; i < need; ++i) {
        const auto d = static_cast<unsigned char>(text[pos + i]);
        if ((d & 0xC0) != 0x80) return c;
        ch = (ch << 6) | (d & 0x3F);
    }
    if ((need == 3 && ch < 0x800) || (need == 4 && (ch < 0x10000 || ch > 0x10FFFF))) return c;
    len = need;
    return ch;
}

/// ASCII word characters: letters, digits and '_'.
constexpr std::array<bool, 128> kAsciiWord = [] {
    std::array<bool, 128> t{};
    for (unsigned c = 0; c < 128; ++c)
        t[c] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    return t;
}();

bool word_char(unsigned ch) {
    if (ch < 0x80) return kAsciiWord[ch];
    return Xapian::Unicode::is_wordchar(ch);
}

char ascii_lower(char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c;
}

/// Reads the next word at or after `pos`, lower-cased into `lower`. False at
/// the end of the text. With `heads`, a word whose first two bytes (ASCII,
/// lower-cased) no query term starts with is only skipped (w.candidate
/// false, `lower` empty): no lower-casing, no lookup.
bool next_word(std::string_view text, size_t& pos, Word& w, std::string& lower,
               const Heads* heads = nullptr) {
    lower.clear();
    const size_t n = text.size();
    size_t len = 1;
    while (pos < n) {
        const auto c = static_cast<unsigned char>(text[pos]);
        if (c < 0x80) { // the common case, without decoding
            if (kAsciiWord[c]) break;
            ++pos;
            continue;
        }
        if (word_char(char_at(text, pos, len))) break;
        pos += len;
    }
    if (pos >= n) return false;
    w.begin = pos;
    w.candidate = true;
    if (heads && static_cast<unsigned char>(text[pos]) < 0x80) {
        const auto c0 = static_cast<unsigned char>(ascii_lower(text[pos]));
        const auto c1 = pos + 1 < n ? static_cast<unsigned char>(ascii_lower(text[pos + 1])) : 0;
        w.candidate = heads->single[c0] ||
                      (c1 < 0x80 && word_char(c1) && heads->pairs[(c0 << 7) | c1]) ||
                      (c1 >= 0x80 && heads->pairs[(c0 << 7)]);
    }
    while (pos < n) {
        const auto c = static_cast<unsigned char>(text[pos]);
        if (c < 0x80) {
            if (!kAsciiWord[c]) break;
            if (w.candidate) lower += ascii_lower(static_cast<char>(c));
            ++pos;
            continue;
        }
        const unsigned ch = char_at(text, pos, len);
        if (!word_char(ch)) break;
        if (cjk(ch)) {
            if (pos == w.begin) { // a word of its own
                Xapian::Unicode::append_utf8(lower, ch);
                pos += len;
            }
            break;
        }
        if (w.candidate) Xapian::Unicode::append_utf8(lower, Xapian::Unicode::tolower(ch));
        pos += len;
    }
    w.end = pos;
    return true;
}

/// `pos` moved back to the start of a UTF-8 sequence.
size_t char_start(std::string_view text, size_t pos) {
    while (pos > 0 && pos < text.size() && (static_cast<unsigned char>(text[pos]) & 0xC0) == 0x80)
        --pos;
    return pos;
}

/// True when `pos` (a character start, > 0) is inside a word: a word
/// character preceded by one.
bool inside_word(std::string_view text, size_t pos) {
    size_t len = 0;
    if (pos == 0 || pos >= text.size() || !word_char(char_at(text, pos, len))) return false;
    return word_char(char_at(text, char_start(text, pos - 1), len));
}

struct Match {
    size_t begin, end;
    int group;
};

} // namespace

HighlightTerms highlight_terms(const Xapian::Query& q, bool stem_all) {
    HighlightTerms t;
    for (auto it = q.get_unique_terms_begin(); it != q.get_unique_terms_end(); ++it) {
        const std::string& term = *it;
        if (term.size() > 1 && term[0] == 'Z' && free_text(term.substr(1)))
            t.stems.insert(term.substr(1));
        else if (free_text(term))
            (stem_all ? t.stems : t.words).insert(term);
    }
    wildcard_patterns(q, t.prefixes);
    std::sort(t.prefixes.begin(), t.prefixes.end());
    t.prefixes.erase(std::unique(t.prefixes.begin(), t.prefixes.end()), t.prefixes.end());
    return t;
}

Snippeter::Snippeter(HighlightTerms terms, const Xapian::Stem& stem)
    : terms_(std::move(terms)), stem_(stem) {
    for (const auto& s : terms_.stems) {
        group_ids_.emplace(s, groups_++);
        stem_heads_.insert(s.substr(0, 2));
    }
    // A word whose stem is also a query stem is the same term ("cache" in a
    // phrase and "caches" outside one): one group.
    for (const auto& w : terms_.words) {
        int g = -1;
        if (!terms_.stems.empty() && !stem_.is_none()) {
            if (auto it = group_ids_.find(stem_(w)); it != group_ids_.end()) g = it->second;
        }
        group_ids_.emplace(w, g >= 0 ? g : groups_++);
    }
    for (const auto& p : terms_.prefixes)
        group_ids_.emplace("*" + p, groups_++);
    // The first two bytes of every term: words not starting so are skipped.
    auto add_head = [&](const std::string& t) {
        const auto c0 = static_cast<unsigned char>(t[0]);
        if (c0 >= 0x80) return; // words with a non-ASCII first byte are always looked up
        if (t.size() == 1) {
            heads_.single[c0] = true;
            return;
        }
        const auto c1 = static_cast<unsigned char>(t[1]);
        heads_.pairs[(c0 << 7) | (c1 < 0x80 ? c1 : 0)] = true; // [c0][0]: a non-ASCII second byte
    };
    for (const auto& set : {&terms_.words, &terms_.stems})
        for (const auto& t : *set)
            if (!t.empty()) add_head(t);
    for (const auto& p : terms_.prefixes)
        if (!p.empty()) add_head(p);
}

Snippeter::~Snippeter() = default;

int Snippeter::group_of(const std::string& word) {
    if (auto it = seen_.find(word); it != seen_.end()) return it->second;
    int g = -1;
    if (terms_.words.count(word)) g = group_ids_.at(word);
    if (g < 0 && !terms_.stems.empty() && !stem_.is_none()) {
        // Stemmers keep a word's first letters (as bytes: a non-ASCII first
        // byte is stemmed anyway).
        const bool could = static_cast<unsigned char>(word[0]) >= 0x80 || word.size() < 2 ||
                           stem_heads_.count(word.substr(0, 2)) > 0 ||
                           std::any_of(terms_.stems.begin(), terms_.stems.end(),
                                       [](const std::string& s) { return s.size() < 2; });
        if (could) {
            if (auto it = group_ids_.find(stem_(word));
                it != group_ids_.end() && terms_.stems.count(it->first))
                g = it->second;
        }
    }
    if (g < 0)
        for (const auto& p : terms_.prefixes)
            if (word.starts_with(p)) {
                g = group_ids_.at("*" + p);
                break;
            }
    seen_.emplace(word, g);
    return g;
}

std::string Snippeter::make(std::string_view text, size_t bytes, std::string_view hi_start,
                            std::string_view hi_end, bool* settled) {
    bytes = std::max<size_t>(bytes, 16);
    bool complete = groups_ == 0; // every group found: a longer text changes nothing before here
    // Collect the matches until one window of `bytes` holds every group.
    std::vector<Match> matches;
    size_t best = 0, best_score = 0, first_in_window = 0;
    std::vector<int> in_window(static_cast<size_t>(groups_), 0);
    size_t distinct = 0;
    if (groups_ > 0) {
        size_t pos = 0;
        Word w{};
        std::string lower;
        while (next_word(text, pos, w, lower, &heads_)) {
            if (!w.candidate) continue;
            const int g = group_of(lower);
            if (g < 0) continue;
            matches.push_back({w.begin, w.end, g});
            if (in_window[static_cast<size_t>(g)]++ == 0) ++distinct;
            // Slide the window's start so the window spans at most `bytes`.
            while (matches[first_in_window].begin + bytes < w.end) {
                if (--in_window[static_cast<size_t>(matches[first_in_window].group)] == 0)
                    --distinct;
                ++first_in_window;
            }
            if (distinct > best_score) {
                best_score = distinct;
                best = first_in_window;
            }
            if (distinct == static_cast<size_t>(groups_)) {
                complete = true;
                break;
            }
        }
    }

    // The window: a little context before its best match, cut at words.
    size_t start = 0;
    if (!matches.empty()) {
        const Match& m = matches[best];
        size_t last_end = m.end;
        for (size_t i = best; i < matches.size() && matches[i].end <= m.begin + bytes; ++i)
            last_end = matches[i].end;
        const size_t slack = bytes - std::min(bytes, last_end - m.begin);
        const size_t lead = std::min({slack / 2, bytes / 4, m.begin});
        start = m.begin - lead;
        // Near the end of the text: use the whole window.
        if (start + bytes > text.size())
            start = std::min(m.begin, text.size() > bytes ? text.size() - bytes : 0);
        start = char_start(text, start);
        size_t len = 0;
        if (inside_word(text, start)) // skip the cut word
            while (start < m.begin && word_char(char_at(text, start, len)))
                start += len;
        while (start < m.begin && !word_char(char_at(text, start, len)))
            start += len;
    }
    size_t end = std::min(text.size(), start + bytes);
    // What follows reads at most a UTF-8 sequence past `end`; a window that
    // ends this far from the end of `text` is the same in any longer text.
    constexpr size_t kSettledMargin = 64;
    if (settled) *settled = complete && end + kSettledMargin < text.size();
    if (end < text.size()) {
        end = char_start(text, end);
        // Back up to the end of the last whole word inside the window.
        if (inside_word(text, end)) {
            size_t e = end;
            while (e > start && inside_word(text, e))
                e = char_start(text, e - 1);
            if (e > start) end = e;
        }
    }

    // Mark every match inside the window.
    std::string out;
    out.reserve(end - start + 32);
    if (start > 0) out += "…";
    const std::string_view window = text.substr(start, end - start);
    size_t pos = 0, copied = 0;
    Word w{};
    std::string lower;
    while (groups_ > 0 && next_word(window, pos, w, lower, &heads_)) {
        if (!w.candidate || group_of(lower) < 0) continue;
        out.append(window.substr(copied, w.begin - copied));
        out += hi_start;
        out.append(window.substr(w.begin, w.end - w.begin));
        out += hi_end;
        copied = w.end;
    }
    out.append(window.substr(copied));
    while (!out.empty() && out.back() == ' ')
        out.pop_back();
    if (end < text.size()) out += "…";
    return out;
}

} // namespace mlarc::query_detail
