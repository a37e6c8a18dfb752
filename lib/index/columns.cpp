// The column file of a one-database index: writing it from the value streams,
// mapping and validating it for searches (see columns.hpp).
#include "index/columns.hpp"

#include "index/schema.hpp"
#include "index/shards.hpp"
#include "index/xapian_db.hpp"
#include "util/fault.hpp"

#include <cerrno>
#include <cmath>
#include <cstring>
#include <string>
#include <unordered_map>
#include <vector>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace mlarc {

namespace fs = std::filesystem;

namespace {

constexpr char kMagic[8] = {'M', 'L', 'A', 'R', 'C', 'C', 'L', '2'};
constexpr size_t kUuidBytes = 40;

struct Header {
    char magic[8];
    uint64_t revision;
    uint64_t count; // cells: last docid + 1
    char uuid[kUuidBytes];
};
static_assert(sizeof(Header) == 64);
static_assert(sizeof(Columns::Cell) == 24);

/// After the cells (see columns.hpp).
struct Tables {
    uint32_t has_authors;
    uint32_t authors;
    uint32_t lists;
    uint32_t reserved;
    uint64_t author_bytes; // padded to 8
    uint64_t list_bytes;   // padded to 8
};
static_assert(sizeof(Tables) == 32);

uint64_t pad8(uint64_t n) {
    return (n + 7) & ~uint64_t{7};
}

/// Cells written per window: 1 MiB of output at a time.
constexpr Xapian::docid kWindow = 65536;

/// One glass database (not a stub of shards)?
bool single(const Xapian::Database& db) {
    return db.size() == 1;
}

Error write_error(const fs::path& p, int err) {
    if (err == ENOSPC || err == EDQUOT)
        return make_error(Errc::disk_full,
                          "cannot write the index's column file " + p.string() + ": " +
                              std::strerror(err),
                          "free some space and run `mlarc index` again (searches still work, "
                          "more slowly, until then)");
    return make_error(
        Errc::io, "cannot write the index's column file " + p.string() + ": " + std::strerror(err),
        "check the directory's permissions and run `mlarc index` again");
}

bool write_all(int fd, const void* data, size_t n) {
    const char* p = static_cast<const char*>(data);
    while (n > 0) {
        const ssize_t w = ::write(fd, p, n);
        if (w < 0) {
            if (errno == EINTR) continue;
            return false;
        }
        p += w;
        n -= static_cast<size_t>(w);
    }
    return true;
}

/// The author and list-set tables being built: each distinct entry once.
class TableBuilder {
  public:
    uint32_t author(std::string_view name, std::string_view address) {
        key_.assign(std::to_string(name.size())).append(":").append(name).append(address);
        const auto [it, fresh] =
            authors_.try_emplace(key_, static_cast<uint32_t>(name_len_.size()));
        if (fresh) {
            name_len_.push_back(static_cast<uint32_t>(name.size()));
            author_bytes_.append(name).append(address);
            author_off_.push_back(static_cast<uint32_t>(author_bytes_.size()));
        }
        return it->second;
    }
    uint32_t lists(const std::vector<std::string_view>& names) {
        key_.clear();
        for (std::string_view n : names) {
            if (n.size() > 255) overflow_ = true; // (list names are short: never in practice)
            n = n.substr(0, 255);
            key_ += static_cast<char>(n.size());
            key_.append(n);
        }
        const auto [it, fresh] =
            lists_.try_emplace(key_, static_cast<uint32_t>(list_off_.size() - 1));
        if (fresh) {
            list_bytes_.append(key_);
            list_off_.push_back(static_cast<uint32_t>(list_bytes_.size()));
        }
        return it->second;
    }
    /// Trailer and tables, as written after the cells.
    std::string serialise(bool has_authors) const {
        Tables t{};
        t.has_authors = has_authors ? 1 : 0;
        t.authors = static_cast<uint32_t>(name_len_.size());
        t.lists = static_cast<uint32_t>(list_off_.size() - 1);
        t.author_bytes = pad8(author_bytes_.size());
        t.list_bytes = pad8(list_bytes_.size());
        std::string out(reinterpret_cast<const char*>(&t), sizeof t);
        auto put = [&out](const void* p, size_t n) { out.append(static_cast<const char*>(p), n); };
        put(author_off_.data(), author_off_.size() * 4);
        put(name_len_.data(), name_len_.size() * 4);
        out.append(author_bytes_).append(t.author_bytes - author_bytes_.size(), '\0');
        put(list_off_.data(), list_off_.size() * 4);
        out.append(list_bytes_).append(t.list_bytes - list_bytes_.size(), '\0');
        return out;
    }
    /// Not every entry fits the format: write no tables.
    bool too_big() const {
        return overflow_ || author_bytes_.size() > 0xF0000000u || list_bytes_.size() > 0xF0000000u;
    }

