// The FG-DPM registry: the mailing lists, deliverables and meetings of the ITU-T
// Focus Group on Data Processing and Management, read from the three TSV files
// of data/registry/ (format: data/registry/README.md) and validated on load.
//
// File rules (all three files):
// - UTF-8, LF or CRLF line endings, an optional UTF-8 BOM. Lines whose first
//   character is '#' are comments; blank lines (only whitespace) are ignored.
// - The first other line is the header. It must name every required column
//   (extra columns are allowed and ignored; a column named twice is an error).
//   Columns are looked up by name, not position.
// - Every record has exactly as many TAB-separated fields as the header.
//   Fields are trimmed of ASCII whitespace; a required field may not be empty.
// - At least one record per file.
// Every problem is an Error with Errc::bad_input whose message names the file
// and, for a line-level problem, the 1-based line:
//   "deliverables.tsv:7: expected 5 tab-separated columns, found 4".
//
// Validation per file:
// - lists.tsv: name ([a-z0-9._-]+), address (is_plausible_address()), wg (an
//   integer 0..99; 0 is the main list), title. name, address and wg unique.
// - deliverables.tsv: id in canonical form "D<wg>.<n>" (parse_doc_id()); wg
//   (0..99) equal to the id's wg; output_doc an FG-DPM output document, stored
//   normalised ("FG-DPM-O-172R2" -> "FG-DPM-O-172-R2"); id, title and output
//   document number unique (so a number or a title names one deliverable).
// - meetings.tsv: number >= 1 and unique; start/end ISO dates (YYYY-MM-DD, real
//   calendar days), end not before start; input_docs/output_docs "FIRST-LAST"
//   with FIRST <= LAST; participants an integer >= 0.
// load_registry() also checks that every deliverable's wg has a list.
//
// An optional fourth file, aliases.tsv (columns address, person), merges one
// person's addresses for the report's poster counts: each address is mapped to
// the person's main address (both plausible addresses, compared lower-cased;
// an address listed twice, or mapped to an address that is itself mapped, is
// an error with its line).
#pragma once

#include "util/result.hpp"

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace mlarc {

/// One mailing list (lists.tsv).
struct ListEntry {
    std::string name;    // "fgdpmwg3": Mailman name, List-Id "<name>.lists.itu.int"
    std::string address; // "fgdpmwg3@lists.itu.int"
    int wg = 0;          // 0: the main (plenary) list
    std::string title;
};

/// One deliverable (deliverables.tsv).
struct Deliverable {
    std::string id; // "D3.2"
    int wg = 0;     // 0: plenary
    std::string short_name;
    std::string title;
    std::string output_doc; // normalised: "FG-DPM-O-156", "FG-DPM-O-172-R2"
    int output_number = 0;  // 156, 172
    int revision = 0;       // 2 for "-R2", 0 when the output_doc has no revision
};

/// An inclusive range of document numbers, "041-078".
struct DocRange {
    int first = 0;
    int last = 0;
    [[nodiscard]] bool contains(int number) const { return number >= first && number <= last; }
};

/// One meeting (meetings.tsv).
struct Meeting {
    int number = 0;
    int64_t start = 0; // first second of the first day, UTC (seconds since the epoch)
    int64_t end = 0;   // last second of the last day, UTC (inclusive)
    std::string city;
    DocRange input_docs;  // FG-DPM-I-nnn numbers allocated for the meeting
    DocRange output_docs; // FG-DPM-O-nnn numbers allocated for the meeting
    int participants = 0;
};

/// The three tables, in file order.
struct Registry {
    std::vector<ListEntry> lists;
    std::vector<Deliverable> deliverables;
    std::vector<Meeting> meetings;

    /// The deliverable named by `id`, a deliverable id or its output document in
    /// any form parse_doc_id() accepts ("d 3.2", "FG-DPM-O-172": revisions are
    /// ignored), or nullptr.
    [[nodiscard]] const Deliverable* find_deliverable(std::string_view id) const;
    /// The list with this name (exact), or nullptr.
    [[nodiscard]] const ListEntry* find_list(std::string_view name) const;
};

/// Parse the content of one file; `filename` names it in error messages.
Result<std::vector<ListEntry>> parse_lists(std::string_view content, std::string_view filename);
Result<std::vector<Deliverable>> parse_deliverables(std::string_view content,
                                                    std::string_view filename);
Result<std::vector<Meeting>> parse_meetings(std::string_view content, std::string_view filename);

/// Read and parse one file. Messages name the file by its base name; the hint
/// gives the full path. A missing file is Errc::not_found, an unreadable one
/// Errc::unreadable.
Result<std::vector<ListEntry>> load_lists(const std::filesystem::path& path);
Result<std::vector<Deliverable>> load_deliverables(const std::filesystem::path& path);
Result<std::vector<Meeting>> load_meetings(const std::filesystem::path& path);

/// Lower-cased address -> the lower-cased main address of the same person.
using AddressAliases = std::map<std::string, std::string>;
Result<AddressAliases> parse_aliases(std::string_view content, std::string_view filename);
Result<AddressAliases> load_aliases(const std::filesystem::path& path);
/// DIR/aliases.tsv when it exists, else no aliases.
Result<AddressAliases> load_aliases_if_present(const std::filesystem::path& dir);

/// DIR/lists.tsv, DIR/deliverables.tsv and DIR/meetings.tsv, plus the
/// cross-file check (every deliverable wg has a list).
Result<Registry> load_registry(const std::filesystem::path& dir);

/// The registry folder compiled into the binary: this source tree's data/registry.
std::filesystem::path default_registry_dir();

/// The registry folder to use, first match wins:
///  1. $MLARC_REGISTRY when set and non-empty (Errc::not_found if it is not a
///     directory: an explicit choice is never silently replaced);
///  2. ARCHIVE/registry when `archive_dir` is non-empty and that is a directory;
///  3. default_registry_dir() when it is a directory;
///  else Errc::not_found with a hint to set MLARC_REGISTRY.
Result<std::filesystem::path> find_registry_dir(const std::filesystem::path& archive_dir = {});

} // namespace mlarc
