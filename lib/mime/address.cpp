// Address lists and message ids (FAILURE-MODES B.14, B.18, E).
//
// The address parser is a single forward scan with an explicit state (item
// being built, group or not) and no recursion: comments are skipped with a
// nesting counter, so 99999 colons or parentheses cost linear time and no
// stack (gmime#15). It is deliberately forgiving: '@' in unquoted display
// names, double '@', "addr (Name)", empty groups, route addresses, encoded
// words holding commas. mimetic's AddressList was tested and not used: it
// keeps quotes and leading blanks in labels, drops "(Name)" comments and does
// not decode RFC 2047. Message-ID and References parsing is token-based and
// garbage tolerant.
#include "mime/detail.hpp"

#include <algorithm>
#include <unordered_set>

namespace mlarc {
namespace {

using mime_detail::is_ws;

/// A word of a display name: a view into the header (a quoted word's inner
/// text keeps its backslash escapes until it is joined).
struct Word {
    std::string_view text;
    bool quoted = false;
};

struct Item {
    std::vector<Word> words;
    std::string_view angle;
    bool has_angle = false;
    std::string_view comment;
    size_t start = 0; // raw text start
    bool in_word = false;

    void reset(size_t at) {
        words.clear();
        angle = comment = {};
        has_angle = in_word = false;
        start = at;
    }
    /// Adds s[i, i+n) to the current unquoted word (words are contiguous runs).
    void extend(std::string_view s, size_t i, size_t n) {
        if (in_word) words.back().text = std::string_view(words.back().text.data(), words.back().text.size() + n);
        else words.push_back({s.substr(i, n), false});
        in_word = true;
    }
};

std::string lower_address(std::string_view a) {
    std::string out(a.size(), '\0');
    size_t n = 0;
    bool ascii = true;
    for (char c : a) {
        if (is_ws(c)) continue;
        out[n++] = mime_detail::lower(c);
        ascii = ascii && static_cast<unsigned char>(c) < 0x80 && c != '\0';
    }
    out.resize(n);
    return ascii ? out : mime_detail::header_text(out);
}

void append_unescaped(std::string& out, std::string_view v) {
    for (size_t i = 0; i < v.size(); ++i) {
        if (v[i] == '\\' && i + 1 < v.size()) ++i;
        out += v[i];
    }
}

std::string join_words(const std::vector<Word>& words, size_t skip = SIZE_MAX, size_t skip2 = SIZE_MAX) {
    std::string out;
    for (size_t k = 0; k < words.size(); ++k) {
        if (k == skip || k == skip2) continue;
        if (!out.empty()) out += ' ';
        if (words[k].quoted) append_unescaped(out, words[k].text);
        else out += words[k].text;
    }
    return out;
}

std::string display_name(std::string_view raw) {
    raw = trim(raw);
    if (raw.empty()) return {};
    std::string name = decode_rfc2047(raw);
    std::string_view t = trim(name);
    if (t.size() >= 2 && ((t.front() == '"' && t.back() == '"') || (t.front() == '\'' && t.back() == '\'')))
        t = trim(t.substr(1, t.size() - 2));
    return std::string(t);
}

std::string comment_name(const Item& it) {
    std::string out;
    append_unescaped(out, it.comment);
    return display_name(out);
}

/// Bytes that end a run of plain word bytes.
bool stops_word(char c) {
    switch (c) {
    case ' ': case '\t': case '\r': case '\n': case '"': case '(': case '<': case ',': case ';': case ':': case '=':
        return true;
    default:
        return false;
    }
}

bool has_at(const Word& w) { return !w.quoted && w.text.find('@') != std::string_view::npos; }

/// Turns a finished item into addresses appended to `list`.
void finish(const Item& it, std::string_view raw, bool deobfuscate, std::vector<Address>& list) {
    auto add = [&](std::string address, std::string name) {
        if (!address.empty() || !name.empty()) list.push_back({std::move(address), std::move(name)});
    };
    if (it.has_angle) {
        std::string_view a = trim(it.angle);
        if (!a.empty() && a.front() == '@') { // route: <@a,@b:user@host>
            const size_t colon = a.rfind(':');
            if (colon != std::string_view::npos) a = a.substr(colon + 1);
        }
        return add(lower_address(a), it.words.empty() ? comment_name(it) : display_name(join_words(it.words)));
    }
    size_t at_words = 0, at_word = SIZE_MAX;
    for (size_t k = 0; k < it.words.size(); ++k) {
        if (!has_at(it.words[k])) continue;
        if (at_words++ == 0) at_word = k;
    }
    if (at_words > 1) { // "a@x b@y": addresses missing their commas
        for (const auto& w : it.words)
            if (has_at(w)) add(lower_address(w.text), {});
        return;
    }
    if (at_word != SIZE_MAX) {
        return add(lower_address(it.words[at_word].text),
                   it.comment.empty() ? display_name(join_words(it.words, at_word)) : comment_name(it));
    }
    if (deobfuscate) { // pipermail: "user at example.org"
        for (size_t k = 1; k + 1 < it.words.size(); ++k) {
            if (mime_detail::iequals(it.words[k].text, "at") &&
                it.words[k + 1].text.find('.') != std::string_view::npos) {
                std::string address = std::string(it.words[k - 1].text) + "@" + std::string(it.words[k + 1].text);
                std::vector<Word> rest;
                for (size_t j = 0; j < it.words.size(); ++j)
                    if (j + 1 < k || j > k + 1) rest.push_back(it.words[j]);
                return add(lower_address(address), it.comment.empty() ? display_name(join_words(rest)) : comment_name(it));
            }
        }
    }
    if (it.words.size() == 1 && !it.words[0].quoted) // local-only address ("root")
        return add(lower_address(it.words[0].text), comment_name(it));
    if (!it.words.empty()) add(mime_detail::header_text(trim(raw)), {}); // unparsable: raw text
}

/// Index of the byte closing a bracketed run opened at s[i] (quote, comment
/// with nesting, angle), or s.size() when it is not closed.
size_t closing(std::string_view s, size_t i) {
    const char open = s[i];
    const char close = open == '(' ? ')' : open == '<' ? '>' : '"';
    int depth = 0;
    for (size_t k = i; k < s.size(); ++k) {
        const char c = s[k];
        if (c == '\\' && open != '<' && k + 1 < s.size()) {
            ++k;
        } else if (open == '(' && c == '(' ) {
            ++depth;
        } else if (c == close && k > i && (open != '(' || --depth == 0)) {
            return k;
        }
    }
    return s.size();
}

} // namespace

std::vector<Address> parse_address_list(std::string_view s, bool deobfuscate_at) {
    std::vector<Address> result;
    Item it;
    auto emit = [&](size_t end) {
        const size_t b = std::min(it.start, end);
        finish(it, s.substr(b, end - b), deobfuscate_at, result);
        it.reset(end + 1);
    };
    size_t i = 0;
    while (i < s.size()) {
        const char c = s[i];
        if (c == '"' || c == '(' || c == '<') {
            const size_t e = closing(s, i); // > i
            const std::string_view inner = s.substr(i + 1, e - i - 1);
            if (c == '"') {
                it.words.push_back({inner, true});
            } else if (c == '(') {
                if (it.comment.empty()) it.comment = inner;
            } else if (!it.has_angle) {
                it.angle = inner;
                it.has_angle = true;
            }
            it.in_word = false;
            i = e + 1;
        } else if (c == ',' || c == ';') {
            emit(i);
            ++i;
        } else if (c == ':' && !it.has_angle) { // group name: forget it
            it.reset(++i);
        } else if (is_ws(c)) {
            it.in_word = false;
            ++i;
        } else if (c == '=' && i + 1 < s.size() && s[i + 1] == '?') {
            // An encoded word may hold ',' or ':' (broken, common): take it whole
            // when "?=" comes before a blank within 256 bytes.
            size_t e = i + 2;
            while (e + 1 < s.size() && e - i < 256 && !is_ws(s[e]) && !(s[e] == '?' && s[e + 1] == '=')) ++e;
            const bool whole = e + 1 < s.size() && s[e] == '?' && s[e + 1] == '=';
            const size_t n = whole ? e + 2 - i : 1;
            it.extend(s, i, n);
            i += n;
        } else {
            size_t e = i + 1; // the rest of a plain run of word bytes
            while (e < s.size() && !stops_word(s[e])) ++e;
            it.extend(s, i, e - i);
            i = e;
        }
    }
    emit(s.size());
    return result;
}

std::string normalise_message_id(std::string_view value) {
    std::string_view v = trim(value);
    const size_t lt = v.find('<');
    const size_t gt = lt == std::string_view::npos ? lt : v.find('>', lt);
    if (gt != std::string_view::npos) {
        v = v.substr(lt, gt - lt + 1);
    } else {
        size_t e = 0;
        while (e < v.size() && !is_ws(v[e])) ++e;
        v = v.substr(0, e);
    }
    while (!v.empty() && v.front() == '<') v.remove_prefix(1);
    while (!v.empty() && v.back() == '>') v.remove_suffix(1);
    return mime_detail::header_text(trim(v));
}

std::vector<std::string> parse_id_list(std::string_view value, size_t max) {
    std::vector<std::string> ids;
    std::unordered_set<std::string> seen;
    auto add = [&](std::string_view raw) {
        std::string id;
        id.reserve(raw.size());
        for (char c : raw)
            if (!is_ws(c) && c != '<' && c != '>' && c != '"') id += c;
        if (id.empty()) return;
        if (!mime_detail::classify(id).ascii || id.find('\0') != std::string::npos) id = mime_detail::header_text(id);
        bool duplicate;
        if (ids.size() <= 32) { // short lists: no hashing
            duplicate = std::find(ids.begin(), ids.end(), id) != ids.end();
        } else {
            if (seen.empty()) seen.insert(ids.begin(), ids.end());
            duplicate = !seen.insert(id).second;
        }
        if (!duplicate) ids.push_back(std::move(id));
    };
    bool bracketed = false;
    for (size_t i = value.find('<'); i != std::string_view::npos; i = value.find('<', i)) {
        const size_t gt = value.find('>', i + 1);
        if (gt == std::string_view::npos) break;
        const size_t inner = value.rfind('<', gt); // "<<x>" -> x
        add(value.substr(inner + 1, gt - inner - 1));
        bracketed = true;
        i = gt + 1;
    }
    if (!bracketed) {
        size_t i = 0;
        while (i < value.size()) {
            while (i < value.size() && (is_ws(value[i]) || value[i] == ',')) ++i;
            size_t e = i;
            while (e < value.size() && !is_ws(value[e]) && value[e] != ',') ++e;
            if (value.substr(i, e - i).find('@') != std::string_view::npos) add(value.substr(i, e - i));
            i = e;
        }
    }
    if (ids.size() > max) { // keep the root and the nearest ancestors
        if (max == 0) return {};
        ids.erase(ids.begin() + 1, ids.end() - static_cast<std::ptrdiff_t>(max - 1));
    }
    return ids;
}

} // namespace mlarc
