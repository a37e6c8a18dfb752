// Deliverable mentions: finds the places where a subject, a message body or an
// attachment file name refers to an FG-DPM deliverable, and normalises
// document identifiers. Hand-written scanning (no std::regex): the text is read
// once, left to right, and the work at each position is bounded by the
// registry, so the cost is linear in the length of the text.
//
// Tokens start at a word start: an ASCII letter or digit whose previous byte is
// not an ASCII letter or digit (punctuation, space, '_', and any UTF-8 byte
// count as boundaries, so "关于D3.2草案" and "draft_D3.2.docx" match).
// A number token ends at the end of the text or at a byte that is neither an
// ASCII letter/digit nor a '.' followed by a digit.
//
// Forms recognised (MentionKind in brackets):
// - [id]      "D3.2", "d3.2", "Deliverable D3.2" (the word is part of the match).
// - [spaced]  "D 3.2" (upper-case D, 1-3 spaces or tabs; '_' too in attachment
//             names), "Deliverable D 3.2".
//             A D form right after one of the words annex, appendix, clause,
//             section, figure, fig, table, chapter ("Annex D 3.2", "Annex D3.2")
//             is a clause of a document, not a deliverable, and is skipped.
// - [word]    "deliverable 3.2", "Deliverable 3.2" (any case; the word and the
//             number separated by 1-12 bytes of whitespace with at most one
//             line break; '_' and '-' too in attachment names). After
//             the plural "deliverables" a list continues: "deliverables 3.1
//             and 3.2", "deliverables D3.1, D3.2 & D3.4" (items separated by
//             ',', ';', '/', '&', "and", "or"); each item is its own mention
//             (kind id when it carries the D, else word). Ranges ("3.1-3.3")
//             are not expanded.
// - [output_doc] "FG-DPM-O-156", "FG-DPM-O-172-R2", "FG-DPM-O-172R2",
//             "FGDPM-O-172", "fg_dpm_o_156", "FG-DPM O-156", "FG-DPM-O-172-Rev2"
//             (any case; '-', '_' or nothing between the parts, a space also
//             between FG/DPM/O). The document number (1-4 digits) is looked up
//             regardless of revision: FG-DPM-O-172 and FG-DPM-O-172-R1 both
//             name the deliverable carried by FG-DPM-O-172-R2. The revision
//             written is kept in Mention::revision.
// - [short_output_doc] "O-156", "O-172-R2" (upper-case O, a '-', digits), only
//             in a document context, which holds when any of these is true:
//               a) ctx is attachment_name (a file name is a document name);
//               b) the scanned text (quoted lines excepted) mentions FG-DPM
//                  anywhere ("FG-DPM", "FGDPM", "fg_dpm", also as a word
//                  prefix: "[Fgdpmwg3]");
//               c) one of the two words before it on the same line is a cue
//                  word: see, cf, in, doc, docs, document, documents, output,
//                  outputs (any case): "see O-156", "output document O-156";
//               d) the same line holds another document-like token: a deliverable
//                  id in any form above, another "O-nnn"/"I-nnn" or a full
//                  FG-DPM document id, known or not ("O-155, O-156").
// - [title]   a deliverable's full title, ASCII case-insensitive, matched as a
//             sequence of words (runs of ASCII letters/digits; the title's other
//             bytes only separate words). Between two words the text may have
//             any 1-12 bytes that are not ASCII letters/digits (spaces,
//             punctuation, "–", NBSP...) with at most one line break, so
//             "SensorThings API: Sensing", "SensorThings API – Sensing" and
//             "SensorThings API (Sensing)" match "SensorThings API - Sensing",
//             while "SensorThingsAPI - Sensing" does not. The first and last word must
//             be whole words. Only full titles match: a bare shared prefix
//             ("SensorThings API", which D3.2 and D3.3 share and which is also
//             the OGC standard's name) names no deliverable. When several titles
//             match at one place the longest wins. Short names are NOT matched
//             (data/registry/README.md: "not used for matching"; "Use cases",
//             "Requirements", "Data quality" would match everywhere).
//
// Only ids present in the registry produce mentions; an unknown but well-formed
// id (D9.9, FG-DPM-O-999) is consumed without a mention, so it never matches as
// something shorter. Rejected: a bare number ("v3.2", "version 3.2", "Python
// 3.2", "section 3.2", "clause 3.2", "§3.2", "3.2.2018", "10.3.2.1" never name a
// deliverable: a number needs the D or the word "deliverable"), a D glued to a
// preceding letter or digit ("ID3.2", "HD3.2"), "HD 3.2", a number followed by
// a letter or by '.'+digit ("D3.2a", "D3.2.1": a clause or version inside a
// document, not the deliverable itself; "D3.2.docx" still matches), "O-156"
// outside a document context, a lower-case "o-156".
//
// In a body (ctx body), quoted reply lines (first non-blank character '>') are
// skipped entirely and a multi-line match never continues into one. So are
// reply attributions ("On 3 May 2018, at 10:00, Ann <a@b.org> wrote:", also
// wrapped onto a second line ending in "wrote:" when the first holds a year),
// and everything from an Outlook-style quoted tail down: a "-----Original
// Message-----" line (any dashes, spaces, case), a line of 10+ underscores
// followed by "From:", or a "From:" line directly followed by a "Sent:" line.
// (HTML bodies reach the scanner through html_to_text, which prefixes
// <blockquote> text with "> ".) Mentions come back in text order, one per
// occurrence (the same deliverable may appear several times).
#pragma once

