// Deliverable-mention scanner and document-identifier parser. The token
// parsers at the top are shared by find_mentions() and parse_doc_id(), so a
// form is recognised the same way in running text and in a lone identifier.
// See extract.hpp for the rules.
#include "registry/extract.hpp"

#include "registry/detail.hpp"
#include "util/strings.hpp"

#include <algorithm>
#include <array>
#include <unordered_map>
#include <utility>

namespace mlarc {
namespace {

using registry_detail::iequals;
using registry_detail::is_alnum;
using registry_detail::is_blank;
using registry_detail::is_digit;
using registry_detail::is_space;
using registry_detail::lower;

constexpr size_t npos = std::string_view::npos;

// --- Token parsers -----------------------------------------------------------

/// A parsed identifier and where it ends.
struct Token {
    DocId id;
    MentionKind kind = MentionKind::id;
    size_t end = 0;
};

/// True when a number token may end at `pos`: end of text, or a byte that is
/// not an ASCII letter/digit and not a '.' followed by a digit.
bool number_ends(std::string_view s, size_t pos) {
    if (pos >= s.size()) return true;
    if (is_alnum(s[pos])) return false;
    return !(s[pos] == '.' && pos + 1 < s.size() && is_digit(s[pos + 1]));
}

/// End of a run of 1..max_digits digits at `pos` (its value in *value), or npos
/// when there is no digit or the run is longer.
size_t digits_at(std::string_view s, size_t pos, size_t max_digits, int* value) {
    size_t end = pos;
    int v = 0;
    while (end < s.size() && is_digit(s[end])) {
        if (end - pos == max_digits) return npos;
        v = v * 10 + (s[end] - '0');
        ++end;
    }
    if (end == pos) return npos;
    *value = v;
    return end;
}

/// "3.2" at `pos`: <wg>.<n>, 1-2 digits each, ending a number token (kind word).
std::optional<Token> parse_number_pair(std::string_view s, size_t pos) {
    Token t;
    t.id.type = DocId::Type::deliverable;
    t.kind = MentionKind::word;
    size_t i = digits_at(s, pos, 2, &t.id.wg);
    if (i == npos || i >= s.size() || s[i] != '.') return std::nullopt;
    i = digits_at(s, i + 1, 2, &t.id.n);
    if (i == npos || !number_ends(s, i)) return std::nullopt;
    t.end = i;
    return t;
}

/// Which variants of the D forms are accepted.
struct DForms {
    bool lower_spaced = false; // "d 3.2" (a lone lower-case d is a word in running text)
    bool underscore = false;   // "D_3.2" (file names)
};

/// "D3.2" / "d3.2" (kind id) or "D 3.2" (kind spaced, 1-3 blanks) at `pos`.
std::optional<Token> parse_d_form(std::string_view s, size_t pos, DForms forms) {
    if (pos >= s.size() || (s[pos] != 'D' && s[pos] != 'd')) return std::nullopt;
    const bool spaced_ok = s[pos] == 'D' || forms.lower_spaced;
    size_t i = pos + 1;
    while (spaced_ok && i < s.size() && i - pos <= 3 &&
           (is_blank(s[i]) || (forms.underscore && s[i] == '_')))
        ++i;
    std::optional<Token> t = parse_number_pair(s, i);
    if (t) t->kind = i == pos + 1 ? MentionKind::id : MentionKind::spaced;
    return t;
}

/// An optional revision at `pos`: ['-' | '_'] (R | Rev | Rev.) 1-2 digits, any
/// case. Returns its end (with the number in *revision), or `pos` when none.
size_t parse_revision(std::string_view s, size_t pos, int* revision) {
    size_t i = pos;
    if (i < s.size() && (s[i] == '-' || s[i] == '_')) ++i;
    if (i >= s.size() || lower(s[i]) != 'r') return pos;
    ++i;
    if (i + 1 < s.size() && lower(s[i]) == 'e' && lower(s[i + 1]) == 'v') {
        i += 2;
        if (i < s.size() && s[i] == '.') ++i;
    }
    const size_t end = digits_at(s, i, 2, revision);
    return end == npos ? pos : end;
}

/// "O-156", "O-172-R2", "I-041" at `pos`: the series letter, a separator, 1-4
/// digits, an optional revision (kind short_output_doc). With dash_required
/// the separator must be '-', else it may be '-', '_' or absent.
std::optional<Token> parse_doc_tail(std::string_view s, size_t pos, bool any_case,
                                    bool dash_required) {
    if (pos >= s.size()) return std::nullopt;
    char letter = s[pos];
    if (any_case && (letter == 'o' || letter == 'i'))
        letter = static_cast<char>(letter - 'a' + 'A');
    if (letter != 'O' && letter != 'I') return std::nullopt;
    size_t i = pos + 1;
    if (i < s.size() && (s[i] == '-' || (!dash_required && s[i] == '_')))
        ++i;
    else if (dash_required)
        return std::nullopt;
    Token t;
    t.id.type = letter == 'O' ? DocId::Type::output_doc : DocId::Type::input_doc;
    t.kind = MentionKind::short_output_doc;
    i = digits_at(s, i, 4, &t.id.number);
    if (i == npos) return std::nullopt;
    i = parse_revision(s, i, &t.id.revision);
    if (!number_ends(s, i)) return std::nullopt;
    t.end = i;
    return t;
}

/// End of "FG-DPM" at `pos` (any case; '-', '_', ' ' or nothing between FG and
/// DPM), or npos. Nothing is required after it ("Fgdpmwg3" counts).
size_t fgdpm_prefix_end(std::string_view s, size_t pos) {
    if (pos + 2 > s.size() || lower(s[pos]) != 'f' || lower(s[pos + 1]) != 'g') return npos;
    size_t i = pos + 2;
    if (i < s.size() && (s[i] == '-' || s[i] == '_' || s[i] == ' ')) ++i;
    if (i + 3 > s.size() || !iequals(s.substr(i, 3), "dpm")) return npos;
    return i + 3;
}

/// "FG-DPM-O-172-R2" and its variants at `pos` (kind output_doc).
std::optional<Token> parse_fgdpm_doc(std::string_view s, size_t pos) {
    size_t i = fgdpm_prefix_end(s, pos);
    if (i == npos) return std::nullopt;
    if (i < s.size() && (s[i] == '-' || s[i] == '_' || s[i] == ' ')) ++i;
    std::optional<Token> t = parse_doc_tail(s, i, /*any_case=*/true, /*dash_required=*/false);
    if (t) t->kind = MentionKind::output_doc;
    return t;
}

// --- The scanner -------------------------------------------------------------

constexpr size_t kMaxTitleGap = 12; // bytes between two title words
constexpr size_t kMaxWordGap = 12;  // bytes between "deliverable" and its number
constexpr size_t kMaxLookback = 16; // bytes of a word or gap looked back at
constexpr std::array<std::string_view, 9> kCueWords{
    "see", "cf", "in", "doc", "docs", "document", "documents", "output", "outputs"};
constexpr std::array<std::string_view, 8> kBlockerWords{"annex",  "appendix", "clause", "section",
                                                        "figure", "fig",      "table",  "chapter"};

template <size_t N>
bool is_one_of(std::string_view word, const std::array<std::string_view, N>& set) {
    return std::any_of(set.begin(), set.end(),
                       [&](std::string_view w) { return iequals(word, w); });
}

class Scanner {
  public:
    Scanner(std::string_view text, const std::vector<Deliverable>& registry, MentionContext ctx)
        : s_(text), reg_(registry), ctx_(ctx) {
        ids_.reserve(reg_.size());
        for (size_t i = 0; i < reg_.size(); ++i) {
            ids_.push_back(parse_doc_id(reg_[i].id));
            outputs_.push_back(parse_doc_id(reg_[i].output_doc));
            add_title(i);
        }
    }

