// Purpose: mlarc-sample-gen writes a deterministic, realistic synthetic mail
// archive of the ITU-T FG-DPM mailing lists (2017-2019) for tests and
// benchmarks. The lists, deliverables and meetings come from data/registry.
//
//   mlarc-sample-gen --out DIR [--scale N] [--seed S] [--registry DIR]
//
// It writes DIR/<list>.mbox (mboxrd, LF), DIR/rosters/, DIR/messages.tsv and
// DIR/truth.tsv. data/generator/README.md describes their formats and the
// invariants. At --scale 1 they are: exactly 991 distinct emails inside
// 2017-07-19 .. 2019-07-15 UTC, 732 subscribed addresses, 40 cross-posts and
// 2-3 duplicate deliveries. At --scale N the archive holds N copies of the
// thread plan ("copies"), each with its own Message-IDs and dates in the same
// window. Copies are rendered whole (up to --jobs of them at once on worker
// threads) and written in order, so memory stays bounded by the copies in
// flight. The same seed and scale always give byte-identical output.
#include "model.hpp"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <memory>
#include <cstdio>
#include <cstring>
#include <deque>
#include <functional>
#include <future>
#include <iostream>
#include <stdexcept>
#include <thread>

#ifndef MLARC_DEFAULT_REGISTRY
#define MLARC_DEFAULT_REGISTRY "data/registry"
#endif

namespace sample_gen {
namespace {

struct Options {
    std::filesystem::path out;
    uint64_t scale = 1;
    uint64_t seed = 20170719;
    std::filesystem::path registry = MLARC_DEFAULT_REGISTRY;
    size_t jobs = std::clamp<size_t>(std::thread::hardware_concurrency(), 1, 4);
};

constexpr const char* k_usage =
    "usage: mlarc-sample-gen --out DIR [--scale N] [--seed S] [--registry DIR] [--jobs N]\n"
    "  --out DIR        output directory (created if missing; files are overwritten)\n"
    "  --scale N        number of copies of the thread plan, 1..100000 (default 1)\n"
    "  --seed S         unsigned 64-bit seed, decimal or 0x-hex (default 20170719)\n"
    "  --registry DIR   folder with lists.tsv, deliverables.tsv, meetings.tsv\n"
    "                   (default " MLARC_DEFAULT_REGISTRY ")\n"
    "  --jobs N         threads rendering copies ahead, 1..64 (default: cores, at most 4);\n"
    "                   the output does not depend on it\n";

uint64_t parse_u64(const std::string& s, const char* what) {
    try {
        size_t pos = 0;
        if (!s.empty() && s[0] != '-') {
            const uint64_t v = std::stoull(s, &pos, 0);
            if (pos == s.size()) return v;
        }
    } catch (const std::exception&) {
    }
    throw std::invalid_argument(std::string("invalid ") + what + " '" + s + "'");
}

Options parse_args(int argc, char** argv) {
    Options o;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "-h" || a == "--help") {
            std::cout << k_usage;
            std::exit(0);
        }
        if (i + 1 >= argc) throw std::invalid_argument("option " + a + " needs a value");
        const std::string v = argv[++i];
        if (a == "--out") o.out = v;
        else if (a == "--scale") o.scale = parse_u64(v, "--scale");
        else if (a == "--seed") o.seed = parse_u64(v, "--seed");
        else if (a == "--registry") o.registry = v;
        else if (a == "--jobs") o.jobs = static_cast<size_t>(std::clamp<uint64_t>(parse_u64(v, "--jobs"), 1, 64));
        else throw std::invalid_argument("unknown option " + a);
    }
    if (o.out.empty()) throw std::invalid_argument("--out DIR is required");
    if (o.scale < 1 || o.scale > 100000) throw std::invalid_argument("--scale must be 1..100000");
    return o;
}

/// Buffered binary output file.
class OutFile {
  public:
    explicit OutFile(const std::filesystem::path& p) : path_(p), f_(std::fopen(p.c_str(), "wb")) {
        if (!f_) throw std::runtime_error("cannot write " + p.string() + ": " + std::strerror(errno));
        buf_.reserve(k_flush * 2);
    }
    ~OutFile() {
        if (f_) std::fclose(f_);
    }
    OutFile(const OutFile&) = delete;
    OutFile& operator=(const OutFile&) = delete;
    std::string& buf() { return buf_; }
    /// Writes `data` (large blocks go straight to the file).
    void write(const std::string& data) {
        if (buf_.size() + data.size() < k_flush) {
            buf_ += data;
            return;
        }
        flush();
        if (!data.empty() && std::fwrite(data.data(), 1, data.size(), f_) != data.size())
            throw std::runtime_error("write error on " + path_.string());
    }
    void flush() {
        if (!buf_.empty() && std::fwrite(buf_.data(), 1, buf_.size(), f_) != buf_.size())
            throw std::runtime_error("write error on " + path_.string());
        buf_.clear();
    }
    void close() {
        flush();
        if (std::fclose(f_) != 0) throw std::runtime_error("cannot close " + path_.string());
        f_ = nullptr;
    }

