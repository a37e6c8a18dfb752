// Opening inputs: mbox files (any compression), single message files and
// Maildirs, behind the MessageSource interface of reader.hpp; and the
// expansion of a directory tree into the list of inputs an import reads.
//
// MboxSource is a thin shell over one Framer. MaildirSource lists cur/ and
// new/ once, sorts the files by name and frames each as one message with its
// own Framer (so a compressed or oversize file is handled the same way).
// File-system errors are mapped to Errc with the path and strerror text; no
// std::filesystem call here uses the throwing overloads.
#include "mbox/reader.hpp"

#include "mbox/byte_source.hpp"
#include "mbox/framer.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <sys/stat.h>
#include <utility>

namespace mlarc {
namespace fs = std::filesystem;
using mbox_detail::Framer;
using mbox_detail::FramerConfig;

namespace {

/// stat() with the errors of reader.hpp: not_found or unreadable.
Result<struct stat> stat_path(const fs::path& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) == 0) return st;
    int err = errno;
    if (err == ENOENT || err == ENOTDIR)
        return make_error(Errc::not_found, path.string() + ": no such file or directory");
    return make_error(Errc::unreadable, path.string() + ": " + std::strerror(err));
}

bool is_dir(const fs::path& p) {
    std::error_code ec;
    return fs::is_directory(p, ec);
}

bool is_maildir(const fs::path& dir) {
    return is_dir(dir / "cur") || is_dir(dir / "new");
}

bool is_hidden(const fs::path& p) {
    std::string name = p.filename().string();
    return !name.empty() && name[0] == '.';
}

/// The entries of `dir`, sorted by name. Errors: unreadable.
Result<std::vector<fs::directory_entry>> list_dir(const fs::path& dir) {
    std::vector<fs::directory_entry> out;
    std::error_code ec;
    fs::directory_iterator it(dir, ec), end;
    for (; !ec && it != end; it.increment(ec))
        out.push_back(*it);
    if (ec) return make_error(Errc::unreadable, dir.string() + ": cannot list: " + ec.message());
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
        return a.path().filename() < b.path().filename();
    });
    return out;
}

class MboxSource final : public MessageSource {
  public:
    explicit MboxSource(std::unique_ptr<Framer> f) : framer_(std::move(f)) {}
    Result<std::optional<RawMessage>> next() override { return framer_->next(); }
    uint64_t bytes_done() const override { return framer_->bytes_done(); }
    uint64_t bytes_total() const override { return framer_->bytes_total(); }
    std::vector<std::string> take_warnings() override { return framer_->take_warnings(); }

  private:
    std::unique_ptr<Framer> framer_;
};

/// Opens a file and starts framing it.
Result<std::unique_ptr<Framer>> open_framer(const fs::path& path, FramerConfig cfg,
                                            uint64_t start_offset) {
    auto src = mbox_detail::open_byte_source(path);
    if (!src) return src.error();
    cfg.name = path.string();
    auto framer = std::make_unique<Framer>(std::move(*src), std::move(cfg));
    if (auto st = framer->start(start_offset); !st) return st.error();
    return framer;
}

class MaildirSource final : public MessageSource {
  public:
    struct Entry {
        fs::path path;
        std::string origin; // "cur/NAME"
        uint64_t size = 0;
    };

    MaildirSource(std::vector<Entry> entries, size_t max_message_size)
        : entries_(std::move(entries)), max_message_size_(max_message_size) {
        for (const Entry& e : entries_)
            total_ += e.size;
    }

    Result<std::optional<RawMessage>> next() override {
        for (;;) {
            if (current_) {
                auto r = current_->next();
                if (!r || !*r) close_current();
                if (!r) return r.error();
                if (*r) {
                    (*r)->origin = entries_[index_ - 1].origin;
                    return r;
                }
            }
            if (index_ == entries_.size()) return std::optional<RawMessage>{};
            const Entry& e = entries_[index_++];
            FramerConfig cfg;
            cfg.input = FramerConfig::Input::message_file;
            cfg.escaping = Escaping::none;
            cfg.max_message_size = max_message_size_;
            auto f = open_framer(e.path, std::move(cfg), 0);
            if (!f) {
                done_ += e.size;
                // Mail readers rename and delete Maildir files all the time.
                if (f.error().code == Errc::not_found) {
                    warnings_.push_back(e.path.string() + ": vanished while reading; skipped");
                    continue;
                }
                return f.error();
            }
            current_ = std::move(*f);
        }
    }
    uint64_t bytes_done() const override { return done_ + (current_ ? current_->bytes_done() : 0); }
    uint64_t bytes_total() const override { return total_; }
    std::vector<std::string> take_warnings() override {
        if (current_) {
            auto more = current_->take_warnings();
            warnings_.insert(warnings_.end(), more.begin(), more.end());
        }
        return std::exchange(warnings_, {});
    }