    std::vector<Mention> run() {
        size_t pos = begin_line(0);
        while (pos < s_.size()) {
            const char c = s_[pos];
            if (c == '\n') {
                pos = begin_line(pos + 1);
            } else if (!is_alnum(c) || (pos > 0 && is_alnum(s_[pos - 1]))) {
                ++pos;
            } else {
                const size_t next = scan_word(pos);
                for (size_t i = pos; i < next; ++i)
                    if (s_[i] == '\n') line_start_ = i + 1;
                pos = next;
            }
        }
        resolve_short_mentions();
        return std::move(mentions_);
    }

  private:
    struct Title {
        size_t deliverable = 0;
        std::vector<std::string> words; // lower-case runs of ASCII letters/digits
    };
    struct Pending {
        size_t mention = 0;    // index in mentions_
        size_t line_start = 0; // its line
        bool cue = false;      // a cue word precedes it
    };

    void add_title(size_t index) {
        Title t{index, {}};
        const std::string_view title = reg_[index].title;
        size_t i = 0;
        while (i < title.size()) {
            if (!is_alnum(title[i])) {
                ++i;
                continue;
            }
            size_t j = i;
            while (j < title.size() && is_alnum(title[j]))
                ++j;
            t.words.push_back(ascii_lower(title.substr(i, j - i)));
            i = j;
        }
        if (t.words.empty()) return;
        max_first_word_ = std::max(max_first_word_, t.words[0].size());
        by_first_word_[t.words[0]].push_back(titles_.size());
        titles_.push_back(std::move(t));
    }

