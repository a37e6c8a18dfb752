// Purpose: the data model shared by the stages of mlarc-sample-gen.
//   registry.cpp   reads data/registry/*.tsv into Registry;
//   population.cpp builds the people, their addresses and list subscriptions
//                  (exactly 732 subscribed addresses) and writes rosters/;
//   plan.cpp       lays out one "copy" of the archive: threads, who posts when,
//                  to which lists (exactly 991 emails inside the window);
//   render.cpp     turns a planned message into RFC 5322 text for one list and
//                  reports the deliverable mentions it planted;
//   sample_gen.cpp parses the command line and streams everything to disk.
// All randomness flows from the --seed value through sample_gen::Rng.
#pragma once

#include "gen_common.hpp"
#include "text_bank.hpp"

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace sample_gen {

// ---------------------------------------------------------------------------
// Window of the final report's figures (UTC, inclusive).
inline const int64_t k_window_start = time_from_civil(2017, 7, 19);
inline const int64_t k_window_end = time_from_civil(2019, 7, 15, 23, 59, 59);
inline constexpr int k_in_window_per_copy = 991;
inline constexpr int k_subscribers = 732;
inline constexpr int k_cross_posts_per_copy = 40;
/// Deliverables that no generated email ever mentions, in any form.
inline constexpr std::string_view k_never_discussed[] = {"D2.3", "D5.4"};

// ---------------------------------------------------------------------------
// Registry

struct ListInfo {
    std::string name;    // "fgdpmwg3"
    std::string address; // "fgdpmwg3@lists.itu.int"
    int wg = 0;
    std::string title;
    std::string tag; // Mailman subject tag text: "Fgdpmwg3"
};

struct Deliverable {
    std::string id; // "D3.2"
    int wg = 0;
    std::string short_name;
    std::string title;
    std::string output_doc; // "FG-DPM-O-156"
    std::string number;     // "3.2"
    std::string short_doc;  // "O-156"
    bool discussed = true;
};

struct Meeting {
    int number = 0;
    int64_t start = 0; // 00:00 UTC of the first day
    int64_t end = 0;   // 00:00 UTC of the last day
    std::string city;
    int in_first = 0, in_last = 0, out_first = 0, out_last = 0;
    int participants = 0;
};

struct Registry {
    std::vector<ListInfo> lists; // index 0 is the main list (wg 0)
    std::vector<Deliverable> deliverables;
    std::vector<Meeting> meetings;
    /// Index of the list of a working group (0 for the main list).
    size_t list_of_wg(int wg) const;
};

/// Reads lists.tsv, deliverables.tsv, meetings.tsv; throws std::runtime_error.
Registry load_registry(const std::filesystem::path& dir);

// ---------------------------------------------------------------------------
// Population

enum class Client : uint8_t { gmail, outlook, thunderbird, foxmail, apple, lotus };

struct Address {
    std::string addr;  // as the owner writes it in From: (may have capitals)
    std::string lower; // canonical, lower case
    uint32_t person = 0;
    uint8_t lists = 0;      // bit i: on list i in the latest roster snapshot
    int8_t cased_list = -1; // list whose roster spells it in a different case
    bool subscribed() const { return lists != 0; }
};

struct Person {
    std::string given, family; // UTF-8, Latin script
    std::string native;        // full name in native script, or empty
    int org = -1;              // index into bank::k_orgs, -1: independent
    bank::Style style = bank::Style::english;
    Client client = Client::gmail;
    uint32_t primary = 0;   // index into Population::addrs
    int32_t secondary = -1; // second address the person also posts from
    uint32_t weight = 0;    // posting activity; 0 = never posts
    std::string job_title;
    std::string org_name;
    int tz_std = 0; // standard offset, minutes
    bank::Dst dst = bank::Dst::none;
    bool left_early = false; // in an old roster snapshot only
    std::string display() const; // "Given Family"
    /// Zone offset (minutes east of UTC) in force at instant t.
    int tz_at(int64_t t) const;
};

struct Population {
    std::vector<Person> persons;
    std::vector<Address> addrs;
    uint32_t tsb = 0;           // person: the TSB secretariat (functional address)
    uint32_t fg_chair = 0;      // person
    std::vector<uint32_t> wg_chairs;      // person per list index (0 = FG chair)
    std::vector<uint32_t> editors;        // person per deliverable
    std::vector<std::vector<uint32_t>> posters; // per list: persons that post there
    std::vector<std::vector<uint32_t>> poster_weights;
    std::vector<uint64_t> poster_total;
    /// Old snapshots: list index -> (date, addresses on it).
    struct Snapshot {
        size_t list;
        std::string date; // YYYY-MM-DD
        std::vector<uint32_t> addrs;
    };
    std::vector<Snapshot> old_snapshots;
};

Population build_population(const Registry& reg, uint64_t seed);

/// Writes DIR/rosters/: one latest snapshot per list plus the old snapshots.
void write_rosters(const std::filesystem::path& dir, const Registry& reg, const Population& pop,
                   uint64_t seed);

// ---------------------------------------------------------------------------
// Plan of one copy

enum class ThreadKind : uint8_t { discussion, invitation, agenda, reminder, report, wg_plan,
                                  setup, closing };

struct ThreadPlan {
    ThreadKind kind = ThreadKind::discussion;
    uint8_t list = 0;     // home list
    int8_t deliv = -1;    // topic deliverable, -1 none
    int8_t meeting = -1;  // meeting index for meeting-related threads
    uint8_t variant = 0;  // which canned subject/body for setup/closing/etc.
    bool force_mention = false; // root must mention the topic deliverable
    uint64_t seed = 0;
    uint32_t root = 0;    // message index of the root
};

struct MsgPlan {
    int64_t t = 0;        // instant, UTC
    uint32_t thread = 0;
    int32_t parent = -1;  // message index of the parent, -1 for roots
    uint32_t author = 0;  // person
    uint32_t from_addr = 0; // address index used in From:
    int16_t tz = 0;       // Date header offset, minutes
    uint8_t depth = 0;
    uint8_t cross_list = 0xFF; // second list of a cross-post, 0xFF: none
    uint8_t dup_after = 0;     // >0: delivered twice, the copy after N more mails
    bool broken = false;       // reply from a client that drops threading headers
    bool in_window = false;
};

struct Plan {
    uint32_t copy = 0;
    uint64_t seed = 0;
    std::vector<ThreadPlan> threads;
    std::vector<MsgPlan> msgs;   // creation order; parents precede children
    std::vector<uint32_t> order; // msgs indices sorted by (t, index)
};

Plan build_plan(const Registry& reg, const Population& pop, uint64_t seed, uint32_t copy);

// ---------------------------------------------------------------------------
// Rendering

enum class MentionKind : uint8_t { id, spaced, word, output_doc, short_output_doc, title };
std::string_view mention_kind_name(MentionKind k);

struct Mention {
    uint8_t deliv;
    MentionKind kind;
    bool operator==(const Mention&) const = default;
};

struct RenderContext {
    const Registry& reg;
    const Population& pop;
    const Plan& plan;
    /// Optional per-copy cache of each message's own text (indexed like
    /// plan.msgs), so that replies do not re-render the parent they quote.
    std::vector<std::string>* own_cache;
    /// Optional per-copy cache of thread subjects (indexed like plan.threads).
    std::vector<std::string>* subject_cache = nullptr;
    std::vector<std::vector<Mention>>* subject_mentions = nullptr; // with subject_cache
};

/// Message-ID without angle brackets; unique per (seed, copy, index).
std::string message_id(const RenderContext& ctx, uint32_t msg);

/// The message as delivered through list `list` (header + body, LF, ends with
/// a newline, not yet mboxrd-escaped). `mentions` (if non-null) receives the
/// deliverable mentions planted outside quoted text; they do not depend on `list`.
std::string render_message(const RenderContext& ctx, uint32_t msg, size_t list,
                           std::vector<Mention>* mentions);

} // namespace sample_gen
