// Purpose: lays out one copy of the synthetic archive. It decides the threads,
// who writes each message, when, and to which lists, but not the text.
// build_plan() guarantees that exactly k_in_window_per_copy (991) distinct
// emails fall between 2017-07-19 00:00:00 and 2019-07-15 23:59:59 UTC. It also
// adds 10-20 setup/closing emails outside that window, exactly
// k_cross_posts_per_copy emails also sent to the main list, and 2-3 messages
// delivered twice. Traffic follows the meetings of the registry: invitation,
// agenda, reminder, WG session plans and report for each meeting, and denser
// discussion around meeting dates. Every discussed deliverable gets at least
// one thread whose root mentions it.
#include "model.hpp"

#include <algorithm>
#include <stdexcept>

namespace sample_gen {
namespace {

constexpr int64_t k_day = 86400;
const int64_t k_setup_from = time_from_civil(2017, 6, 5);
const int64_t k_closing_to = time_from_civil(2019, 8, 30, 18);

class Planner {
  public:
    Planner(const Registry& reg, const Population& pop, uint64_t seed, uint32_t copy)
        : reg_(reg), pop_(pop), rng_(mix_seed(mix_seed(seed, 0x91A4), copy)) {
        plan_.copy = copy;
        plan_.seed = seed;
    }
    Plan build();

  private:
    uint32_t pick_poster(size_t list) {
        const auto& w = pop_.poster_weights[list];
        return pop_.posters[list][rng_.weighted(w, pop_.poster_total[list])];
    }
    uint32_t from_address(uint32_t person) {
        const Person& p = pop_.persons[person];
        if (p.secondary >= 0 && rng_.chance(1, 4)) return static_cast<uint32_t>(p.secondary);
        return p.primary;
    }
    /// A working-hours instant of the author on the local date of `day_utc`.
    int64_t working_time(uint32_t person, int64_t day_utc) {
        int64_t day = day_utc - day_utc % k_day;
        const int wd = civil_from_time(day).weekday;
        if ((wd == 0 || wd == 6) && rng_.chance(85, 100)) day += wd == 6 ? -k_day : k_day;
        const int hour = rng_.chance(9, 10) ? static_cast<int>(rng_.range(8, 18))
                                            : static_cast<int>(rng_.range(19, 23));
        const int tz = pop_.persons[person].tz_at(day + 12 * 3600);
        return day + hour * 3600 + rng_.range(0, 3599) - tz * 60;
    }
    /// Parent time plus a human reply delay, kept inside [.., hi].
    int64_t reply_time(int64_t parent_t, int64_t hi) {
        const uint64_t r = rng_.below(100);
        int64_t delay = r < 25   ? rng_.range(600, 7200)
                        : r < 60 ? rng_.range(7200, 12 * 3600)
                        : r < 85 ? rng_.range(12 * 3600, 2 * k_day)
                                 : rng_.range(2 * k_day, 7 * k_day);
        int64_t t = parent_t + delay;
        if (t > hi) t = hi <= parent_t ? parent_t : parent_t + static_cast<int64_t>(rng_.below(static_cast<uint64_t>(hi - parent_t) + 1));
        return t;
    }
    /// Upper bound for replies in a thread whose root is at `root_t`.
    static int64_t reply_limit(int64_t root_t) {
        if (root_t < k_window_start) return k_window_start - 1;
        if (root_t <= k_window_end) return k_window_end;
        return std::max(root_t, k_closing_to);
    }
    uint32_t add_msg(uint32_t thread, int32_t parent, uint32_t author, int64_t t) {
        MsgPlan m;
        m.t = t;
        m.thread = thread;
        m.parent = parent;
        m.author = author;
        m.from_addr = from_address(author);
        m.tz = static_cast<int16_t>(pop_.persons[author].tz_at(t));
        m.in_window = t >= k_window_start && t <= k_window_end;
        if (parent >= 0) {
            m.depth = static_cast<uint8_t>(std::min(200, plan_.msgs[static_cast<size_t>(parent)].depth + 1));
            m.broken = pop_.persons[author].client == Client::lotus || rng_.chance(4, 100);
        }
        if (m.in_window) ++in_window_;
        else ++outside_;
        plan_.msgs.push_back(m);
        return static_cast<uint32_t>(plan_.msgs.size() - 1);
    }
    /// Starts a thread with its root message; returns the thread index.
    uint32_t new_thread(ThreadKind kind, size_t list, int deliv, int meeting, uint32_t author,
                        int64_t t, uint8_t variant = 0, bool force = false) {
        ThreadPlan th;
        th.kind = kind;
        th.list = static_cast<uint8_t>(list);
        th.deliv = static_cast<int8_t>(deliv);
        th.meeting = static_cast<int8_t>(meeting);
        th.variant = variant;
        th.force_mention = force;
        th.seed = rng_.next();
        plan_.threads.push_back(th);
        const uint32_t ti = static_cast<uint32_t>(plan_.threads.size() - 1);
        thread_msgs_.clear();
        plan_.threads[ti].root = add_msg(ti, -1, author, t);
        thread_msgs_.push_back(plan_.threads[ti].root);
        return ti;
    }
    /// Adds `n` replies to the current thread.
    void add_replies(uint32_t ti, int n) {
        const size_t list = plan_.threads[ti].list;
        const int64_t hi = reply_limit(plan_.msgs[plan_.threads[ti].root].t);
        for (int i = 0; i < n; ++i) {
            const uint32_t parent = rng_.chance(6, 10) ? thread_msgs_.back()
                                                       : thread_msgs_[rng_.below(thread_msgs_.size())];
            const uint32_t parent_author = plan_.msgs[parent].author;
            uint32_t author = pick_poster(list);
            for (int tries = 0; tries < 4 && author == parent_author; ++tries)
                author = pick_poster(list);
            const int64_t t = reply_time(plan_.msgs[parent].t, hi);
            thread_msgs_.push_back(add_msg(ti, static_cast<int32_t>(parent), author, t));
        }
    }
    int draw_replies() {
        const uint64_t r = rng_.below(100);
        if (r < 30) return 0;
        if (r < 50) return 1;
        if (r < 65) return 2;
        if (r < 77) return 3;
        if (r < 85) return 4;
        if (r < 91) return static_cast<int>(rng_.range(5, 6));
        if (r < 96) return static_cast<int>(rng_.range(7, 10));
        return static_cast<int>(rng_.range(11, 18));
    }
    int pick_deliverable(size_t list) {
        std::vector<int> own, any;
        for (size_t i = 0; i < reg_.deliverables.size(); ++i) {
            const auto& d = reg_.deliverables[i];
            if (!d.discussed) continue;
            any.push_back(static_cast<int>(i));
            if (reg_.list_of_wg(d.wg) == list) own.push_back(static_cast<int>(i));
        }
        if (any.empty()) return -1;
        if (list == 0 || own.empty() || rng_.chance(1, 10)) return any[rng_.below(any.size())];
        return own[rng_.below(own.size())];
    }
    int64_t clamp_window(int64_t t) const {
        return std::clamp(t, k_window_start + 3600, k_window_end - 6 * 3600);
    }
    void plan_meetings();
    void plan_outside();
    void plan_discussions();
    void mark_cross_posts_and_dups();