    /// A body line whose first non-blank byte is '>'.
    bool quoted_line(size_t pos) const {
        if (ctx_ != MentionContext::body) return false;
        while (pos < s_.size() && is_blank(s_[pos]))
            ++pos;
        return pos < s_.size() && s_[pos] == '>';
    }

    /// End of the line at `pos` (its '\n', or the end of the text).
    size_t line_end(size_t pos) const {
        const size_t nl = s_.find('\n', pos);
        return nl == npos ? s_.size() : nl;
    }
    /// The line at `pos` without surrounding whitespace.
    std::string_view line_at(size_t pos) const {
        return pos >= s_.size() ? std::string_view() : trim(s_.substr(pos, line_end(pos) - pos));
    }

    /// A line that starts a quoted tail in the Outlook style: "-----Original
    /// Message-----" (any dashes, spaces, case), a line of underscores followed
    /// by "From:", or "From: ..." directly followed by "Sent: ...".
    bool tail_start(size_t pos) const {
        const std::string_view line = line_at(pos);
        const size_t next = line_end(pos) + 1;
        if (line.size() >= 3 && line.substr(0, 3) == "---") {
            std::string letters;
            for (char c : line)
                if (c != '-' && !is_blank(c)) letters += lower(c);
            if (letters == "originalmessage") return true;
        }
        if (line.size() >= 10 && line.find_first_not_of('_') == npos)
            return starts_with_icase(line_at(next), "from:");
        return starts_with_icase(line, "from:") && starts_with_icase(line_at(next), "sent:");
    }

    /// True when `line` holds a year 1990-2099 as a whole number (the date of
    /// a wrapped attribution; "On D3.2 I think ... what Bob wrote:" has none).
    static bool has_year(std::string_view line) {
        for (size_t i = 0; i + 4 <= line.size(); ++i) {
            if ((i > 0 && is_digit(line[i - 1])) || (i + 4 < line.size() && is_digit(line[i + 4])))
                continue;
            const std::string_view y = line.substr(i, 4);
            if ((y.substr(0, 2) == "19" && y[2] == '9' && is_digit(y[3])) ||
                (y.substr(0, 2) == "20" && is_digit(y[2]) && is_digit(y[3])))
                return true;
        }
        return false;
    }

    /// End of a reply attribution at `pos` ("On <date>, <name> wrote:", on one
    /// line or wrapped onto a second one), or npos when the line is none.
    size_t attribution_end(size_t pos) const {
        constexpr std::string_view kWrote = "wrote:";
        auto ends_wrote = [&](std::string_view l) {
            return l.size() >= kWrote.size() && iequals(l.substr(l.size() - kWrote.size()), kWrote);
        };
        const std::string_view line = line_at(pos);
        if (!starts_with_icase(line, "on ")) return npos;
        if (ends_wrote(line)) return line_end(pos);
        const size_t next = line_end(pos) + 1;
        const std::string_view second = line_at(next);
        if (next < s_.size() && second.size() <= 80 && ends_wrote(second) && has_year(line))
            return line_end(next);
        return npos;
    }

