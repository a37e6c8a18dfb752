// Threading rules over a ThreadGraph (see threader.hpp for the rules).
#include "thread/threader.hpp"

#include <algorithm>
#include <unordered_set>

namespace mlarc {

std::vector<std::string> parent_chain(const ThreadInput& in) {
    std::vector<std::string> chain;
    std::unordered_set<std::string> seen{in.mid};
    const auto& src = in.references.empty() ? in.in_reply_to : in.references;
    for (const auto& id : src) {
        if (id.empty() || !seen.insert(id).second) continue;
        chain.push_back(id);
        if (in.references.empty()) break; // In-Reply-To: the first id only
    }
    return chain;
}

namespace {

/// True when `ancestor` is `start` or one of its ancestors.
bool is_ancestor(ThreadGraph& g, const std::string& ancestor, const std::string& start,
                 size_t max_walk) {
    std::string cur = start;
    for (size_t i = 0; i < max_walk && !cur.empty(); ++i) {
        if (cur == ancestor) return true;
        auto n = g.find(cur);
        if (!n) return false;
        cur = n->parent_mid;
    }
    return !cur.empty(); // walk too long: treat as a loop, refuse the link
}

} // namespace

ThreadResult thread_message(ThreadGraph& g, const ThreadInput& in, const ThreaderOptions& opts) {
    ThreadResult res;
    const std::vector<std::string> chain = parent_chain(in);
    const bool from_refs = !in.references.empty();

    // Threads already touched by this message or its chain.
    std::vector<int64_t> touched;
    auto self = g.find(in.mid);
    if (self) touched.push_back(self->thread_id);
    std::vector<std::optional<ThreadNode>> nodes;
    nodes.reserve(chain.size());
    for (const auto& id : chain) {
        nodes.push_back(g.find(id));
        if (nodes.back()) touched.push_back(nodes.back()->thread_id);
    }

    std::string subject_parent;
    if (chain.empty() && opts.subject_threading && in.reply_subject &&
        !in.normalised_subject.empty()) {
        if (auto hit = g.find_subject(in.list_id, in.normalised_subject, in.date)) {
            touched.push_back(hit->first);
            if (hit->second != in.mid) subject_parent = hit->second;
        }
    }

    int64_t target = in.new_thread_id;
    for (int64_t t : touched) target = std::min(target, t);
    std::sort(touched.begin(), touched.end());
    touched.erase(std::unique(touched.begin(), touched.end()), touched.end());
    for (int64_t t : touched) {
        if (t != target) {
            g.merge(t, target);
            res.merged_threads.push_back(t);
        }
    }

    // Ghosts for missing chain members, and links along the chain.
    for (size_t i = 0; i < chain.size(); ++i) {
        ThreadNode n = nodes[i] ? *nodes[i] : ThreadNode{chain[i], target, "", "", true};
        n.thread_id = target;
        bool changed = !nodes[i];
        if (i > 0 && n.parent_mid.empty() && n.is_ghost &&
            !is_ancestor(g, n.mid, chain[i - 1], opts.max_ancestor_walk)) {
            n.parent_mid = chain[i - 1];
            n.parent_reason = "references";
            changed = true;
        }
        if (changed) g.put(n);
    }

    // The message's own node: its own headers decide its parent.
    ThreadNode me = self ? *self : ThreadNode{in.mid, target, "", "", false};
    me.thread_id = target;
    me.is_ghost = false;
    me.parent_mid.clear();
    me.parent_reason.clear();
    std::string parent = chain.empty() ? subject_parent : chain.back();
    if (!parent.empty() && !is_ancestor(g, in.mid, parent, opts.max_ancestor_walk)) {
        me.parent_mid = parent;
        me.parent_reason = chain.empty() ? "subject" : (from_refs ? "references" : "in-reply-to");
    }
    g.put(me);

    res.thread_id = target;
    res.parent_mid = me.parent_mid;
    res.parent_reason = me.parent_reason;
    return res;
}

} // namespace mlarc