#include "registry/registry.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mlarc {

enum class MentionKind { id, spaced, word, output_doc, short_output_doc, title };

/// "id", "spaced", "word", "output_doc", "short_output_doc", "title".
std::string_view mention_kind_name(MentionKind kind);

/// What the scanned text is; see the rules above for the differences.
enum class MentionContext { subject, body, attachment_name };

struct Mention {
    std::string deliverable_id; // "D3.2" (the registry's id)
    std::string text;           // the bytes matched, as written ("Deliverable D3.2")
    MentionKind kind = MentionKind::id;
    size_t offset = 0; // byte offset of `text` in the scanned text
    int revision = 0;  // output_doc / short_output_doc: the revision written, 0 if none
};

/// All deliverable mentions of `text`, in text order.
std::vector<Mention> find_mentions(std::string_view text, const std::vector<Deliverable>& registry,
                                   MentionContext ctx);

/// A parsed document identifier.
struct DocId {
    enum class Type { deliverable, output_doc, input_doc };
    Type type = Type::deliverable;
    int wg = 0; // deliverable: D<wg>.<n>
    int n = 0;
    int number = 0;   // output_doc / input_doc: FG-DPM-O-<number>
    int revision = 0; // output_doc / input_doc: -R<revision>, 0 if none
};

/// Parses one whole identifier (surrounding whitespace ignored, any case):
/// "D3.2", "d 3.2", "Deliverable 3.2", "deliverable D3.2" -> deliverable;
/// "FG-DPM-O-172-R2", "fgdpm_o_172r2", "FG-DPM O-172 ", "O-156" -> output_doc;
/// the same with I -> input_doc. nullopt for anything else ("D3.2.1", "3.2").
std::optional<DocId> parse_doc_id(std::string_view text);

/// Canonical form: "D3.2", "FG-DPM-O-172-R2", "FG-DPM-I-041" (numbers padded
/// to 3 digits).
std::string format_doc_id(const DocId& id);

/// format_doc_id(parse_doc_id(text)), or "" when `text` is not an identifier:
/// "d 3.2" -> "D3.2", "fg-dpm-o-172r2" -> "FG-DPM-O-172-R2", "O-156" -> "FG-DPM-O-156".
std::string normalise_doc_id(std::string_view text);

} // namespace mlarc
