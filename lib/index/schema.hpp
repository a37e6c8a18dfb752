// The search index schema: ONE table saying, for every field users can search,
// its query name, the Xapian term prefix, how it is indexed, its value slot and
// an example query. The document builder (index/document.hpp) takes its
// prefixes and slots from here and the query layer configures its parser by
// looping over it, so the two cannot drift apart. Also here: the index's
// metadata keys, the term-making rules shared by both sides, and the document
// data (what a result line needs, so a page of results needs no SQLite).
//
// Prose (the index is derived from SQLite and can be rebuilt at any time with
// `mlarc index --rebuild`):
//
// Documents: one per row of `messages`; the Xapian docid IS messages.id, so
// re-indexing a message replaces its document and is idempotent. Every
// document also carries Q<Message-ID> (notmuch's and Omega's unique-id term;
// two contents under one Message-ID share it, see FAILURE-MODES 13) and
// XID<messages.id>.
//
// Prefixes follow Xapian Omega (xapian-omega/docs/termprefixes.rst): single
// capitals are the standard meanings (A author, K keyword, M month, Q unique
// id, S subject, Y year), X... are ours. Free-text fields are words generated
// by Xapian::TermGenerator: lower-cased, with positions at level "full" (phrase
// and NEAR queries work) and none at level "light". With a stemming language
// every word is indexed as its stem only (TermGenerator::STEM_ALL: "caches"
// -> <prefix>cach, positions on the stems), which makes a third fewer terms
// to build and insert than STEM_SOME's word plus Z<prefix><stem> pair; the
// query parser must therefore use QueryParser::STEM_ALL (metadata "stemming"
// says "all", or "none" for language none), and an exact, unstemmed word cannot
// be told apart from its stem. The prefix "Z" stays reserved for stems. CJK
// text is split into 1- and 2-character n-grams (FLAG_CJK_NGRAM); the query
// parser must use the same flag. Boolean fields are
// whole values, one term each, wdf 0, for filtering: prefix + value, with ':'
// in between when the prefix is longer than one character and the value starts
// with an ASCII capital (QueryParser's rule), NUL bytes dropped, and the term
// cut to 240 bytes at a UTF-8 boundary (Xapian's limit is 245).
//
// What the default (unprefixed) free text holds: the subject, the author's name
// and address, attachment file names, the body and the text of text/*
// attachments. Not indexed at all: quoted reply lines (lines starting with
// '>': they repeat the parent, which is indexed itself; the "On ... wrote:"
// attribution line stays), base64/uuencode-looking lines, words longer than 64
// bytes, the other headers (lists, recipients and dates have their own
// fields), and in patches the "@@" line numbers and the index/---/+++ lines
// after "diff --git" (indexable_text()).
//
// Value slots 0-2 hold sortable_serialise()d numbers: 0 date (UTC seconds;
// date ranges and sorting), 1 thread id (the collapse key: one hit per
// thread), 2 raw size in bytes. Slots 3-5 hold the facet keys as plain
// strings, counted by Xapian::ValueCountMatchSpy (the one match spy the stock
// xapian-tcpsrv can run, so facets work over remote shards): 3 the message's
// lists (sorted, joined by NUL: facet_lists_value), 4 the author's address as
// written (empty: no value), 5 the month "YYYY-MM" (UTC, facet_month_value).
// Slot 6 holds the document data again (encode_doc_data): Xapian compresses
// the data with zlib and inflating ~200 bytes costs ~10,000 instructions (the
// fixed cost of a dynamic Huffman block), while value chunks are stored plain
// and a result page's threads read it for hundreds of messages in docid order
// through one value stream. Indexes made before slot 6 lack it: readers fall
// back to the data (query/detail.hpp doc_data()), so no rebuild is forced.
//
// Phrase pairs (level full only): every two words at neighbouring positions
// of one free-text field, at least one of them a pair word (a short list of
// the commonest English function words, "the", "of", "to"..., as stems), are
// also indexed as ONE term without positions: kPairPrefix + the first word's
// term (field prefix included) + ' ' + the second word (pair_term()). This is
// the "common grams" of Lucene and of search engines before it: a phrase such
// as "the meeting" otherwise makes Xapian read the positions of every
// document holding both words, and "the" is in nearly all of them, so its
// cost grows with the archive (issue 8, 190 ms CPU at a million messages);
// the pair's posting list is exactly the phrase's matches. The query layer
// reads a two-word phrase with a pair word as the pair term, and a longer
// phrase as the phrase filtered by its pairs (with_phrase_pairs()).
// Words are found by position on the built document, so the pairs are the
// neighbours Xapian's phrase search sees, CJK n-grams included. Metadata
// "pair_words" lists the pair words (stems, space separated) an index was
// built with, and is empty or absent in an index without pairs (made before
// them or at level light): queries are then left alone, and an update keeps
// the recorded list so every document of one index agrees.
//
// Metadata: "schema" = kIndexSchemaVersion (checked on every open; a mismatch
// is Errc::schema, hint "run `mlarc index --rebuild`"), "last_seq" = the store
// change_seq the index reflects (set in the same commit as the changes),
// "level" = full|light, "language" = the stemmer ("none" for no stemming),
// "stemming" = all|none (the TermGenerator/QueryParser strategy),
// "pair_words" (above); the query layer uses the last four to parse queries
// the way the text was indexed.
#pragma once

