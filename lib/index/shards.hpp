// Sharded search indexes (issue #8): N Xapian databases searched as one
// through a Xapian stub database, local or served by xapian-tcpsrv.
//
// Layout. A sharded index is a "stub directory": ARCHIVE/xapian/XAPIANDB lists
// the shards in order, one per line ("auto shard0", ..., or "remote HOST:PORT"
// for a shard served by xapian-tcpsrv on another machine), and the local
// shards are the glass databases ARCHIVE/xapian/shard<k>. Plain Xapian tools
// (xapian-delve, xapian-compact) open ARCHIVE/xapian as one database too.
// Lines starting with "#" are comments to Xapian; mlarc reads its own settings
// from "#mlarc KEY VALUE" lines: "shards N", "timeout-ms MS" (how long a remote
// shard may take to connect or answer, default 10000) and "allow-partial yes"
// (search the shards that answer and mark the result partial).
//
// Routing. Xapian interleaves the docids of a multi-database: local docid l
// of shard s (0-based) of N is combined docid (l-1)*N + s + 1. mlarc puts
// message id m in shard (m-1) % N with local docid (m-1)/N + 1, so every
// combined docid is the SQLite message id and nothing in search changes. A
// WritableDatabase opened on the stub routes replace_document and
// delete_document by the same rule, so incremental updates need no code of
// their own. Metadata is read from (and written to) the first shard.
//
// A shard that does not answer. Remote shards are opened with
// Xapian::Remote::open and the configured timeout, so an unreachable or hung
// server gives NetworkError/NetworkTimeoutError within that time, never a
// hang. Without allow-partial that is an error naming the shard; with it, the
// shard is replaced by an empty in-memory database (which keeps the docid
// interleaving intact) and the reader reports it as missing.
#pragma once

#include "index/xapian_db.hpp"
#include "util/result.hpp"

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace mlarc {

/// The stub file inside a sharded index directory.
inline constexpr std::string_view kStubFile = "XAPIANDB";
/// Default time a remote shard may take to connect or answer.
inline constexpr unsigned kDefaultShardTimeoutMs = 10000;
/// Most shards `mlarc index --shards` accepts.
inline constexpr unsigned kMaxShards = 256;

/// Where message ids go in an index of `n` shards.
struct ShardRoute {
    unsigned n = 1;
    unsigned shard_of(int64_t id) const { return static_cast<unsigned>((id - 1) % n); }
    Xapian::docid local_docid(int64_t id) const {
        return static_cast<Xapian::docid>((id - 1) / n + 1);
    }
};

/// "shard<k>": the directory of local shard k inside the index directory.
std::string shard_dir_name(unsigned k);

struct ShardEntry {
    bool remote = false;
    std::string path; // local: as written in the stub (relative to the index directory)
    std::string host; // remote
    unsigned port = 0;
    /// "shard3" or "HOST:PORT": how errors and partial results name it.
    std::string label() const;
};

struct ShardStub {
    std::vector<ShardEntry> shards;
    unsigned timeout_ms = kDefaultShardTimeoutMs;
    bool allow_partial = false;
    bool has_remote() const;
};

/// True when `index_dir` is a stub directory (holds XAPIANDB).
bool is_sharded_index(const std::filesystem::path& index_dir);

/// Number of shards of the index at `index_dir`: the stub's lines, or 1 for a
/// plain database (also when there is no index).
unsigned index_shard_count(const std::filesystem::path& index_dir);

/// Parses `index_dir`/XAPIANDB. Errors: not_found, unreadable, bad_input (a
/// line mlarc does not understand: "auto PATH", "glass PATH", "remote
/// HOST:PORT", "#..." and blank lines are understood).
Result<ShardStub> read_shard_stub(const std::filesystem::path& index_dir);

/// The text of a stub file (with a comment saying how to edit it).
std::string format_shard_stub(const ShardStub& stub);

/// Writes `index_dir`/XAPIANDB atomically (temporary file and rename).
/// Errors: io.
Status write_shard_stub(const std::filesystem::path& index_dir, const ShardStub& stub);

/// A stub of `n` local shards shard0..shard<n-1>.
ShardStub local_shard_stub(unsigned n);

struct OpenedIndex {
    Xapian::Database db;
    std::vector<std::string> missing; // labels of shards replaced by empty ones
};

/// Opens the sharded index at `index_dir` read-only (see above). When
/// `allow_partial` is true or the stub says allow-partial, remote shards that
/// do not answer are replaced by empty databases and named in `missing`.
/// Errors: io (a remote shard did not answer; hint: --allow-partial), and
/// those of xapian_error().
Result<OpenedIndex> open_sharded_index(const std::filesystem::path& index_dir, bool allow_partial);

} // namespace mlarc
