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
#include <vector>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace mlarc {

namespace fs = std::filesystem;

namespace {

constexpr char kMagic[8] = {'M', 'L', 'A', 'R', 'C', 'C', 'L', '1'};
constexpr size_t kUuidBytes = 40;

struct Header {
    char magic[8];
    uint64_t revision;
    uint64_t count; // cells: last docid + 1
    char uuid[kUuidBytes];
};
static_assert(sizeof(Header) == 64);
static_assert(sizeof(Columns::Cell) == 16);

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

/// Fills cells [first, first + n) from the two value streams, which are
/// advanced in docid order across calls.
class StreamReader {
  public:
    explicit StreamReader(const Xapian::Database& db)
        : date_(db.valuestream_begin(kSlotDate)), date_end_(db.valuestream_end(kSlotDate)),
          thread_(db.valuestream_begin(kSlotThread)), thread_end_(db.valuestream_end(kSlotThread)) {
    }

    void fill(Xapian::docid first, std::vector<Columns::Cell>& out) {
        const Columns::Cell none{std::nan(""), Columns::kNoThread};
        std::fill(out.begin(), out.end(), none);
        const Xapian::docid end = first + static_cast<Xapian::docid>(out.size());
        for (; date_ != date_end_ && date_.get_docid() < end; ++date_)
            out[date_.get_docid() - first].date = Xapian::sortable_unserialise(*date_);
        for (; thread_ != thread_end_ && thread_.get_docid() < end; ++thread_)
            out[thread_.get_docid() - first].thread =
                static_cast<int64_t>(Xapian::sortable_unserialise(*thread_));
    }

  private:
    Xapian::ValueIterator date_, date_end_, thread_, thread_end_;
};

bool same_cell(const Columns::Cell& a, const Columns::Cell& b) {
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

std::optional<Columns> Columns::open(const fs::path& index_dir, const Xapian::Database& db) {
    if (!single(db)) return std::nullopt;
    const int fd = ::open(columns_path(index_dir).c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return std::nullopt;
    struct stat st {};
    Header h{};
    const bool read_ok = ::fstat(fd, &st) == 0 && st.st_size >= static_cast<off_t>(sizeof h) &&
                         ::pread(fd, &h, sizeof h, 0) == static_cast<ssize_t>(sizeof h);
    if (!read_ok || std::memcmp(h.magic, kMagic, sizeof kMagic) != 0 ||
        h.count > (uint64_t(st.st_size) - sizeof h) / sizeof(Cell) ||
        uint64_t(st.st_size) != sizeof h + h.count * sizeof(Cell) ||
        h.revision != db.get_revision() ||
        std::string(h.uuid, strnlen(h.uuid, kUuidBytes)) != db.get_uuid()) {
        ::close(fd);
        return std::nullopt;
    }
    void* map = ::mmap(nullptr, static_cast<size_t>(st.st_size), PROT_READ, MAP_SHARED, fd, 0);
    ::close(fd);
    if (map == MAP_FAILED) return std::nullopt;
    Columns c;
    c.map_ = map;
    c.map_bytes_ = static_cast<size_t>(st.st_size);
    c.cells_ = reinterpret_cast<const Cell*>(static_cast<const char*>(map) + sizeof h);
    c.count_ = h.count;
    c.revision_ = h.revision;
    c.uuid_.assign(h.uuid, strnlen(h.uuid, kUuidBytes));
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
        std::vector<Columns::Cell> window;
        for (uint64_t first = 0; first < h.count; first += kWindow) {
            window.resize(static_cast<size_t>(std::min<uint64_t>(kWindow, h.count - first)));
            streams.fill(static_cast<Xapian::docid>(first), window);
            if (!write_all(fd, window.data(), window.size() * sizeof(Columns::Cell)))
                return fail(errno);
            fault_point("columns-write"); // kill tests (util/fault.hpp)
        }
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
    const uint64_t count = uint64_t(db.get_lastdocid()) + 1;
    for (uint64_t first = 0; first < count; first += kWindow) {
        window.resize(static_cast<size_t>(std::min<uint64_t>(kWindow, count - first)));
        streams.fill(static_cast<Xapian::docid>(first), window);
        for (size_t i = 0; i < window.size(); ++i) {
            const Columns::Cell* c = cols->cell(static_cast<Xapian::docid>(first + i));
            if (!c || !same_cell(*c, window[i])) ++bad;
        }
    }
    return bad;
}

} // namespace mlarc
