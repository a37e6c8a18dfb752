// Inside the query module only (not for front ends): the compiled Xapian form
// of a QuerySpec, the query text checks done before Xapian's parser sees the
// text, and the helper that runs a read against the index with reopen retry
// and turns every Xapian exception into an Error.
#pragma once

#include "index/schema.hpp"
#include "index/xapian_db.hpp"
#include "query/archive.hpp"
#include "query/search.hpp"
#include "util/result.hpp"

#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace mlarc::query_detail {

/// Longest query text accepted (bytes), deepest parenthesis nesting, most
/// distinct terms in a query before wildcard expansion (FAILURE-MODES 51).
inline constexpr size_t kMaxQueryBytes = 4096;
inline constexpr int kMaxNesting = 100;
inline constexpr size_t kMaxTerms = 64;
/// Most words one wildcard may expand to (FAILURE-MODES 52).
inline constexpr unsigned kMaxWildcardExpansion = 100;

/// The query names users may type before ':' (every field name and alias of
/// kIndexFields, plus "wg"), sorted.
const std::vector<std::string>& known_prefixes();

/// Checks the query text before parsing: length, UTF-8, balanced quotes and
/// parentheses, nesting, leading wildcards, "word:" tokens whose word is not a
/// known prefix (Xapian would search them as text), known prefixes with no
/// value, and prefix groups "from:(a b)" on filter fields. Errors: usage.
Status check_query_text(std::string_view text);

/// A QuerySpec compiled against one index.
struct Compiled {
    /// What is run: `parsed` with its phrases read through the index's
    /// phrase pairs (with_phrase_pairs()), the same matches.
    Xapian::Query query;
    /// As parsed: its terms are the words to highlight.
    Xapian::Query parsed;
    /// Query::get_description(), with the serialised bounds of value ranges
    /// shown as dates ("2018-01-01T00:00:00Z") or numbers.
    std::string description;
};

/// `spec` as one Xapian query against `db` (see search.hpp for the language).
/// Errors: usage for query problems; the errors of Archive::lists().
Result<Compiled> compile(Archive& archive, Xapian::Database& db, const QuerySpec& spec);

/// `q` with each phrase of one field's words that holds a pair word (sorted
/// `pair_words`, schema.hpp) read through the pair terms: a phrase of two
/// words becomes their pair term, a longer one is filtered by the AND of
/// those of its pairs that are at most half as frequent as its rarest word
/// (the matcher then checks positions only where every such pair is).
/// The same matches on an index built with those pair words. Phrases under
/// operators whose parameters Xapian does not give back (NEAR, scaled
/// weights, value ranges...) and phrases whose window is not their length
/// are left as they are.
Xapian::Query with_phrase_pairs(Xapian::Database& db, const Xapian::Query& q,
                                const std::vector<std::string>& pair_words);

/// The usage error for a wildcard that expands to too many words.
Error wildcard_error(const Xapian::WildcardError& e);

/// Runs fn(db) -> Result<T> against the archive's index with IndexReader's
/// reopen retry; Xapian errors become Errors (a WildcardError -> usage).
template <typename F>
auto read_index(Archive& archive, F&& fn) -> std::invoke_result_t<F, Xapian::Database&> {
    using R = std::invoke_result_t<F, Xapian::Database&>;
    auto idx = archive.index();
    if (!idx.ok()) return idx.error();
    auto r = (*idx)->run([&](Xapian::Database& db) -> R {
        try {
            return fn(db);
        } catch (const Xapian::WildcardError& e) {
            return wildcard_error(e);
        }
    });
    if (!r.ok()) return r.error();
    return std::move(*r);
}

/// The encoded document data of `doc`: its data slot (schema.hpp), or its
/// document data in an index made before that slot.
std::string doc_data_bytes(const Xapian::Document& doc);

/// The index's document data of `docid`: its data slot (schema.hpp), or its
/// document data in an index made before that slot. Errors: bad_input
/// (damaged data).
Result<DocData> doc_data(Xapian::Database& db, Xapian::docid docid);

} // namespace mlarc::query_detail