  private:
    bool overflow_ = false;
    std::string key_;
    std::unordered_map<std::string, uint32_t> authors_, lists_;
    std::vector<uint32_t> author_off_{0}, name_len_, list_off_{0};
    std::string author_bytes_, list_bytes_;
};

/// Fills cells [first, first + n) from the value streams (date, thread and
/// the data slot), which are advanced in docid order across calls. `tables`
/// null: authors and lists are left kNone.
class StreamReader {
  public:
    explicit StreamReader(const Xapian::Database& db)
        : date_(db.valuestream_begin(kSlotDate)), date_end_(db.valuestream_end(kSlotDate)),
          thread_(db.valuestream_begin(kSlotThread)), thread_end_(db.valuestream_end(kSlotThread)),
          data_(db.valuestream_begin(kSlotDocData)), data_end_(db.valuestream_end(kSlotDocData)) {}

    void fill(Xapian::docid first, std::vector<Columns::Cell>& out, TableBuilder* tables) {
        const Columns::Cell none{std::nan(""), Columns::kNoThread, Columns::kNone, Columns::kNone};
        std::fill(out.begin(), out.end(), none);
        const Xapian::docid end = first + static_cast<Xapian::docid>(out.size());
        for (; date_ != date_end_ && date_.get_docid() < end; ++date_)
            out[date_.get_docid() - first].date = Xapian::sortable_unserialise(*date_);
        for (; thread_ != thread_end_ && thread_.get_docid() < end; ++thread_)
            out[thread_.get_docid() - first].thread =
                static_cast<int64_t>(Xapian::sortable_unserialise(*thread_));
        for (; data_ != data_end_ && data_.get_docid() < end; ++data_) {
            if (!tables) continue;
            Columns::Cell& c = out[data_.get_docid() - first];
            const std::string v = *data_;                      // author_ views into it
            if (!decode_doc_data_author(v, author_)) continue; // damaged: kNone
            c.author = tables->author(author_.from_name, author_.from_addr);
            c.lists = tables->lists(author_.lists);
        }
        for (const auto& c : out) // a document (it has a date) without its data slot
            if (!std::isnan(c.date) && c.author == Columns::kNone) all_authors_ = false;
    }
    /// False when a document had no (readable) data slot: an index made before it.
    bool all_authors() const { return all_authors_; }

  private:
    bool all_authors_ = true;
    Xapian::ValueIterator date_, date_end_, thread_, thread_end_, data_, data_end_;
    DocDataAuthor author_;
};

bool same_dates(const Columns::Cell& a, const Columns::Cell& b) {
    const bool dates = (std::isnan(a.date) && std::isnan(b.date)) || a.date == b.date;
    return dates && a.thread == b.thread;
}

} // namespace

fs::path columns_path(const fs::path& index_dir) {
    return index_dir / "mlarc.columns";
}

Columns::Columns(Columns&& o) noexcept {
    *this = std::move(o);
}

Columns& Columns::operator=(Columns&& o) noexcept {
    if (this != &o) {
        if (map_) ::munmap(map_, map_bytes_);
        map_ = std::exchange(o.map_, nullptr);
        map_bytes_ = std::exchange(o.map_bytes_, 0);
        cells_ = std::exchange(o.cells_, nullptr);
        count_ = std::exchange(o.count_, 0);
        has_authors_ = o.has_authors_;
        n_authors_ = o.n_authors_;
        n_lists_ = o.n_lists_;
        author_off_ = o.author_off_;
        name_len_ = o.name_len_;
        author_bytes_ = o.author_bytes_;
        author_size_ = o.author_size_;
        list_off_ = o.list_off_;
        list_bytes_ = o.list_bytes_;
        list_size_ = o.list_size_;
        revision_ = o.revision_;
        uuid_ = std::move(o.uuid_);
    }
    return *this;
}

