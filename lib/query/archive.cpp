// The lazily opened read side of an archive (see archive.hpp).
#include "query/archive.hpp"

#include "index/columns.hpp"
#include "index/schema.hpp"
#include "index/xapian_db.hpp"
#include "store/store.hpp"

#include <sys/stat.h>

namespace mlarc {

struct Archive::Impl {
    std::filesystem::path dir;
    std::optional<IndexReader> index;
    std::optional<Store> store;
    std::optional<std::vector<ListInfo>> lists;
    std::optional<IndexSettings> settings;
    std::optional<Columns> columns;
    // The revision and database for which no current column file was found
    // (not looked for again until the index moves on or refresh(): the
    // indexer writes the file just after its last commit, so a long-running
    // reader can see the revision before its file).
    std::optional<std::pair<uint64_t, std::string>> no_columns;
    bool allow_partial = false;
    // Identity of the store file opened (refresh() notices a new archive).
    dev_t store_dev = 0;
    ino_t store_ino = 0;

    bool store_file(dev_t& dev, ino_t& ino) const {
        struct stat st {};
        if (::stat((dir / "store.sqlite").c_str(), &st) != 0) return false;
        dev = st.st_dev;
        ino = st.st_ino;
        return true;
    }
};

Archive::Archive(std::filesystem::path dir) : impl_(std::make_unique<Impl>()) {
    impl_->dir = std::move(dir);
}
Archive::Archive(Archive&&) noexcept = default;
Archive& Archive::operator=(Archive&&) noexcept = default;
Archive::~Archive() = default;

Archive Archive::at(const std::filesystem::path& dir) { return Archive(dir); }

const std::filesystem::path& Archive::dir() const { return impl_->dir; }

Result<IndexReader*> Archive::index() {
    if (!impl_->index) {
        auto r = IndexReader::open(impl_->dir, impl_->allow_partial);
        if (!r.ok()) {
            // No index and no store either: say so about the archive itself.
            std::error_code ec;
            if (r.error().code == Errc::not_found &&
                !std::filesystem::exists(impl_->dir / "store.sqlite", ec))
                return make_error(Errc::not_found, "no archive at " + impl_->dir.string(),
                                  "import mail first (mlarc import --archive DIR --list NAME "
                                  "FILE), or pass --archive DIR / set MLARC_ARCHIVE");
            return r.error();
        }
        impl_->index.emplace(std::move(*r));
    }
    return &*impl_->index;
}

void Archive::allow_partial(bool yes) { impl_->allow_partial = yes; }

std::vector<std::string> Archive::missing_shards() const {
    return impl_->index ? impl_->index->missing_shards() : std::vector<std::string>{};
}

const Columns* Archive::columns(const Xapian::Database& db) {
    if (db.size() != 1) return nullptr;
    if (impl_->columns && impl_->columns->current_for(db)) return &*impl_->columns;
    const std::pair<uint64_t, std::string> at{db.get_revision(), db.get_uuid()};
    if (impl_->no_columns == at) return nullptr;
    impl_->columns = Columns::open(index_path(impl_->dir), db);
    if (impl_->columns) return &*impl_->columns;
    impl_->no_columns = at;
    return nullptr;
}

Result<Store*> Archive::store() {
    if (!impl_->store) {
        dev_t dev = 0;
        ino_t ino = 0;
        const bool known = impl_->store_file(dev, ino);
        auto s = Store::open(impl_->dir, Store::Mode::read_only);
        if (!s.ok()) return s.error();
        impl_->store_dev = known ? dev : 0;
        impl_->store_ino = known ? ino : 0;
        impl_->store.emplace(std::move(*s));
    }
    return &*impl_->store;
}

Result<const std::vector<ListInfo>*> Archive::lists() {
    if (!impl_->lists) {
        auto s = store();
        if (!s.ok()) return s.error();
        auto l = (*s)->lists();
        if (!l.ok()) return l.error();
        impl_->lists = std::move(*l);
    }
    return &*impl_->lists;
}

void Archive::refresh() {
    impl_->no_columns.reset();
    impl_->lists.reset();
    impl_->settings.reset();
    if (impl_->store) {
        dev_t dev = 0;
        ino_t ino = 0;
        if (!impl_->store_file(dev, ino) || dev != impl_->store_dev || ino != impl_->store_ino) {
            impl_->store.reset();
            impl_->index.reset();
            return;
        }
    }
    if (impl_->index && !impl_->index->reopen().ok()) impl_->index.reset();
}

std::optional<std::string> Archive::state_token() {
    auto s = store();
    if (!s.ok()) return std::nullopt;
    auto version = (*s)->db().query_int("PRAGMA data_version");
    if (!version.ok() || !*version) return std::nullopt;
    auto idx = index();
    if (!idx.ok()) return std::nullopt;
    auto at = (*idx)->run([](Xapian::Database& db) -> std::optional<std::string> {
        if (db.size() != 1) return std::nullopt;
        return db.get_uuid() + "@" + std::to_string(db.get_revision());
    });
    if (!at.ok() || !*at) return std::nullopt;
    return std::to_string(impl_->store_dev) + ":" + std::to_string(impl_->store_ino) + ":" +
           std::to_string(**version) + ":" + **at;
}

Result<Archive::IndexSettings> Archive::index_settings() {
    if (impl_->settings) return *impl_->settings;
    auto idx = index();
    if (!idx.ok()) return idx.error();
    auto r = (*idx)->run([](Xapian::Database& db) {
        IndexSettings s;
        auto get = [&](std::string_view key, std::string& out) {
            std::string v = db.get_metadata(std::string(key));
            if (!v.empty()) out = std::move(v);
        };
        get(kMetaLanguage, s.language);
        get(kMetaLevel, s.level);
        // Indexes made before the "stemming" key existed used STEM_SOME.
        get(kMetaStemming, s.stemming);
        s.pair_words = split_pair_words(db.get_metadata(std::string(kMetaPairWords)));
        if (s.language == "none") s.stemming = "none";
        return s;
    });
    if (!r.ok()) return r.error();
    impl_->settings = *r;
    return *r;
}

} // namespace mlarc