#include "util/result.hpp"

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace mlarc {

/// Bump when the terms, slots or document data change in a way that needs a
/// rebuild.
inline constexpr int kIndexSchemaVersion = 2; // 2: facet slots 3-5

inline constexpr std::string_view kMetaSchema = "schema";
inline constexpr std::string_view kMetaLastSeq = "last_seq";
inline constexpr std::string_view kMetaLevel = "level";
inline constexpr std::string_view kMetaLanguage = "language";
inline constexpr std::string_view kMetaStemming = "stemming";
inline constexpr std::string_view kMetaPairWords = "pair_words";

/// The prefix of phrase pair terms (pair_term()).
inline constexpr std::string_view kPairPrefix = "XP";

inline constexpr unsigned kSlotDate = 0;
inline constexpr unsigned kSlotThread = 1;
inline constexpr unsigned kSlotSize = 2;
inline constexpr unsigned kSlotFacetLists = 3;  // facet_lists_value()
inline constexpr unsigned kSlotFacetAuthor = 4; // the author's address
inline constexpr unsigned kSlotFacetMonth = 5;  // facet_month_value()
inline constexpr unsigned kSlotDocData = 6;     // encode_doc_data(), as the data
inline constexpr std::array<unsigned, 3> kFacetSlots{kSlotFacetLists, kSlotFacetAuthor,
                                                     kSlotFacetMonth};
/// The slots that are not query fields (check_index_schema() keeps the
/// table's slots clear of them).
inline constexpr std::array<unsigned, 4> kNonFieldSlots{kSlotFacetLists, kSlotFacetAuthor,
                                                        kSlotFacetMonth, kSlotDocData};

/// Longest term we make (bytes, prefix included).
inline constexpr size_t kMaxTermBytes = 240;
/// Message-IDs longer than this are indexed as a hash (FAILURE-MODES 14).
inline constexpr size_t kMaxPlainMidBytes = 200;
/// Longest word the term generator indexes (FAILURE-MODES 38).
inline constexpr unsigned kMaxWordBytes = 64;

enum class FieldKind : uint8_t {
    text,    // free text: words, stemmed, positions at level full
    boolean, // whole values as single terms, for filters
    value,   // a value slot only (ranges, sorting); no terms
};

/// Order matches kIndexFields (static_assert'ed in schema.cpp).
enum class FieldId : uint8_t {
    body,
    subject,
    from,
    to,
    cc,
    list,
    mid,
    docid,
    thread,
    attachment,
    type,
    has,
    doc,
    domain,
    year,
    month,
    date,
    size,
};

struct IndexField {
    FieldId id;
    std::string_view name;    // query name ("from" in from:ralf)
    std::string_view aliases; // other query names, space separated
    std::string_view prefix;  // Xapian term prefix ("" for the default free text)
    FieldKind kind;
    int slot;                 // value slot, or -1
    bool exact;               // text field that also gets prefix+whole value as one term
    std::string_view example; // an example query
    std::string_view about;   // what it holds
};

// clang-format off
inline constexpr std::array<IndexField, 18> kIndexFields{{
    {FieldId::body, "body", "", "", FieldKind::text, -1, false,
     "cache coherency",
     "all free text: subject, author, attachment names, body (quoted lines skipped), text attachments"},
    {FieldId::subject, "subject", "", "S", FieldKind::text, -1, false,
     "subject:\"cache coherency\"", "the subject (decoded)"},
    {FieldId::from, "from", "author", "A", FieldKind::text, -1, true,
     "from:ralf@linux-mips.org",
     "author name and address as words; also A<address> exact (lower-cased) for one-term lookups"},
    {FieldId::to, "to", "", "XTO", FieldKind::boolean, -1, false,
     "to:linux-mips@linux-mips.org", "each To address (lower-cased)"},
    {FieldId::cc, "cc", "", "XCC", FieldKind::boolean, -1, false,
     "cc:ralf@linux-mips.org", "each Cc address (lower-cased)"},
    {FieldId::list, "list", "", "XLIST", FieldKind::boolean, -1, false,
     "list:linux-mips", "each list the message was archived from (lower-cased name; wg: maps here)"},
    {FieldId::mid, "id", "mid msgid", "Q", FieldKind::boolean, -1, false,
     "id:20050101120000.GA1234@linux-mips.org",
     "the Message-ID without <>; longer than 200 bytes: Qsha256:<hex of the id> (see mid_term)"},
    {FieldId::docid, "docid", "", "XID", FieldKind::boolean, -1, false,
     "docid:4711", "the SQLite messages.id (== the Xapian docid)"},
    {FieldId::thread, "thread", "", "XTHREAD", FieldKind::boolean, kSlotThread, false,
     "thread:4711", "the thread id; the value slot is the collapse key"},
    {FieldId::attachment, "attachment", "att", "XATT", FieldKind::text, -1, false,
     "attachment:patch", "words of attachment file names"},
    {FieldId::type, "type", "mimetype", "XTYPE", FieldKind::boolean, -1, false,
     "type:application/pdf", "content type of each attachment (lower-cased type/subtype)"},
    {FieldId::has, "has", "flag", "K", FieldKind::boolean, -1, false,
     "has:attachment",
     "'attachment' when there is one, and the name of each MessageFlag set (no_archive, ...)"},
    {FieldId::doc, "doc", "", "XDOC", FieldKind::boolean, -1, false,
     "doc:d3.1", "deliverable ids the message refers to (reserved: filled by a later issue)"},
    {FieldId::domain, "domain", "", "XDOM", FieldKind::boolean, -1, false,
     "domain:linux-mips.org",
     "author's mail domain and each parent domain with a dot (a.b.org -> a.b.org, b.org)"},
    {FieldId::year, "year", "", "Y", FieldKind::boolean, -1, false,
     "year:2018", "year of the date (UTC)"},
    {FieldId::month, "month", "", "M", FieldKind::boolean, -1, false,
     "month:201801", "YYYYMM of the date (UTC)"},
    {FieldId::date, "date", "", "", FieldKind::value, kSlotDate, false,
     "date:2018-01-01..2018-06-30", "UTC seconds in slot 0 (sortable_serialise)"},
    {FieldId::size, "size", "", "", FieldKind::value, kSlotSize, false,
     "size:100k..1M", "raw size in bytes in slot 2 (sortable_serialise)"},
}};
// clang-format on

/// The table entry of a field.
constexpr const IndexField& index_field(FieldId id) {
    return kIndexFields[static_cast<size_t>(id)];
}
/// The term prefix of a field.
constexpr std::string_view prefix_of(FieldId id) {
    return index_field(id).prefix;
}

/// The field called `name` (or one of its aliases); nullptr if none.
const IndexField* find_index_field(std::string_view name);
/// A field's query names: its name, then its aliases.
std::vector<std::string_view> field_names(const IndexField& f);

/// Problems with the table (duplicate names, prefixes or slots, a prefix that
/// breaks Omega's conventions...), one line each; empty when consistent.
std::vector<std::string> check_index_schema();

/// True when a term with `prefix` needs ':' before a value starting with `first`
/// (Xapian QueryParser's rule: multi-character prefix, ASCII capital).
constexpr bool prefix_needs_colon(std::string_view prefix, char first) {
    return prefix.size() > 1 && prefix.back() != ':' && first >= 'A' && first <= 'Z';
}

/// A boolean term: prefix + value (':' between them when needed), NUL bytes
/// dropped, cut to kMaxTermBytes at a UTF-8 boundary.
std::string make_term(std::string_view prefix, std::string_view value);

/// The length of the field prefix of a free-text term: its leading ASCII
/// capitals (words are lower-cased by the term generator).
size_t text_prefix_length(std::string_view term);

/// The phrase pair term of two neighbouring free-text terms of one field
/// (`second`'s prefix is the same as `first`'s and is not repeated):
/// kPairPrefix + first + ' ' + second without its prefix. Words never hold a
/// space. Empty when the term would be longer than kMaxTermBytes.
std::string pair_term(std::string_view first, std::string_view second);

/// The pair words of a "pair_words" metadata value, or of a list made for it,
/// sorted and without duplicates (ready for binary_search).
std::vector<std::string> split_pair_words(std::string_view meta);

/// The Q term of a Message-ID: Q<mid>, or Qsha256:<hex> when the id is longer
/// than kMaxPlainMidBytes.
std::string mid_term(std::string_view mid);

/// The list facet key of a message: its lists sorted, without duplicates,
/// joined by NUL (names never hold NUL; split(value, '\\0') gives them
/// back); empty for none.
std::string facet_lists_value(std::vector<std::string> lists);
/// The month facet key of a UTC time: "YYYY-MM".
std::string facet_month_value(int64_t utc);

/// What a result line needs, stored as the document data.
struct DocData {
    int64_t id = 0;
    std::string mid;
    int64_t mid_seq = 1;
    std::string subject;
    std::string from_name;
    std::string from_addr;
    int64_t date_utc = 0;
    int date_offset = 0; // minutes east of UTC
    std::vector<std::string> lists;
    int64_t thread_id = 0;
    uint32_t flags = 0;
    uint64_t size = 0;
    uint32_t attachments = 0; // number of attachments

    bool operator==(const DocData&) const = default;
};

/// Compact binary form: a version byte, then varints (zig-zag for signed
/// numbers) and length-prefixed strings in the field order above.
std::string encode_doc_data(const DocData& d);
/// Inverse of encode_doc_data. Errors: bad_input for truncated or foreign data.
Result<DocData> decode_doc_data(std::string_view data);

/// What a thread's summary line needs of a document's data, as views into
/// the encoded bytes (no allocation: a page of many threads reads thousands).
struct DocDataAuthor {
    std::string_view from_name, from_addr;
    int64_t date_utc = 0;
    std::vector<std::string_view> lists; // reused between calls
};
/// Fills `out` from encode_doc_data() bytes; false for truncated or foreign data.
bool decode_doc_data_author(std::string_view data, DocDataAuthor& out);

} // namespace mlarc
