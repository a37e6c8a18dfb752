// Threads linked to deliverables: queries over the deliverable_mentions the
// importer stores (message subject, body outside quoted lines, attachment
// names; registry/extract.hpp finds them).
//
// - deliverable_threads(): the threads in which at least one message mentions
//   a deliverable, with the whole thread's first/last date, message and
//   participant counts, and how many of its messages mention it;
// - thread_links(): the deliverables one thread touches, with the evidence
//   (message, where, kind, the text matched);
// - links_summary(): every registry deliverable with its message and thread
//   counts and first/last mention; a deliverable with no mention is "never
//   discussed".
#pragma once

#include "registry/registry.hpp"
#include "store/store.hpp"
#include "util/result.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace mlarc {

struct LinkedThread {
    int64_t thread_id = 0;
    int64_t first = 0, last = 0; // dates of the thread's first and last message
    int64_t messages = 0, participants = 0;
    int64_t mentioning = 0;      // messages of the thread that mention the deliverable
    std::string subject;         // of the thread's first message
};

/// Threads mentioning `deliverable_id` (a canonical id, "D3.2"), oldest first.
Result<std::vector<LinkedThread>> deliverable_threads(Store& store,
                                                      const std::string& deliverable_id);

struct LinkEvidence {
    std::string deliverable_id;
    std::string mid;
    int64_t date = 0;
    std::string context; // subject | body | attachment
    std::string kind;
    std::string text;
};

/// The mentions in thread `thread_id`, by deliverable then date. Errors:
/// not_found when no message has that thread id.
Result<std::vector<LinkEvidence>> thread_links(Store& store, int64_t thread_id);

struct DeliverableLinks {
    std::string id, title;
    int64_t messages = 0, threads = 0;
    int64_t first = 0, last = 0; // first and last mentioning message; 0 when never discussed
    [[nodiscard]] bool never_discussed() const { return messages == 0; }
};

/// Every deliverable of `registry`, in registry order.
Result<std::vector<DeliverableLinks>> links_summary(Store& store, const Registry& registry);

} // namespace mlarc
