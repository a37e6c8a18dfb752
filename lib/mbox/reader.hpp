// mbox framing: turns a byte stream (plain, .gz, .xz, .zst; detected by magic
// bytes) into messages, without ever holding more than one message plus a read
// buffer in memory.
//
// Formats: mboxo, mboxrd, mboxcl, mboxcl2 (Content-Length), CRLF or LF, with the
// split rules of docs FAILURE-MODES A.1-A.8: a message starts at a line
// beginning "From " that follows a blank line or the start of the file and
// parses as a From_ line (sender token plus date-like tail, "From -", or the
// pipermail form "From user at host  Mon Dec  1 00:00:18 2008"). A From_ line
// right after a non-blank line is accepted only when it parses strictly
// (day-name month day time year, or the bare "From -") and the next line is a
// header, and the message gets flag_heuristic_split. Leading blank lines are
// skipped; the first line of a file may be any "From " line followed by a
// header. A file whose first line is a header instead is one message (with a
// warning); anything else is bad_input "not an mbox or message file".
//
// Message bytes: `raw` runs from the line after the From_ line up to the next
// From_ line (or EOF), minus exactly one trailing empty line (LF or CRLF) if
// present: the separator mbox writers add. So for a well-formed mboxrd file,
// writing from_line + "\n" + raw + "\n" for each message gives the file back.
// The last message is flagged truncated when it does not end with a newline
// (or the stream failed under it). A From_ line with no message after it
// gives no message and a warning. An empty file gives nothing, silently.
//
// Content-Length is used for mboxcl/mboxcl2 only, and only when it ends exactly
// at EOF or at a From_ line (after at most two line endings); otherwise it is
// ignored, the message is split by scanning and gets flag_bad_content_length.
// When used, raw is the header block plus exactly Content-Length bytes.
// A Content-Length whose message would exceed max_message_size is not checked
// (scanning decides). "auto" never looks at Content-Length: a wrong value must
// not swallow messages. auto reads like mboxrd (raw reported as
// Escaping::mboxrd); mboxcl is reported as mboxo, mboxcl2 as none.
//
// Maildir directories and single .eml files are read by MaildirSource /
// single-file sources in the same interface (see open_source()).
#pragma once

#include "util/result.hpp"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mlarc {

enum class MboxFormat { automatic, mboxo, mboxrd, mboxcl, mboxcl2, maildir };

/// Parses "auto|mboxo|mboxrd|mboxcl|mboxcl2|maildir".
Result<MboxFormat> parse_mbox_format(std::string_view name);
std::string_view mbox_format_name(MboxFormat f);

/// How the raw bytes of a message are escaped in the file they came from.
enum class Escaping : int { none = 0, mboxo = 1, mboxrd = 2 };

struct RawMessage {
    std::string raw;        // the message bytes exactly as in the file, From_ line excluded,
                            // the final line ending included; escaped as `escaping` says
    std::string from_line;  // the From_ line without its line ending ("" for an eml, and
                            // for a Maildir file unless its first line is a From_ line,
                            // which is then split off here)
    uint64_t offset = 0;    // byte offset of the From_ line (or message start) in the
                            // uncompressed stream
    uint64_t end_offset = 0;// offset just past the message (start of next From_ line / EOF)
    Escaping escaping = Escaping::none;
    uint32_t flags = 0;     // MessageFlag bits found while framing (heuristic_split,
                            // bad_content_length, truncated)
    std::string origin;     // for Maildir: file name relative to the maildir; else ""
};

/// Unescapes raw bytes: mboxrd removes one '>' from lines matching ^>+From ,
/// mboxo from lines matching ^>From . Returns raw unchanged for Escaping::none.
std::string unescape(std::string_view raw, Escaping e);
/// False when unescape(raw, e) is certainly raw itself (no ">From " anywhere,
/// or Escaping::none): the caller can skip the copy. One memmem pass.
bool needs_unescape(std::string_view raw, Escaping e);
/// Escapes a message for writing as mboxrd (adds one '>' to ^>*From lines).
std::string escape_mboxrd(std::string_view message);

/// A stream of messages.
class MessageSource {
  public:
    virtual ~MessageSource() = default;
    /// Next message, std::nullopt at end. An I/O or decompression error is
    /// returned as an Error (the messages before it were delivered, the one it
    /// cut short with flag_truncated); after it next() returns std::nullopt,
    /// except for a Maildir, where the error concerns one file and the next
    /// call goes on with the next file. Never throws.
    virtual Result<std::optional<RawMessage>> next() = 0;
    /// Bytes of input consumed so far (compressed bytes for compressed files),
    /// and the total (file size, or sum of Maildir file sizes): for progress.
    virtual uint64_t bytes_done() const = 0;
    virtual uint64_t bytes_total() const = 0;
    /// Warnings found while framing (e.g. "no From_ line: read as one message").
    virtual std::vector<std::string> take_warnings() = 0;
};

struct OpenOptions {
    MboxFormat format = MboxFormat::automatic;
    uint64_t start_offset = 0; // resume: skip the uncompressed stream up to this offset,
                               // which must be the offset of a From_ line (bad_input
                               // if not, or if past the end); ignored for Maildirs
    size_t max_message_size = 100u << 20; // bigger messages are truncated to this
                                          // with flag_oversize (the rest is skipped)
};

/// Opens a file (mbox, compressed mbox, single message) or a Maildir directory
/// (cur/ and new/, tmp/ and hidden files ignored, files sorted by name, each
/// one message with Escaping::none and origin "cur/NAME"). Compression is
/// chosen by magic bytes, never by file name. Errors: not_found, unreadable,
/// bad_input ("not an mbox or message file": binary junk / no header-like
/// first line; a directory that is not a Maildir; corrupt compressed data).
Result<std::unique_ptr<MessageSource>> open_source(const std::filesystem::path& path,
                                                   const OpenOptions& opts = {});

/// Lists the files an import of `path` should read: the path itself if a file
/// or Maildir; for another directory, the regular files in it (sorted by
/// name, depth first, hidden entries skipped, symlinked directories not
/// followed), nested Maildirs as units. A Maildir that also holds other
/// files or folders (besides cur/ new/ tmp/) is listed first, then those are
/// expanded too. Errors: not_found, unreadable (with the path).
Result<std::vector<std::filesystem::path>> expand_inputs(const std::filesystem::path& path);

} // namespace mlarc
