// Threading rules against an in-memory graph: late parents, ghosts, merges,
// loops, In-Reply-To vs References, subject joining.
#include "thread/threader.hpp"

#include <catch2/catch.hpp>

#include <map>

using namespace mlarc;

namespace {

struct MemGraph : ThreadGraph {
    std::map<std::string, ThreadNode> nodes;
    std::map<std::pair<int64_t, std::string>, std::pair<int64_t, std::string>> subjects;
    std::optional<ThreadNode> find(const std::string& mid) override {
        auto it = nodes.find(mid);
        if (it == nodes.end()) return std::nullopt;
        return it->second;
    }
    void put(const ThreadNode& n) override { nodes[n.mid] = n; }
    void merge(int64_t from, int64_t into) override {
        for (auto& [k, n] : nodes)
            if (n.thread_id == from) n.thread_id = into;
        for (auto& [k, v] : subjects)
            if (v.first == from) v.first = into;
    }
    std::optional<std::pair<int64_t, std::string>>
    find_subject(int64_t list, const std::string& s, int64_t) override {
        auto it = subjects.find({list, s});
        if (it == subjects.end()) return std::nullopt;
        return it->second;
    }
};

struct Threads {
    MemGraph g;
    int64_t next = 1;
    ThreaderOptions opts;
    ThreadResult add(const std::string& mid, std::vector<std::string> refs,
                     std::vector<std::string> irt = {}, const std::string& subj = "",
                     bool reply = false) {
        ThreadInput in{mid, std::move(refs), std::move(irt), subj, reply, 1, 0, next++};
        auto r = thread_message(g, in, opts);
        if (!subj.empty() && !g.subjects.count({1, subj})) g.subjects[{1, subj}] = {r.thread_id, mid};
        return r;
    }
    int64_t tid(const std::string& mid) { return g.nodes.at(mid).thread_id; }
};

} // namespace

TEST_CASE("a reply joins its parent's thread", "[thread]") {
    Threads t;
    auto a = t.add("a", {});
    auto b = t.add("b", {"a"});
    CHECK(a.thread_id == 1);
    CHECK(b.thread_id == 1);
    CHECK(b.parent_mid == "a");
    CHECK(b.parent_reason == "references");
    CHECK_FALSE(t.g.nodes.at("a").is_ghost);
}

TEST_CASE("late parent merges two threads built on a ghost", "[thread]") {
    Threads t;
    t.add("c1", {"root"});      // ghost root, thread 1
    t.add("x", {});             // unrelated, thread 2
    t.add("c2", {"p2"});        // ghost p2, thread 3
    CHECK(t.g.nodes.at("root").is_ghost);
    auto p2 = t.add("p2", {"root"}); // links thread 3 into thread 1
    CHECK(p2.thread_id == 1);
    CHECK(p2.merged_threads == std::vector<int64_t>{3});
    CHECK(t.tid("c2") == 1);
    CHECK(t.tid("x") == 2);
    auto root = t.add("root", {});
    CHECK(root.thread_id == 1);
    CHECK(root.parent_mid.empty());
    CHECK_FALSE(t.g.nodes.at("root").is_ghost);
}

TEST_CASE("References chain creates linked ghosts", "[thread]") {
    Threads t;
    t.add("d", {"a", "b", "c"});
    CHECK(t.g.nodes.at("c").parent_mid == "b");
    CHECK(t.g.nodes.at("b").parent_mid == "a");
    CHECK(t.g.nodes.at("a").parent_mid.empty());
    CHECK(t.g.nodes.at("d").parent_mid == "c");
}

TEST_CASE("In-Reply-To is used only without References - References wins", "[thread]") {
    Threads t;
    t.add("a", {});
    t.add("z", {});
    auto b = t.add("b", {}, {"a", "zz"});
    CHECK(b.parent_mid == "a");
    CHECK(b.parent_reason == "in-reply-to");
    auto c = t.add("c", {"z"}, {"a"});
    CHECK(c.parent_mid == "z");
    CHECK(c.parent_reason == "references");
}

TEST_CASE("reference loops are broken and self references ignored", "[thread]") {
    Threads t;
    t.add("a", {"b"});
    auto b = t.add("b", {"a"}); // b -> a -> b would be a loop
    CHECK(b.thread_id == t.tid("a"));
    CHECK(b.parent_mid.empty());
    auto s = t.add("s", {"s"});
    CHECK(s.parent_mid.empty());
    // a chain that loops back on itself
    t.add("m", {"n", "o", "n"});
    CHECK(t.g.nodes.at("o").parent_mid == "n");
}

TEST_CASE("a message's own headers replace a link a child guessed", "[thread]") {
    Threads t;
    t.add("c", {"x", "p"}); // guesses p's parent is x
    CHECK(t.g.nodes.at("p").parent_mid == "x");
    auto p = t.add("p", {"y"}); // p says its parent is y
    CHECK(p.parent_mid == "y");
    CHECK(t.tid("y") == t.tid("c"));
}

TEST_CASE("subject joining is a switchable heuristic for header-less replies", "[thread]") {
    Threads t;
    t.add("a", {}, {}, "budget", false);
    auto r = t.add("b", {}, {}, "budget", true);
    CHECK(r.thread_id == t.tid("a"));
    CHECK(r.parent_reason == "subject");
    CHECK(r.parent_mid == "a");
    auto nr = t.add("c", {}, {}, "budget", false); // no reply prefix: new thread
    CHECK(nr.thread_id != t.tid("a"));

    Threads off;
    off.opts.subject_threading = false;
    off.add("a", {}, {}, "budget", false);
    auto r2 = off.add("b", {}, {}, "budget", true);
    CHECK(r2.thread_id != off.tid("a"));
    CHECK(r2.parent_mid.empty());
}

TEST_CASE("threads are the same whatever the order parents and children arrive", "[thread]") {
    // Same final grouping in forward and backward order (thread ids may differ).
    std::vector<std::pair<std::string, std::vector<std::string>>> msgs = {
        {"r", {}}, {"a", {"r"}}, {"b", {"r", "a"}}, {"c", {"r", "a", "b"}}, {"u", {}}};
    Threads fwd, bwd;
    for (auto& [m, refs] : msgs) fwd.add(m, refs);
    for (auto it = msgs.rbegin(); it != msgs.rend(); ++it) bwd.add(it->first, it->second);
    for (const char* m : {"a", "b", "c"}) {
        CHECK(fwd.tid(m) == fwd.tid("r"));
        CHECK(bwd.tid(m) == bwd.tid("r"));
        CHECK(fwd.g.nodes.at(m).parent_mid == bwd.g.nodes.at(m).parent_mid);
    }
    CHECK(fwd.tid("u") != fwd.tid("r"));
    CHECK(bwd.tid("u") != bwd.tid("r"));
}