  private:
    static constexpr size_t k_flush = 256 << 10;
    std::filesystem::path path_;
    FILE* f_;
    std::string buf_;
};

/// Appends an mboxrd entry: From_ line, message with ^>*From  lines quoted
/// once more, and the blank separator line.
void append_mbox_entry(std::string& out, const std::string& sender, int64_t t, const std::string& msg) {
    out += "From ";
    out += sender;
    out += ' ';
    out += asctime_utc(t);
    out += '\n';
    // Copy the message in runs; insert one '>' before each line matching
    // ^>*From . "From " is rare, so search for it rather than walk every line.
    size_t copied = 0;
    const std::string_view text(msg);
    for (size_t p = text.find("From "); p != std::string_view::npos; p = text.find("From ", p + 5)) {
        size_t ls = p;
        while (ls > 0 && text[ls - 1] == '>')
            --ls;
        if (ls != 0 && text[ls - 1] != '\n') continue; // not at a line start
        out.append(msg, copied, ls - copied);
        out += '>';
        copied = ls;
    }
    out.append(msg, copied, std::string::npos);
    if (out.back() != '\n') out += '\n';
    out += '\n';
}

struct Pending {
    int countdown;
    std::string bytes;
};

/// Everything one copy contributes to the output files, in file order.
struct CopyOutput {
    std::vector<std::string> mbox; // per list
    std::string messages, truth;   // TSV rows
    uint64_t emails = 0, in_window = 0, entries = 0, truth_rows = 0;
    /// When set, render_copy() hands over the text produced so far every
    /// ~256 KB (single-threaded mode: keeps the buffers small and cache-warm).
    std::function<void(CopyOutput&)> spill;
    size_t bytes() const {
        size_t n = messages.size() + truth.size();
        for (const auto& m : mbox)
            n += m.size();
        return n;
    }
};

/// Renders copy `copy` of the archive. A pure function of its arguments, so
/// copies can be rendered on worker threads and written in order.
/// `out` is cleared first; its string capacity is reused from earlier copies.
void render_copy(CopyOutput& out, const Registry& reg, const Population& pop, uint64_t seed,
                 uint32_t copy) {
    out.mbox.resize(reg.lists.size());
    for (auto& s : out.mbox)
        s.clear();
    out.messages.clear();
    out.truth.clear();
    out.emails = out.in_window = out.entries = out.truth_rows = 0;
    const Plan plan = build_plan(reg, pop, seed, copy);
    std::vector<std::string> own_cache(plan.msgs.size()), subject_cache(plan.threads.size());
    std::vector<std::vector<Mention>> subject_mentions(plan.threads.size());
    const RenderContext ctx{reg, pop, plan, &own_cache, &subject_cache, &subject_mentions};
    std::vector<Mention> mentions;
    std::vector<std::vector<Pending>> pending(reg.lists.size());
    for (uint32_t idx : plan.order) {
        const MsgPlan& m = plan.msgs[idx];
        const size_t home = plan.threads[m.thread].list;
        const std::string& sender = pop.addrs[m.from_addr].lower;
        mentions.clear();
        const size_t lists[2] = {home, m.cross_list};
        const size_t n_lists = m.cross_list == 0xFF ? 1 : 2;
        for (size_t k = 0; k < n_lists; ++k) {
            const size_t l = lists[k];
            const std::string text = render_message(ctx, idx, l, k == 0 ? &mentions : nullptr);
            std::string& mb = out.mbox[l];
            const size_t entry_start = mb.size();
            append_mbox_entry(mb, sender, m.t, text);
            ++out.entries;
            // A duplicate delivery comes again after dup_after more mails.
            if (m.dup_after && k == 0) pending[l].push_back({m.dup_after + 1, mb.substr(entry_start)});
            for (auto it = pending[l].begin(); it != pending[l].end();) {
                if (--it->countdown == 0) {
                    mb += it->bytes;
                    ++out.entries;
                    it = pending[l].erase(it);
                } else {
                    ++it;
                }
            }
        }
        // messages.tsv: one row per distinct email.
        const std::string mid = message_id(ctx, idx);
        std::string& r = out.messages;
        r += mid;
        r += '\t';
        r += iso_utc(m.t);
        r += '\t';
        r += reg.lists[home].name;
        if (n_lists == 2) {
            r += ',';
            r += reg.lists[m.cross_list].name;
        }
        r += m.in_window ? "\t1\t" : "\t0\t";
        r += message_id(ctx, plan.threads[m.thread].root);
        r += '\t';
        r += sender;
        r += '\n';
        // truth.tsv: one row per (message, deliverable, kind).
        std::sort(mentions.begin(), mentions.end(), [](const Mention& a, const Mention& b) {
            return a.deliv != b.deliv ? a.deliv < b.deliv : a.kind < b.kind;
        });
        mentions.erase(std::unique(mentions.begin(), mentions.end()), mentions.end());
        for (const auto& mn : mentions) {
            out.truth += mid;
            out.truth += '\t';
            out.truth += reg.deliverables[mn.deliv].id;
            out.truth += '\t';
            out.truth += mention_kind_name(mn.kind);
            out.truth += '\n';
            ++out.truth_rows;
        }
        ++out.emails;
        out.in_window += m.in_window;
        if (out.spill && out.bytes() >= (256u << 10)) out.spill(out);
    }
    for (size_t l = 0; l < pending.size(); ++l) {
        for (auto& p : pending[l]) {
            out.mbox[l] += p.bytes;
            ++out.entries;
        }
    }
}

