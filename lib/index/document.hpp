// The document builder: one message from the store feed -> one Xapian
// document, following the schema table (index/schema.hpp): free text through
// a TermGenerator (positions at level full, stemming by language, CJK n-grams),
// boolean filter terms, value slots, and the compact document data.
//
// A builder owns a TermGenerator and a Stem; Xapian objects must not be
// shared between threads, so every indexing thread creates its own builder.
// A built document holds no reference back to the builder and may be handed
// to another thread (the single writer).
#pragma once

#include "index/schema.hpp"
#include "index/xapian_db.hpp"
#include "store/index_feed.hpp"
#include "util/result.hpp"

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mlarc {

/// How much the index holds. full: word positions (phrase and NEAR queries);
/// light: no positions (faster to build, smaller; phrases match as AND).
enum class IndexLevel { full, light };

std::string_view index_level_name(IndexLevel level);
/// "full" or "light". Errors: usage.
Result<IndexLevel> parse_index_level(std::string_view name);

struct BuilderOptions {
    IndexLevel level = IndexLevel::full;
    std::string language = "english"; // a Xapian::Stem language, or "none"
    /// The phrase pair words (schema.hpp), as metadata "pair_words" holds
    /// them; empty: no pair terms. Only used at level full.
    std::string pair_words;
};

/// The pair words of a new index at `level` in `language`: the list's words
/// as the language's stemmer indexes them, space separated; empty at level
/// light (no positions, no phrases). Errors: usage for an unknown language.
Result<std::string> default_pair_words(IndexLevel level, std::string_view language);

/// Ok for "none" and the stemmers Xapian knows. Errors: usage, with the list.
Status check_index_language(std::string_view language);

class DocumentBuilder {
  public:
    /// Errors: usage for an unknown language.
    static Result<DocumentBuilder> create(const BuilderOptions& opts);

    /// The document of `m` (its docid is m.id; the caller stores it with
    /// replace_document). Errors: internal when Xapian fails.
    Result<Xapian::Document> build(const FeedMessage& m);

  private:
    DocumentBuilder(Xapian::TermGenerator tg, IndexLevel level, std::vector<std::string> pair_words)
        : tg_(std::move(tg)), level_(level), pair_words_(std::move(pair_words)) {}
    void index_text(std::string_view text, std::string_view prefix);
    void add_pairs(Xapian::Document& doc);

    Xapian::TermGenerator tg_;
    IndexLevel level_;
    std::string prefix_buf_;
    std::vector<std::string> pair_words_; // sorted; empty: no pairs
    // add_pairs()'s working space, kept between documents.
    struct Word {
        std::string term;
        size_t prefix;
        bool pair_word;
    };
    std::vector<Word> words_;
    std::vector<std::pair<Xapian::termpos, uint32_t>> at_; // position -> words_ index
};

/// The result-line data of a message.
DocData doc_data_of(const FeedMessage& m);

/// Text as it is indexed: lines quoting another message (first non-blank
/// character '>') and runs of base64/uuencode-looking lines are dropped, NUL
/// bytes become spaces. The "On ... wrote:" attribution line is kept. In
/// patches (unified diffs), the line numbers of a hunk's "@@" header and,
/// after a "diff --git" line, the "index"/"---"/"+++" lines (which repeat its
/// file names) are dropped; the hunk's lines, the function named in the "@@"
/// header and the "diff --git" line are kept.
std::string indexable_text(std::string_view text);

} // namespace mlarc