  private:
    void close_current() {
        auto more = current_->take_warnings();
        warnings_.insert(warnings_.end(), more.begin(), more.end());
        done_ += entries_[index_ - 1].size;
        current_.reset();
    }

    std::vector<Entry> entries_;
    size_t max_message_size_;
    size_t index_ = 0;
    std::unique_ptr<Framer> current_;
    uint64_t done_ = 0, total_ = 0;
    std::vector<std::string> warnings_;
};

Result<std::unique_ptr<MessageSource>> open_maildir(const fs::path& dir, const OpenOptions& opts) {
    std::vector<MaildirSource::Entry> entries;
    for (const char* sub : {"cur", "new"}) {
        if (!is_dir(dir / sub)) continue;
        auto listing = list_dir(dir / sub);
        if (!listing) return listing.error();
        for (const fs::directory_entry& de : *listing) {
            std::error_code ec;
            if (is_hidden(de.path()) || !de.is_regular_file(ec)) continue;
            uint64_t size = de.file_size(ec);
            entries.push_back(
                {de.path(), std::string(sub) + "/" + de.path().filename().string(), ec ? 0 : size});
        }
    }
    // By file name (Maildir names start with the delivery time), cur/ before
    // new/ for equal names.
    std::stable_sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) {
        return a.path.filename() < b.path.filename();
    });
    return std::unique_ptr<MessageSource>(
        new MaildirSource(std::move(entries), opts.max_message_size));
}

Status expand_dir(const fs::path& dir, bool maildir, int depth, std::vector<fs::path>& out) {
    if (depth > 64) return {}; // deeper than any real archive tree
    auto listing = list_dir(dir);
    if (!listing) return listing.error();
    for (const fs::directory_entry& de : *listing) {
        const fs::path& p = de.path();
        if (is_hidden(p)) continue;
        std::string name = p.filename().string();
        if (maildir && (name == "cur" || name == "new" || name == "tmp")) continue;
        std::error_code ec;
        // Symlinks to files are followed, symlinks to directories are not
        // (they can form loops).
        bool link = de.is_symlink(ec);
        if (de.is_regular_file(ec)) {
            out.push_back(p);
        } else if (!link && de.is_directory(ec)) {
            bool sub_maildir = is_maildir(p);
            if (sub_maildir) out.push_back(p);
            if (auto st = expand_dir(p, sub_maildir, depth + 1, out); !st) return st;
        }
    }
    return {};
}

} // namespace

Result<std::unique_ptr<MessageSource>> open_source(const fs::path& path, const OpenOptions& opts) {
    auto st = stat_path(path);
    if (!st) return st.error();
    if (S_ISDIR(st->st_mode)) {
        if (!is_maildir(path))
            return make_error(Errc::bad_input, path.string() + ": a directory but not a Maildir",
                              "a Maildir has cur/ or new/; import the files inside instead");
        return open_maildir(path, opts);
    }
    if (opts.format == MboxFormat::maildir)
        return make_error(Errc::bad_input, path.string() + ": not a Maildir directory");

    FramerConfig cfg;
    cfg.max_message_size = opts.max_message_size;
    switch (opts.format) {
    case MboxFormat::mboxo:
        cfg.escaping = Escaping::mboxo;
        break;
    case MboxFormat::mboxcl:
        cfg.escaping = Escaping::mboxo;
        cfg.use_content_length = true;
        break;
    case MboxFormat::mboxcl2:
        cfg.escaping = Escaping::none;
        cfg.use_content_length = true;
        break;
    default:
        cfg.escaping = Escaping::mboxrd;
        break;
    }
    auto framer = open_framer(path, std::move(cfg), opts.start_offset);
    if (!framer) return framer.error();
    return std::unique_ptr<MessageSource>(new MboxSource(std::move(*framer)));
}

Result<std::vector<fs::path>> expand_inputs(const fs::path& path) {
    auto st = stat_path(path);
    if (!st) return st.error();
    std::vector<fs::path> out;
    if (!S_ISDIR(st->st_mode)) {
        out.push_back(path);
        return out;
    }
    bool maildir = is_maildir(path);
    if (maildir) out.push_back(path);
    if (auto s = expand_dir(path, maildir, 0, out); !s) return s.error();
    return out;
}

} // namespace mlarc
