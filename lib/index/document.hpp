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
};

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
    DocumentBuilder(Xapian::TermGenerator tg, IndexLevel level)
        : tg_(std::move(tg)), level_(level) {}
    void index_text(std::string_view text, std::string_view prefix);

    Xapian::TermGenerator tg_;
    IndexLevel level_;
    std::string prefix_buf_;
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
