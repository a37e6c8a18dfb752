// Reading the quarantine back (`mlarc quarantine list|show|export`): the
// messages the importer could not store, kept raw with the reason (table
// quarantine, data/migrations/0001_initial.sql). Reasons are the decoder's
// messages ("not a message: no header field found", "no list: ...",
// "timeout: decoding took 2.4 s"); their kind is the text before the first
// ':' ("not a message", "no list", "timeout"), which is what counts group by.
//
// The raw bytes are exactly those the importer framed: the From_ line left
// out, mbox escaping (">From ") as in the source file. Read-only: a
// read-only store will do.
#pragma once

#include "store/store.hpp"
#include "util/result.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mlarc {

/// One quarantined message, without its bytes.
struct QuarantineEntry {
    int64_t id = 0;
    std::string reason;
    std::string source_path;   // "" when unknown
    std::string source_format; // sources.format: auto | mboxo | mboxrd | mboxcl | mboxcl2 | maildir
    int64_t source_offset = -1; // byte offset in the uncompressed source; -1 when unknown
    std::string list;           // list name the file was imported for; "" when unknown
    uint64_t size = 0;          // raw bytes
    int64_t created_at = 0;     // UTC seconds
};

/// The kind of a reason: the text before its first ':' (trimmed), or the
/// whole reason.
std::string quarantine_reason_kind(std::string_view reason);

/// Quarantined messages in id order; with `kind` not empty, only those whose
/// reason kind is `kind` (case-insensitive). Errors: the store's.
Result<std::vector<QuarantineEntry>> quarantine_entries(Store& store, std::string_view kind = {});

/// The entry and its raw bytes, or nullopt when there is no quarantined
/// message `id`. Errors: the store's.
Result<std::optional<std::pair<QuarantineEntry, std::string>>> quarantine_message(Store& store,
                                                                                  int64_t id);

/// Number of entries per reason kind, most frequent first (then by kind).
std::vector<std::pair<std::string, int64_t>>
quarantine_counts(const std::vector<QuarantineEntry>& entries);

} // namespace mlarc