    const Registry& reg_;
    const Population& pop_;
    Rng rng_;
    Plan plan_;
    std::vector<uint32_t> thread_msgs_;
    int in_window_ = 0;
    int outside_ = 0;
};

void Planner::plan_meetings() {
    for (size_t mi = 0; mi < reg_.meetings.size(); ++mi) {
        const Meeting& m = reg_.meetings[mi];
        const int meeting = static_cast<int>(mi);
        const uint32_t tsb = pop_.tsb;
        uint32_t ti = new_thread(ThreadKind::invitation, 0, -1, meeting, tsb,
                                 working_time(tsb, m.start - (45 + rng_.range(-3, 3)) * k_day));
        add_replies(ti, static_cast<int>(rng_.range(0, 3)));
        ti = new_thread(ThreadKind::agenda, 0, -1, meeting, rng_.chance(2, 3) ? tsb : pop_.fg_chair,
                        working_time(tsb, m.start - (12 + rng_.range(-2, 2)) * k_day));
        add_replies(ti, static_cast<int>(rng_.range(0, 2)));
        ti = new_thread(ThreadKind::reminder, 0, -1, meeting, tsb,
                        working_time(tsb, m.start - (4 + rng_.range(0, 1)) * k_day));
        add_replies(ti, static_cast<int>(rng_.range(0, 1)));
        // Session plans of two or three working groups.
        const int n_wg = static_cast<int>(reg_.lists.size()) - 1;
        std::vector<int> wgs;
        for (int w = 1; w <= n_wg; ++w)
            wgs.push_back(w);
        for (int k = 0; k < std::min(n_wg, static_cast<int>(rng_.range(2, 3))); ++k) {
            const size_t j = static_cast<size_t>(k) + rng_.below(wgs.size() - static_cast<size_t>(k));
            std::swap(wgs[static_cast<size_t>(k)], wgs[j]);
            const size_t list = reg_.list_of_wg(wgs[static_cast<size_t>(k)]);
            const uint32_t chair = pop_.wg_chairs[list];
            ti = new_thread(ThreadKind::wg_plan, list, -1, meeting, chair,
                            working_time(chair, m.start - (9 + rng_.range(-2, 2)) * k_day));
            add_replies(ti, static_cast<int>(rng_.range(0, 3)));
        }
        // The report; the last one comes after the window closed.
        const int64_t rt = working_time(tsb, m.end + (10 + rng_.range(-3, 3)) * k_day);
        ti = new_thread(ThreadKind::report, 0, -1, meeting, tsb, rt);
        add_replies(ti, static_cast<int>(rng_.range(0, 1)));
    }
}

void Planner::plan_outside() {
    // Setup mails (June / early July 2017) and closing mails (late July /
    // August 2019); together with late meeting reports 10-20 emails.
    const int target = static_cast<int>(rng_.range(12, 18));
    const int setup_target = std::max(0, (target - outside_) / 2 + static_cast<int>(rng_.range(-1, 1)));
    const int setup_end = outside_ + setup_target;
    const int n_setup_variants = 6, n_closing_variants = 5;
    int v = 0;
    while (outside_ < setup_end) {
        const uint8_t variant = static_cast<uint8_t>(v++ % n_setup_variants);
        size_t list = 0;
        uint32_t author = pop_.tsb;
        if (variant == 3) {
            list = 1 + rng_.below(reg_.lists.size() - 1);
            author = pop_.wg_chairs[list];
        } else if (variant == 4) {
            author = pop_.fg_chair;
        }
        const int64_t day = k_setup_from + (static_cast<int64_t>(variant) * 6 + rng_.range(0, 5)) * k_day;
        const uint32_t ti = new_thread(ThreadKind::setup, list, -1, -1, author,
                                       std::min(working_time(author, day), k_window_start - 7200), variant);
        const int room = setup_end - outside_;
        add_replies(ti, static_cast<int>(std::min<int64_t>(room, rng_.range(0, 2))));
    }
    v = 0;
    const int closing_end = std::max(outside_ + 1, std::min(target, 20));
    while (outside_ < closing_end) {
        const uint8_t variant = static_cast<uint8_t>(v++ % n_closing_variants);
        size_t list = 0;
        uint32_t author = variant == 1 ? pop_.fg_chair : pop_.tsb;
        if (variant == 4) {
            list = 1 + rng_.below(reg_.lists.size() - 1);
            author = pop_.wg_chairs[list];
        }
        const int64_t day = k_window_end + 1 + (static_cast<int64_t>(variant) * 8 + rng_.range(1, 6)) * k_day;
        const uint32_t ti = new_thread(ThreadKind::closing, list, -1, -1, author,
                                       std::max(working_time(author, day), k_window_end + 3600), variant);
        const int room = closing_end - outside_;
        add_replies(ti, static_cast<int>(std::min<int64_t>(room, variant == 1 ? rng_.range(1, 3) : rng_.range(0, 1))));
    }
}

void Planner::plan_discussions() {
    // One thread per discussed deliverable first, so each is surely mentioned.
    for (size_t di = 0; di < reg_.deliverables.size() && in_window_ < k_in_window_per_copy; ++di) {
        const auto& d = reg_.deliverables[di];
        if (!d.discussed) continue;
        const size_t list = reg_.list_of_wg(d.wg);
        const uint32_t author = rng_.chance(7, 10) ? pop_.editors[di] : pick_poster(list);
        const Meeting& m = reg_.meetings[rng_.below(reg_.meetings.size())];
        const int64_t t = clamp_window(working_time(author, m.start - rng_.range(5, 30) * k_day));
        const uint32_t ti = new_thread(ThreadKind::discussion, list, static_cast<int>(di), -1, author, t, 0, true);
        add_replies(ti, std::min(draw_replies(), k_in_window_per_copy - in_window_));
    }
    static const std::vector<uint32_t> list_w = {22, 16, 14, 22, 13, 13};
    std::vector<uint32_t> w(reg_.lists.size(), 13);
    for (size_t i = 0; i < w.size() && i < list_w.size(); ++i)
        w[i] = list_w[i];
    uint64_t w_total = 0;
    for (auto x : w)
        w_total += x;
    // Bigger meetings draw more traffic before them.
    std::vector<uint32_t> meeting_w;
    uint64_t meeting_total = 0;
    for (const auto& m : reg_.meetings) {
        meeting_w.push_back(static_cast<uint32_t>(std::max(1, m.participants)));
        meeting_total += meeting_w.back();
    }
    while (in_window_ < k_in_window_per_copy) {
        const size_t list = rng_.weighted(w, w_total);
        const int deliv = rng_.chance(65, 100) ? pick_deliverable(list) : -1;
        const uint32_t author = deliv >= 0 && rng_.chance(3, 10)
                                    ? pop_.editors[static_cast<size_t>(deliv)]
                                    : pick_poster(list);
        int64_t t;
        if (rng_.chance(45, 100)) {
            const Meeting& m = reg_.meetings[rng_.weighted(meeting_w, meeting_total)];
            t = working_time(author, m.start - rng_.range(-7, 28) * k_day);
        } else {
            t = working_time(author, k_window_start + rng_.range(0, (k_window_end - k_window_start) / k_day) * k_day);
        }
        const uint32_t ti = new_thread(ThreadKind::discussion, list, deliv, -1, author, clamp_window(t));
        add_replies(ti, std::min(draw_replies(), k_in_window_per_copy - in_window_));
    }
}

void Planner::mark_cross_posts_and_dups() {
    std::vector<uint32_t> cand;
    for (uint32_t i = 0; i < plan_.msgs.size(); ++i) {
        const MsgPlan& m = plan_.msgs[i];
        const ThreadPlan& th = plan_.threads[m.thread];
        if (m.in_window && th.list != 0 && !m.broken &&
            (th.kind == ThreadKind::discussion || th.kind == ThreadKind::wg_plan))
            cand.push_back(i);
    }
    const size_t n_cross = std::min<size_t>(k_cross_posts_per_copy, cand.size());
    for (size_t k = 0; k < n_cross; ++k) {
        const size_t j = k + rng_.below(cand.size() - k);
        std::swap(cand[k], cand[j]);
        plan_.msgs[cand[k]].cross_list = 0;
    }
    std::vector<uint32_t> dup_cand;
    for (size_t k = n_cross; k < cand.size(); ++k)
        dup_cand.push_back(cand[k]);
    const size_t n_dup = std::min<size_t>(static_cast<size_t>(rng_.range(2, 3)), dup_cand.size());
    for (size_t k = 0; k < n_dup; ++k) {
        const size_t j = k + rng_.below(dup_cand.size() - k);
        std::swap(dup_cand[k], dup_cand[j]);
        plan_.msgs[dup_cand[k]].dup_after = static_cast<uint8_t>(rng_.range(1, 3));
    }
}

Plan Planner::build() {
    plan_meetings();
    if (in_window_ > k_in_window_per_copy)
        throw std::runtime_error("meeting traffic alone exceeds the window budget");
    plan_outside();
    plan_discussions();
    if (in_window_ != k_in_window_per_copy)
        throw std::runtime_error("internal error: window count " + std::to_string(in_window_));
    mark_cross_posts_and_dups();
    plan_.order.resize(plan_.msgs.size());
    for (uint32_t i = 0; i < plan_.order.size(); ++i)
        plan_.order[i] = i;
    std::sort(plan_.order.begin(), plan_.order.end(), [&](uint32_t a, uint32_t b) {
        const int64_t ta = plan_.msgs[a].t, tb = plan_.msgs[b].t;
        return ta != tb ? ta < tb : a < b;
    });
    return std::move(plan_);
}

} // namespace

Plan build_plan(const Registry& reg, const Population& pop, uint64_t seed, uint32_t copy) {
    return Planner(reg, pop, seed, copy).build();
}

} // namespace sample_gen