Columns::~Columns() {
    if (map_) ::munmap(map_, map_bytes_);
}

bool Columns::current_for(const Xapian::Database& db) const {
    return single(db) && db.get_revision() == revision_ && db.get_uuid() == uuid_;
}

std::optional<Columns::Author> Columns::author(uint32_t i) const {
    if (i >= n_authors_) return std::nullopt;
    const uint32_t a = author_off_[i], b = author_off_[i + 1];
    if (a > b || b > author_size_ || name_len_[i] > b - a) return std::nullopt;
    const std::string_view entry(author_bytes_ + a, b - a);
    return Author{entry.substr(0, name_len_[i]), entry.substr(name_len_[i])};
}

bool Columns::lists(uint32_t i, std::vector<std::string_view>& out) const {
    if (i >= n_lists_) return false;
    const uint32_t a = list_off_[i], b = list_off_[i + 1];
    if (a > b || b > list_size_) return false;
    std::string_view entry(list_bytes_ + a, b - a);
    while (!entry.empty()) {
        const auto n = static_cast<unsigned char>(entry.front());
        if (n + 1u > entry.size()) return false;
        out.push_back(entry.substr(1, n));
        entry.remove_prefix(n + 1u);
    }
    return true;
}

std::optional<Columns> Columns::open(const fs::path& index_dir, const Xapian::Database& db) {
    if (!single(db)) return std::nullopt;
    const int fd = ::open(columns_path(index_dir).c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return std::nullopt;
    struct stat st {};
    Header h{};
    const bool read_ok = ::fstat(fd, &st) == 0 && st.st_size >= static_cast<off_t>(sizeof h) &&
                         ::pread(fd, &h, sizeof h, 0) == static_cast<ssize_t>(sizeof h);
    const auto size = static_cast<uint64_t>(st.st_size);
    if (!read_ok || std::memcmp(h.magic, kMagic, sizeof kMagic) != 0 ||
        h.count > (size - sizeof h) / sizeof(Cell) ||
        size - sizeof h - h.count * sizeof(Cell) < sizeof(Tables) ||
        h.revision != db.get_revision() ||
        std::string(h.uuid, strnlen(h.uuid, kUuidBytes)) != db.get_uuid()) {
        ::close(fd);
        return std::nullopt;
    }
    void* map = ::mmap(nullptr, static_cast<size_t>(size), PROT_READ, MAP_SHARED, fd, 0);
    ::close(fd);
    if (map == MAP_FAILED) return std::nullopt;
    Columns c;
    c.map_ = map;
    c.map_bytes_ = static_cast<size_t>(size);
    const char* base = static_cast<const char*>(map);
    c.cells_ = reinterpret_cast<const Cell*>(base + sizeof h);
    c.count_ = h.count;
    c.revision_ = h.revision;
    c.uuid_.assign(h.uuid, strnlen(h.uuid, kUuidBytes));
    // The tables: their sizes must add up to the file's exactly.
    const uint64_t at = sizeof h + h.count * sizeof(Cell);
    Tables t{};
    std::memcpy(&t, base + at, sizeof t);
    const uint64_t need = at + sizeof t + (uint64_t(t.authors) + 1) * 4 + uint64_t(t.authors) * 4 +
                          t.author_bytes + (uint64_t(t.lists) + 1) * 4 + t.list_bytes;
    if (t.author_bytes > size || t.list_bytes > size || need != size) return std::nullopt;
    const char* p = base + at + sizeof t;
    c.author_off_ = reinterpret_cast<const uint32_t*>(p);
    p += (uint64_t(t.authors) + 1) * 4;
    c.name_len_ = reinterpret_cast<const uint32_t*>(p);
    p += uint64_t(t.authors) * 4;
    c.author_bytes_ = p;
    c.author_size_ = t.author_bytes;
    p += t.author_bytes;
    c.list_off_ = reinterpret_cast<const uint32_t*>(p);
    p += (uint64_t(t.lists) + 1) * 4;
    c.list_bytes_ = p;
    c.list_size_ = t.list_bytes;
    c.n_authors_ = t.authors;
    c.n_lists_ = t.lists;
    c.has_authors_ = t.has_authors == 1;
    return c;
}

Status refresh_columns(const fs::path& index_dir) {
    const fs::path path = columns_path(index_dir);
    std::error_code ec;
    if (!fs::is_directory(index_dir, ec)) return {}; // no index (yet)
    if (is_sharded_index(index_dir)) { // never opened here: a remote shard could be down
        fs::remove(path, ec);
        return {};
    }
    try {
        Xapian::Database db(index_dir.string());
        if (Columns::open(index_dir, db)) return {};
        const std::string uuid = db.get_uuid();
        Header h{};
        std::memcpy(h.magic, kMagic, sizeof kMagic);
        h.revision = db.get_revision();
        h.count = uint64_t(db.get_lastdocid()) + 1;
        std::memcpy(h.uuid, uuid.data(), std::min(uuid.size(), kUuidBytes));

        const fs::path tmp = index_dir / "mlarc.columns.tmp";
        const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (fd < 0) return write_error(tmp, errno);
        auto fail = [&](int err) {
            ::close(fd);
            ::unlink(tmp.c_str());
            return write_error(tmp, err);
        };
        if (!write_all(fd, &h, sizeof h)) return fail(errno);
        StreamReader streams(db);
        TableBuilder tables;
        std::vector<Columns::Cell> window;
        for (uint64_t first = 0; first < h.count; first += kWindow) {
            window.resize(static_cast<size_t>(std::min<uint64_t>(kWindow, h.count - first)));
            streams.fill(static_cast<Xapian::docid>(first), window, &tables);
            if (!write_all(fd, window.data(), window.size() * sizeof(Columns::Cell)))
                return fail(errno);
            fault_point("columns-write"); // kill tests (util/fault.hpp)
        }
        // Tables too large for 32-bit offsets (never in practice): none.
        const std::string t = tables.too_big() ? TableBuilder().serialise(false)
                                               : tables.serialise(streams.all_authors());
        if (!write_all(fd, t.data(), t.size())) return fail(errno);
        if (::fsync(fd) != 0) return fail(errno);
        if (::close(fd) != 0) return write_error(tmp, errno);
        if (::rename(tmp.c_str(), path.c_str()) != 0) {
            const int err = errno;
            ::unlink(tmp.c_str());
            return write_error(path, err);
        }
        return {};
    } catch (const Xapian::Error& e) {
        return xapian_error(e, "read the search index to write its column file");
    } catch (const std::bad_alloc&) {
        return make_error(Errc::internal, "out of memory while writing the index's column file");
    }
}

std::optional<uint64_t> columns_mismatches(const fs::path& index_dir, const Xapian::Database& db) {
    auto cols = Columns::open(index_dir, db);
    if (!cols) return std::nullopt;
    uint64_t bad = 0;
    StreamReader streams(db);
    std::vector<Columns::Cell> window;
    std::vector<std::string_view> got;
    DocDataAuthor want;
    const uint64_t count = uint64_t(db.get_lastdocid()) + 1;
    for (uint64_t first = 0; first < count; first += kWindow) {
        window.resize(static_cast<size_t>(std::min<uint64_t>(kWindow, count - first)));
        streams.fill(static_cast<Xapian::docid>(first), window, nullptr);
        for (size_t i = 0; i < window.size(); ++i) {
            const auto id = static_cast<Xapian::docid>(first + i);
            const Columns::Cell* c = cols->cell(id);
            if (!c || !same_dates(*c, window[i])) {
                ++bad;
                continue;
            }
            if (!cols->has_authors() || std::isnan(window[i].date)) continue;
            // The author and lists against the document's own data.
            const std::string data = db.get_document(id).get_data();
            const auto a = cols->author(c->author);
            got.clear();
            if (!decode_doc_data_author(data, want) || !a || a->name != want.from_name ||
                a->address != want.from_addr || !cols->lists(c->lists, got) ||
                got != std::vector<std::string_view>(want.lists.begin(), want.lists.end()))
                ++bad;
        }
    }
    return bad;
}

} // namespace mlarc
