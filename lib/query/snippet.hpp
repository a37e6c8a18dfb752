// Snippets of result pages: a short extract of a message body with the words
// the query matched marked, made by our own highlighter instead of Xapian's
// MSet::snippet(). MSet::snippet() tokenises and stems the whole text it is
// given and scores every window with a background model; on the 2017-2019
// linux-mips slice that was about half of the work of a first result page
// (callgrind, `mlarc search kernel`). This one:
//  - knows what to mark from the parsed query: its unprefixed terms (words,
//    as phrases and STEM_NONE give them), its Z-terms (stems, STEM_SOME) or,
//    in an index of stems only (STEM_ALL), its unprefixed terms as stems, and
//    the stems of its wildcards' patterns as word prefixes;
//  - scans the text once, word by word (Xapian's Unicode word characters,
//    lower-cased; CJK characters one by one), stemming a word only when it
//    could give one of the query's stems (same first two letters) and only
//    once per distinct word for the whole page;
//  - keeps the first window of about `bytes` bytes that holds the most
//    distinct matched terms, and stops scanning as soon as one window holds
//    all of them (a one-word query stops at its first match);
//  - without a match in the text (the message matched on its subject or a
//    filter), gives the head of the text.
// The extract never cuts a word or a UTF-8 sequence; "…" marks text left
// out before or after it.
#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace Xapian {
class Query;
class Stem;
} // namespace Xapian

namespace mlarc::query_detail {

/// What a snippet marks.
struct HighlightTerms {
    std::unordered_set<std::string> words; // lower-case words marked as they are
    std::unordered_set<std::string> stems; // a word whose stem is one of these is marked
    std::vector<std::string> prefixes;     // wildcards: words starting with one of these
    bool empty() const { return words.empty() && stems.empty() && prefixes.empty(); }
};

/// The free-text terms of `q` (see above). `stem_all`: the index holds stems
/// only, so unprefixed terms are stems.
HighlightTerms highlight_terms(const Xapian::Query& q, bool stem_all);

/// First bytes of the query terms (ASCII, lower case): a filter that lets
/// the scan skip most words without a lookup.
struct Heads {
    std::array<bool, 128> single{}; // a term of one byte, or a prefix of one
    std::vector<bool> pairs = std::vector<bool>(128 * 128); // [c0 << 7 | c1]; c1 0: non-ASCII
};

/// Makes the snippets of one page; keeps what it learnt about words between
/// calls (one object per page).
class Snippeter {
  public:
    /// `stem` may be the empty stemmer (no stems are then looked for).
    Snippeter(HighlightTerms terms, const Xapian::Stem& stem);
    ~Snippeter();
    Snippeter(const Snippeter&) = delete;
    Snippeter& operator=(const Snippeter&) = delete;

    /// An extract of about `bytes` bytes of `text` (one line: blanks already
    /// collapsed), matches between `hi_start` and `hi_end`.
    /// `settled` (optional) tells whether the extract would be the same for
    /// any longer text that `text` is the start of: the scan found every term
    /// (or there are none) and the extract ends well before the end of `text`.
    /// A caller can then try the head of a long text first.
    std::string make(std::string_view text, size_t bytes, std::string_view hi_start,
                     std::string_view hi_end, bool* settled = nullptr);

  private:
    /// The term group `word` (lower-case) matches, or -1.
    int group_of(const std::string& word);

    HighlightTerms terms_;
    const Xapian::Stem& stem_;
    std::unordered_map<std::string, int> group_ids_; // word/stem/prefix -> group
    std::unordered_map<std::string, int> seen_;      // word -> group or -1 (cache)
    std::unordered_set<std::string> stem_heads_;     // first two bytes of the stems
    Heads heads_;                                    // first bytes of all terms
    int groups_ = 0;
};

} // namespace mlarc::query_detail
