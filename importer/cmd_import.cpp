// `mlarc import`: reads mbox files, Maildirs and directories of them into the
// archive's store, then (unless --no-index) brings the search index up to date.
// Prints a per-file summary (read, stored, duplicates, quarantined, and purged
// when a message purged earlier was skipped), as JSON with --json;
// read = stored + duplicates + quarantined + purged always holds.
#include "cli/commands.hpp"

#include "index/indexer.hpp"
#include "index/xapian_db.hpp"
#include "ingest/importer.hpp"
#include "util/fault.hpp"
#include "util/lock.hpp"
#include "util/strings.hpp"

#include <malloc.h>
#include <unistd.h>

#include <iostream>
#include <memory>

namespace mlarc::cli {

namespace {

struct ImportArgs {
    std::string archive;
    std::string list;
    std::string format = "auto";
    std::vector<std::string> paths;
    unsigned jobs = 0;
    size_t batch = 2000;
    bool json = false;
    bool quiet = false;
    bool no_index = false;
    bool no_subject_threading = false;
    bool count_only = false;
    double wait = 0;
    uint64_t stop_after = 0;
    size_t index_batch = 0;
};

void print_text(const ImportSummary& s, std::ostream& out) {
    for (const auto& f : s.files) {
        out << f.path << ": " << f.status;
        if (f.status != "unchanged")
            out << ", read " << f.read << ", stored " << f.stored << ", duplicates " << f.duplicates
                << ", quarantined " << f.quarantined;
        if (f.purged) out << ", purged " << f.purged;
        out << '\n';
        for (const auto& w : f.warnings) out << "  warning: " << w << '\n';
        if (!f.error.empty()) out << "  error: " << f.error << '\n';
    }
    out << "total: read " << s.read << ", stored " << s.stored << ", duplicates " << s.duplicates
        << ", quarantined " << s.quarantined;
    if (s.purged) out << ", purged " << s.purged;
    out << " in " << s.seconds << " s";
    if (s.seconds > 0 && s.read > 0)
        out << " (" << static_cast<int64_t>(static_cast<double>(s.read) / s.seconds) << " msg/s)";
    out << '\n';
}

void print_json(const ImportSummary& s, const Status& st, std::ostream& out) {
    out << "{\"read\":" << s.read << ",\"stored\":" << s.stored << ",\"duplicates\":"
        << s.duplicates << ",\"quarantined\":" << s.quarantined << ",\"purged\":" << s.purged
        << ",\"seconds\":" << s.seconds
        << ",\"bytes\":" << s.bytes << ",\"ok\":" << (st.ok() ? "true" : "false");
    if (!st.ok()) out << ",\"error\":\"" << json_escape(st.error().what()) << '"';
    out << ",\"files\":[";
    for (size_t i = 0; i < s.files.size(); ++i) {
        const auto& f = s.files[i];
        out << (i ? "," : "") << "{\"path\":\"" << json_escape(f.path) << "\",\"status\":\""
            << f.status << "\",\"read\":" << f.read << ",\"stored\":" << f.stored
            << ",\"duplicates\":" << f.duplicates << ",\"quarantined\":" << f.quarantined
            << ",\"purged\":" << f.purged << ",\"warnings\":[";
        for (size_t k = 0; k < f.warnings.size(); ++k)
            out << (k ? "," : "") << '"' << json_escape(f.warnings[k]) << '"';
        out << "]";
        if (!f.error.empty()) out << ",\"error\":\"" << json_escape(f.error) << '"';
        out << "}";
    }
    out << "]}\n";
}

int run(const ImportArgs& a) {
    ImportOptions o;
    o.archive = a.archive.empty() ? default_archive_dir() : a.archive;
    o.list = a.list;
    auto fmt = parse_mbox_format(a.format);
    if (!fmt.ok()) {
        std::cerr << "mlarc import: " << fmt.error().what() << '\n';
        return 2;
    }
    o.format = *fmt;
    o.jobs = a.jobs;
    o.batch_messages = a.batch;
    o.subject_threading = !a.no_subject_threading;
    o.lock_wait_seconds = a.wait;
    o.progress = !a.quiet && !a.json && ::isatty(2);
    o.stop_after = a.stop_after;
    std::vector<std::filesystem::path> inputs(a.paths.begin(), a.paths.end());
    if (a.count_only) {
        auto counted = count_messages(inputs, o.format);
        if (!counted.ok()) {
            std::cerr << "mlarc import: " << counted.error().what() << '\n';
            return exit_code(counted.error().code);
        }
        for (const auto& f : counted->files) std::cout << f.path << ": " << f.read << '\n';
        std::cout << "total: " << format_count(static_cast<uint64_t>(counted->read)) << " messages, "
                  << human_bytes(counted->bytes) << " in " << counted->seconds << " s\n";
        return 0;
    }
    // Each batch's messages (tens of MB) are freed on another thread than the
    // one that framed them; with glibc's default thresholds that memory went
    // back to the kernel after every batch and was faulted in again for the
    // next one (a fifth of the reader thread's time). Keep it in the heap
    // instead: the peak RSS stays what it was.
    mallopt(M_TRIM_THRESHOLD, 256 << 20);
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
    ImportSummary summary;
    // The writer lock is held from the first store write to the last index
    // commit: no other writer can run between the import and the index update.
    std::optional<ArchiveLock> lock;
    o.keep_lock = &lock;
    // The index follows the import batch by batch on the other core (see
    // IndexFollower); the update after the import does what is left. Not on
    // the first import of an archive (no index yet): there a parallel full
    // build after the import is faster than following it (whole linux-mips
    // corpus, quiet machine: 51.8 s against 55.4 s, peak RSS 250 against
    // 480 MB), and readers have no index to keep up to date anyway.
    std::optional<IndexFollower> follower;
    std::error_code no_index_ec;
    const bool first_index = !std::filesystem::exists(index_path(o.archive), no_index_ec);
    if (!a.no_index && !first_index)
        o.on_locked = [&] {
            IndexOptions io;
            io.archive = o.archive;
            io.batch_size = a.index_batch;
            follower.emplace(std::move(io));
        };
    Status st = run_import(o, inputs, summary);
    uint64_t followed = 0;
    if (follower) {
        follower->stop();
        followed = follower->indexed();
    }
    if (a.json) print_json(summary, st, std::cout);
    else if (!a.quiet || !st.ok()) print_text(summary, std::cout);
    if (!st.ok()) {
        std::cerr << "mlarc import: " << st.error().what() << '\n';
        return exit_code(st.error().code);
    }
    fault_point("import-done"); // kill tests (util/fault.hpp)
    if (!a.no_index) {
        int rc = run_index_after_import(o.archive, a.quiet || a.json, a.index_batch, followed);
        if (rc != 0) return rc;
    }
    return 0;
}

} // namespace

void register_import(CLI::App& app, int& status) {
    auto args = std::make_shared<ImportArgs>();
    auto* sub = app.add_subcommand("import", "Import mbox files, Maildirs or directories of them");
    sub->add_option("--archive", args->archive, "Archive directory (default $MLARC_ARCHIVE or ./mlarc-data)");
    sub->add_option("--list", args->list,
                    "List the mail belongs to: name or address. Optional with a registry: a message "
                    "whose List-Id names a registered list goes there; one with neither is "
                    "quarantined (reason 'no list')");
    sub->add_option("--format", args->format, "Input format: auto|mboxo|mboxrd|mboxcl|mboxcl2|maildir")
        ->capture_default_str();
    sub->add_option("--jobs,-j", args->jobs, "Decoding threads (default: number of cores)");
    sub->add_option("--batch", args->batch, "Messages per transaction")->capture_default_str()
        ->check(CLI::Range(1, 1000000));
    sub->add_option("--wait", args->wait, "Wait this many seconds for another writer to finish");
    sub->add_flag("--json", args->json, "Print the summary as one JSON object");
    sub->add_flag("--quiet,-q", args->quiet, "Print nothing but errors");
    sub->add_flag("--no-index", args->no_index, "Do not update the search index afterwards");
    sub->add_flag("--count-only", args->count_only,
                  "Only split the input into messages and count them; store nothing");
    sub->add_flag("--no-subject-threading", args->no_subject_threading,
                  "Never join header-less replies to threads by subject");
    sub->add_option("--stop-after", args->stop_after, "Stop after N messages (testing aid)")
        ->group("");
    sub->add_option("--index-batch", args->index_batch,
                    "Documents per index commit (testing aid; default as `mlarc index`)")
        ->group("");
    sub->add_option("paths", args->paths, "mbox files (plain, .gz, .xz, .zst), Maildirs, directories")
        ->required();
    sub->callback([args, &status] { status = run(*args); });
}

} // namespace mlarc::cli