void run(const Options& o) {
    const auto t0 = std::chrono::steady_clock::now();
    const Registry reg = load_registry(o.registry);
    const Population pop = build_population(reg, o.seed);
    std::filesystem::create_directories(o.out);
    write_rosters(o.out, reg, pop, o.seed);

    std::vector<std::unique_ptr<OutFile>> mbox;
    for (const auto& l : reg.lists)
        mbox.push_back(std::make_unique<OutFile>(o.out / (l.name + ".mbox")));
    OutFile messages(o.out / "messages.tsv");
    OutFile truth(o.out / "truth.tsv");
    messages.buf() += "message_id\tdate_utc\tlists\tin_window\tthread_root\tauthor\n";
    truth.buf() += "message_id\tdeliverable\tkind\n";

    CopyOutput total;
    auto write_text = [&](CopyOutput& c) {
        for (size_t l = 0; l < mbox.size(); ++l) {
            mbox[l]->write(c.mbox[l]);
            c.mbox[l].clear();
        }
        messages.write(c.messages);
        truth.write(c.truth);
        c.messages.clear();
        c.truth.clear();
    };
    auto write_copy = [&](CopyOutput& c) {
        write_text(c);
        total.emails += c.emails;
        total.in_window += c.in_window;
        total.entries += c.entries;
        total.truth_rows += c.truth_rows;
    };
    // Copies are independent: render up to `jobs` of them ahead on worker
    // threads and write them in order. Buffers are recycled, so memory stays
    // bounded by the copies in flight.
    const size_t jobs = o.scale == 1 ? 1 : o.jobs;
    if (jobs <= 1) {
        CopyOutput buf;
        buf.spill = write_text;
        for (uint64_t copy = 0; copy < o.scale; ++copy) {
            render_copy(buf, reg, pop, o.seed, static_cast<uint32_t>(copy));
            write_copy(buf);
        }
    } else {
        std::vector<CopyOutput> pool;
        std::deque<std::future<CopyOutput>> in_flight;
        for (uint64_t copy = 0; copy < o.scale; ++copy) {
            CopyOutput buf;
            if (!pool.empty()) {
                buf = std::move(pool.back());
                pool.pop_back();
            }
            in_flight.push_back(std::async(
                std::launch::async, [&reg, &pop, seed = o.seed, copy, b = std::move(buf)]() mutable {
                    render_copy(b, reg, pop, seed, static_cast<uint32_t>(copy));
                    return std::move(b);
                }));
            if (in_flight.size() >= jobs) {
                pool.push_back(in_flight.front().get());
                in_flight.pop_front();
                write_copy(pool.back());
            }
        }
        for (auto& f : in_flight) {
            CopyOutput c = f.get();
            write_copy(c);
        }
    }
    for (auto& f : mbox)
        f->close();
    messages.close();
    truth.close();
    const double secs =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::cout << "mlarc-sample-gen: " << total.emails << " emails (" << total.in_window
              << " in the window), " << total.entries << " mbox entries, " << total.truth_rows
              << " truth rows, " << pop.addrs.size() << " addresses -> " << o.out.string() << " in "
              << secs << " s\n";
}

} // namespace
} // namespace sample_gen

int main(int argc, char** argv) {
    try {
        sample_gen::run(sample_gen::parse_args(argc, argv));
    } catch (const std::invalid_argument& e) {
        std::cerr << "mlarc-sample-gen: " << e.what() << "\n" << sample_gen::k_usage;
        return 2;
    } catch (const std::exception& e) {
        std::cerr << "mlarc-sample-gen: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