    /// Starts the line at `pos`; returns where scanning goes on: the line's end
    /// for a quoted line or a reply attribution, the end of the text at an
    /// Outlook-style quoted tail (everything below it is the quoted message).
    size_t begin_line(size_t pos) {
        line_start_ = pos;
        if (ctx_ != MentionContext::body) return pos;
        if (quoted_line(pos)) return line_end(pos);
        if (tail_start(pos)) return s_.size();
        const size_t attribution = attribution_end(pos);
        return attribution == npos ? pos : attribution;
    }

    /// End of a run of bytes satisfying `pred` at `pos`, `min`..`max` bytes long,
    /// with at most one line break and never entering a quoted line; npos if none.
    template <typename Pred> size_t skip_gap(size_t pos, size_t min, size_t max, Pred pred) const {
        size_t q = pos;
        bool newline = false;
        while (q < s_.size() && pred(s_[q])) {
            if (q - pos == max) return npos;
            if (s_[q] == '\n') {
                if (newline || quoted_line(q + 1)) return npos;
                newline = true;
            }
            ++q;
        }
        return q - pos >= min ? q : npos;
    }
    size_t skip_word_gap(size_t pos, size_t min) const {
        const bool file = ctx_ == MentionContext::attachment_name;
        return skip_gap(pos, min, kMaxWordGap,
                        [file](char c) { return is_space(c) || (file && (c == '_' || c == '-')); });
    }

    /// Up to two words before `pos` on the same line, nearest first; a word or
    /// gap longer than kMaxLookback bytes ends the look-back.
    std::array<std::string_view, 2> words_before(size_t pos) const {
        std::array<std::string_view, 2> out{};
        size_t i = pos;
        for (std::string_view& w : out) {
            size_t gap = 0;
            while (i > 0 && !is_alnum(s_[i - 1]) && s_[i - 1] != '\n') {
                if (++gap > kMaxLookback) return out;
                --i;
            }
            const size_t end = i;
            while (i > 0 && is_alnum(s_[i - 1])) {
                if (end - i == kMaxLookback) return out;
                --i;
            }
            if (i == end) return out;
            w = s_.substr(i, end - i);
        }
        return out;
    }

    const Deliverable* lookup(const DocId& id) const {
        for (size_t i = 0; i < reg_.size(); ++i) {
            if (id.type == DocId::Type::deliverable) {
                if (ids_[i] && ids_[i]->type == id.type && ids_[i]->wg == id.wg &&
                    ids_[i]->n == id.n)
                    return &reg_[i];
            } else if (id.type == DocId::Type::output_doc) {
                if (outputs_[i] && outputs_[i]->type == id.type && outputs_[i]->number == id.number)
                    return &reg_[i];
            }
        }
        return nullptr;
    }

    /// Counts a document-like token on the current line.
    void note_token() {
        if (!line_tokens_.empty() && line_tokens_.back().first == line_start_)
            ++line_tokens_.back().second;
        else
            line_tokens_.emplace_back(line_start_, 1);
    }

    /// Adds a mention of `d` for s_[start, end); false when d is null.
    bool add(const Deliverable* d, size_t start, size_t end, MentionKind kind, int revision = 0) {
        if (!d) return false;
        mentions_.push_back(
            Mention{d->id, std::string(s_.substr(start, end - start)), kind, start, revision});
        return true;
    }
    bool add(const Token& t, size_t start) {
        note_token();
        return add(lookup(t.id), start, t.end, t.kind, t.id.revision);
    }

