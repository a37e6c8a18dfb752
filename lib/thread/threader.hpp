// Threading at import time, without I/O.
//
// The thread graph lives in the store (SQLite table thread_nodes); this module
// holds the rules and talks to the graph through the ThreadGraph interface, so
// the rules are unit-tested against an in-memory graph.
//
// Rules (notmuch/JWZ style, see docs/FAILURE-MODES.md E.32-35):
// - The parent chain of a message is its References ids in order (duplicates
//   and its own id removed, capped upstream); when References is empty, the
//   first In-Reply-To id. References wins over In-Reply-To when they disagree
//   (RFC 5322 says References is the fuller record).
// - Every id in the chain gets a node; ids not in the archive get placeholder
//   ("ghost") nodes, so a parent that arrives later joins the thread.
// - All threads touched by the chain and the message itself merge into the one
//   with the smallest id (deterministic for a given input order).
// - A parent link is set only where none exists yet (first writer wins, so a
//   message's own link is not overwritten by a later child's References, except
//   that a real message's own headers replace a link a child guessed for it), and
//   never where it would make a node its own ancestor (loops broken).
// - Subject joining (switchable): only for a message with no References and no
//   In-Reply-To whose subject carries a reply prefix (Re:, AW:, ...): it joins
//   the thread that had the same normalised subject in the same list within the
//   window. The link records reason "subject".
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace mlarc {

struct ThreadNode {
    std::string mid;
    int64_t thread_id = 0;
    std::string parent_mid; // "" when none
    std::string parent_reason; // references | in-reply-to | subject | ""
    bool is_ghost = true;      // no message stored for this id
};

/// Where the graph lives. Implemented by the store (SQL) and by tests.
class ThreadGraph {
  public:
    virtual ~ThreadGraph() = default;
    virtual std::optional<ThreadNode> find(const std::string& mid) = 0;
    /// Inserts or replaces the node with this mid.
    virtual void put(const ThreadNode& node) = 0;
    /// Moves every node and message of thread `from` into thread `into`.
    virtual void merge(int64_t from, int64_t into) = 0;
    /// Thread that carried `subject` (normalised) in `list_id` within the
    /// window around `date`, and the id of the message that started it there.
    virtual std::optional<std::pair<int64_t, std::string>>
    find_subject(int64_t list_id, const std::string& subject, int64_t date) = 0;
};

struct ThreadInput {
    std::string mid;                     // normalised Message-ID (never empty)
    std::vector<std::string> references; // References ids in order
    std::vector<std::string> in_reply_to;
    std::string normalised_subject;
    bool reply_subject = false;          // subject had a reply prefix
    int64_t list_id = 0;
    int64_t date = 0;
    int64_t new_thread_id = 0;           // id to use when the message starts a thread
};

struct ThreadResult {
    int64_t thread_id = 0;
    std::string parent_mid;
    std::string parent_reason;
    std::vector<int64_t> merged_threads; // threads folded into thread_id
};

struct ThreaderOptions {
    bool subject_threading = true;
    size_t max_ancestor_walk = 10000; // loop guard when checking for cycles
};

/// Places a new message in the graph and returns its thread and parent.
ThreadResult thread_message(ThreadGraph& graph, const ThreadInput& in,
                            const ThreaderOptions& opts = {});

/// The parent chain used for a message (exposed for tests and `show`).
std::vector<std::string> parent_chain(const ThreadInput& in);

} // namespace mlarc
