// Reading whole messages and threads back from the store: `mlarc show`
// (decoded headers and text, or the original bytes), `mlarc thread` (the
// reply tree, ghosts included) and `mlarc export` (mboxrd, byte-exact to what
// was imported). These read the store only; the search index is used just to
// turn a query into message ids (search.hpp matching_ids()).
//
// Ids users type: a number is a messages.id; anything else is a Message-ID,
// with or without <> (also "id:X" / "mid:X"). For threads a number is first
// taken as a thread id, then as a message id whose thread is meant
// ("thread:N" forces the first reading).
#pragma once

#include "util/result.hpp"

#include <cstdint>
#include <ostream>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace mlarc {

class Archive;

/// messages.id of a message typed as a number or a Message-ID (with mid_seq
/// 1 when several contents share the id). Errors: not_found with a hint;
/// usage for an empty id; the store's errors.
Result<int64_t> resolve_message(Archive& archive, std::string_view id);

/// A thread id typed as a thread id, a message id or a Message-ID (see
/// above). Errors: as resolve_message().
Result<int64_t> resolve_thread(Archive& archive, std::string_view id);

struct MessageAddress {
    std::string name;
    std::string address;
};

struct MessageAttachment {
    int part_no = 0;
    std::string filename;
    std::string content_type;
    uint64_t size = 0;
};

/// A stored message, decoded.
struct MessageView {
    int64_t id = 0;
    std::string mid;
    int64_t mid_seq = 1;
    std::vector<int64_t> same_mid;      // ids of other contents with this Message-ID
    int64_t thread_id = 0;
    std::string parent_mid;             // "" for a thread root
    std::string parent_reason;          // references | in-reply-to | subject | ""
    int64_t date_utc = 0;
    int date_offset = 0;
    std::string date_source;            // header | from_line | received | mtime | none
    MessageAddress from;
    std::vector<MessageAddress> to, cc, reply_to;
    std::string subject;
    std::vector<std::string> lists;     // sorted
    std::vector<MessageAttachment> attachments;
    uint64_t size = 0;                  // raw bytes
    uint32_t flags = 0;                 // MessageFlag bits
    std::string headers;                // every header, decoded, "Name: value\n" lines
    std::string body;                   // decoded text
};

/// The message with id `id`. Errors: not_found; the store's errors.
Result<MessageView> read_message(Archive& archive, int64_t id);

/// The message exactly as it was before it went into its mbox: the stored
/// bytes decompressed and un-escaped as the row's escaping says (so an mboxrd
/// ">From " line is "From " again). Errors: not_found; bad_input for a
/// damaged stored copy; the store's errors.
Result<std::string> read_raw(Archive& archive, int64_t id);

/// One attachment of a stored message: its metadata (as in MessageView) and
/// its bytes, transfer-decoded (base64/quoted-printable undone) exactly as the
/// sender's program encoded them.
struct AttachmentData {
    MessageAttachment info;
    std::string bytes;
};

/// Attachment `part_no` (MessageAttachment::part_no) of message `id`, the
/// raw message decoded again. Errors: not_found (no such message or no such
/// attachment); bad_input for a damaged stored copy; the store's errors.
Result<AttachmentData> read_attachment(Archive& archive, int64_t id, int part_no);

/// One line of a thread tree, in display order (depth first, oldest first).
struct ThreadNodeView {
    int depth = 0;
    int64_t message_id = 0;   // 0 for a ghost: a message referenced but not in the archive
    std::string mid;
    int64_t date_utc = 0;     // ghosts: 0
    int date_offset = 0;
    MessageAddress from;
    std::string subject;
    std::string parent_reason;
};

struct ThreadView {
    int64_t thread_id = 0;
    uint64_t messages = 0;    // real messages (ghosts not counted)
    std::vector<ThreadNodeView> nodes;
};

/// The reply tree of thread `thread_id`: roots and each node's children
/// ordered by date (a ghost sorts by its oldest descendant), ghosts shown
/// where they stand in for a missing parent. Loops are cut. Errors:
/// not_found; the store's errors.
Result<ThreadView> read_thread(Archive& archive, int64_t thread_id);

struct ExportReport {
    uint64_t messages = 0; // written
    uint64_t missing = 0;  // ids not in the store (index ahead of the store)
    uint64_t bytes = 0;    // written
};

/// Writes the messages `ids` (in the given order) to `out` as an mboxrd file:
/// the From_ line as stored (one made from the date when the message came
/// from a Maildir or a single file), the original bytes with mboxrd escaping
/// (^>*From  gets one more '>'), a newline if the message did not end with
/// one, and one empty line. Importing the output gives the same messages.
/// Errors: bad_input for a damaged stored copy; io when `out` fails; the
/// store's errors.
Result<ExportReport> export_mbox(Archive& archive, std::span<const int64_t> ids, std::ostream& out);

} // namespace mlarc