    /// Tries every form at the word starting at `pos`; returns where to go on.
    size_t scan_word(size_t pos) {
        size_t word_end = pos;
        while (word_end < s_.size() && is_alnum(s_[word_end]))
            ++word_end;
        const std::string_view word = s_.substr(pos, word_end - pos);
        const bool file = ctx_ == MentionContext::attachment_name;

        if (std::optional<Token> t = parse_d_form(s_, pos, {false, file})) {
            const std::string_view before = words_before(pos)[0];
            if (!is_one_of(before, kBlockerWords)) add(*t, pos);
            return t->end;
        }
        if (iequals(word, "deliverable") || iequals(word, "deliverables")) {
            const size_t end = scan_deliverable_words(pos, word_end, word.size() > 11);
            if (end != npos) return end;
        }
        if (fgdpm_prefix_end(s_, pos) != npos) {
            fgdpm_seen_ = true;
            if (std::optional<Token> t = parse_fgdpm_doc(s_, pos)) {
                add(*t, pos);
                return t->end;
            }
        }
        if (word == "O" || word == "I") {
            if (std::optional<Token> t = parse_doc_tail(s_, pos, false, true)) {
                if (add(*t, pos)) {
                    const auto before = words_before(pos);
                    pending_.push_back(
                        {mentions_.size() - 1, line_start_,
                         is_one_of(before[0], kCueWords) || is_one_of(before[1], kCueWords)});
                }
                return t->end;
            }
        }
        const size_t title_end = match_title(pos, word);
        return title_end != npos ? title_end : word_end;
    }

    /// A deliverable number after "deliverable(s)": "D3.2", "D 3.2" or "3.2".
    std::optional<Token> parse_item(size_t pos) const {
        std::optional<Token> t =
            parse_d_form(s_, pos, {false, ctx_ == MentionContext::attachment_name});
        return t ? t : parse_number_pair(s_, pos);
    }

    /// End of a list separator between two items (',', ';', '/', '&', "and",
    /// "or", ", and"), or npos.
    size_t list_separator_end(size_t pos) const {
        size_t q = skip_word_gap(pos, 0);
        if (q == npos || q >= s_.size()) return npos;
        bool found = false;
        if (s_[q] == ',' || s_[q] == ';' || s_[q] == '/' || s_[q] == '&') {
            q = skip_word_gap(q + 1, 0);
            if (q == npos) return npos;
            found = true;
        }
        for (std::string_view conj : {std::string_view("and"), std::string_view("or")}) {
            const size_t e = q + conj.size();
            if (e < s_.size() && iequals(s_.substr(q, conj.size()), conj) && !is_alnum(s_[e])) {
                q = skip_word_gap(e, 1);
                if (q == npos) return npos;
                found = true;
                break;
            }
        }
        return found ? q : npos;
    }

    /// "deliverable 3.2" / "Deliverable D3.2" and, when `plural`, the items that
    /// follow ("deliverables 3.1 and 3.2"). Returns the end of the last item, or
    /// npos when no number follows the word.
    size_t scan_deliverable_words(size_t pos, size_t word_end, bool plural) {
        const size_t p = skip_word_gap(word_end, 1);
        if (p == npos) return npos;
        std::optional<Token> item = parse_item(p);
        if (!item) return npos;
        add(*item, pos); // the mention's text includes the word
        size_t end = item->end;
        while (plural) {
            const size_t q = list_separator_end(end);
            if (q == npos) break;
            item = parse_item(q);
            if (!item) break;
            add(*item, q);
            end = item->end;
        }
        return end;
    }

    /// End of the longest full title starting at the word s_[pos, pos+word), or npos.
    size_t match_title(size_t pos, std::string_view word) {
        if (word.size() > max_first_word_) return npos;
        const auto it = by_first_word_.find(ascii_lower(word));
        if (it == by_first_word_.end()) return npos;
        size_t best_end = npos;
        const Title* best = nullptr;
        for (size_t index : it->second) {
            const Title& t = titles_[index];
            size_t q = pos + word.size();
            for (size_t w = 1; w < t.words.size() && q != npos; ++w) {
                q = skip_gap(q, 1, kMaxTitleGap, [](char c) { return !is_alnum(c); });
                const std::string& tw = t.words[w];
                if (q == npos || !iequals(s_.substr(q, tw.size()), tw) ||
                    (q + tw.size() < s_.size() && is_alnum(s_[q + tw.size()])))
                    q = npos;
                else
                    q += tw.size();
            }
            if (q != npos && (best_end == npos || q > best_end)) {
                best_end = q;
                best = &t;
            }
        }
        if (!best) return npos;
        add(&reg_[best->deliverable], pos, best_end, MentionKind::title);
        return best_end;
    }

    /// Drops the short "O-nnn" mentions that have no document context.
    void resolve_short_mentions() {
        if (pending_.empty()) return;
        std::vector<bool> drop(mentions_.size(), false);
        for (const Pending& p : pending_) {
            const auto it = std::lower_bound(
                line_tokens_.begin(), line_tokens_.end(), p.line_start,
                [](const std::pair<size_t, int>& e, size_t v) { return e.first < v; });
            const bool list =
                it != line_tokens_.end() && it->first == p.line_start && it->second >= 2;
            const bool context =
                ctx_ == MentionContext::attachment_name || fgdpm_seen_ || p.cue || list;
            drop[p.mention] = !context;
        }
        size_t out = 0;
        for (size_t i = 0; i < mentions_.size(); ++i) {
            if (drop[i]) continue;
            if (out != i) mentions_[out] = std::move(mentions_[i]);
            ++out;
        }
        mentions_.resize(out);
    }

    std::string_view s_;
    const std::vector<Deliverable>& reg_;
    MentionContext ctx_;
    std::vector<std::optional<DocId>> ids_;     // parse_doc_id(reg_[i].id)
    std::vector<std::optional<DocId>> outputs_; // parse_doc_id(reg_[i].output_doc)
    std::vector<Title> titles_;
    std::unordered_map<std::string, std::vector<size_t>> by_first_word_;
    size_t max_first_word_ = 0;

    std::vector<Mention> mentions_;
    std::vector<Pending> pending_;
    std::vector<std::pair<size_t, int>> line_tokens_; // (line start, document-like tokens)
    size_t line_start_ = 0;
    bool fgdpm_seen_ = false;
};

std::string pad3(int n) {
    std::string s = std::to_string(n);
    if (s.size() < 3) s.insert(0, 3 - s.size(), '0');
    return s;
}

} // namespace

std::string_view mention_kind_name(MentionKind kind) {
    switch (kind) {
    case MentionKind::id:
        return "id";
    case MentionKind::spaced:
        return "spaced";
    case MentionKind::word:
        return "word";
    case MentionKind::output_doc:
        return "output_doc";
    case MentionKind::short_output_doc:
        return "short_output_doc";
    case MentionKind::title:
        return "title";
    }
    return "id";
}

std::vector<Mention> find_mentions(std::string_view text, const std::vector<Deliverable>& registry,
                                   MentionContext ctx) {
    return Scanner(text, registry, ctx).run();
}

std::optional<DocId> parse_doc_id(std::string_view text) {
    const std::string_view s = trim(text);
    constexpr DForms kLenient{true, true};
    constexpr std::string_view kWord = "deliverable";
    std::optional<Token> t;
    if (s.size() > kWord.size() && iequals(s.substr(0, kWord.size()), kWord) &&
        is_space(s[kWord.size()])) {
        size_t pos = kWord.size();
        while (pos < s.size() && is_space(s[pos]))
            ++pos;
        t = parse_d_form(s, pos, kLenient);
        if (!t) t = parse_number_pair(s, pos);
    } else {
        t = parse_d_form(s, 0, kLenient);
        if (!t) t = parse_fgdpm_doc(s, 0);
        if (!t) t = parse_doc_tail(s, 0, /*any_case=*/true, /*dash_required=*/true);
    }
    if (!t || t->end != s.size()) return std::nullopt;
    return t->id;
}

std::string format_doc_id(const DocId& id) {
    if (id.type == DocId::Type::deliverable)
        return "D" + std::to_string(id.wg) + "." + std::to_string(id.n);
    std::string out = id.type == DocId::Type::output_doc ? "FG-DPM-O-" : "FG-DPM-I-";
    out += pad3(id.number);
    if (id.revision > 0) out += "-R" + std::to_string(id.revision);
    return out;
}

std::string normalise_doc_id(std::string_view text) {
    const std::optional<DocId> id = parse_doc_id(text);
    return id ? format_doc_id(*id) : std::string();
}

} // namespace mlarc
