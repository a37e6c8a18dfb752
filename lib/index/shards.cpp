// Stub files of sharded indexes and opening them with remote timeouts (see
// shards.hpp).
#include "index/shards.hpp"

#include <charconv>
#include <fstream>
#include <optional>
#include <sstream>

namespace mlarc {

namespace fs = std::filesystem;

namespace {

bool parse_unsigned(std::string_view s, unsigned& out) {
    auto r = std::from_chars(s.data(), s.data() + s.size(), out);
    return r.ec == std::errc() && r.ptr == s.data() + s.size() && !s.empty();
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.back() == ' ' || s.back() == '\r' || s.back() == '\t'))
        s.remove_suffix(1);
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    return s;
}

/// "#mlarc KEY VALUE" lines.
Status parse_setting(std::string_view rest, ShardStub& stub, const std::string& where) {
    const auto sp = rest.find(' ');
    const std::string_view key = rest.substr(0, sp);
    const std::string_view value = sp == std::string_view::npos ? "" : trim(rest.substr(sp + 1));
    unsigned n = 0;
    if (key == "timeout-ms" && parse_unsigned(value, n) && n > 0) {
        stub.timeout_ms = n;
    } else if (key == "allow-partial" && (value == "yes" || value == "no")) {
        stub.allow_partial = value == "yes";
    } else if (key == "shards" && parse_unsigned(value, n)) {
        // Informative: the shard lines are what count.
    } else {
        return make_error(Errc::bad_input, where + ": unknown setting '#mlarc " + std::string(rest) + "'",
                          "known: #mlarc timeout-ms MS, #mlarc allow-partial yes|no");
    }
    return {};
}

} // namespace

std::string shard_dir_name(unsigned k) { return "shard" + std::to_string(k); }

std::string ShardEntry::label() const {
    return remote ? host + ":" + std::to_string(port) : path;
}

bool ShardStub::has_remote() const {
    for (const auto& s : shards)
        if (s.remote) return true;
    return false;
}

bool is_sharded_index(const fs::path& index_dir) {
    std::error_code ec;
    return fs::is_regular_file(index_dir / kStubFile, ec);
}

unsigned index_shard_count(const fs::path& index_dir) {
    if (!is_sharded_index(index_dir)) return 1;
    auto stub = read_shard_stub(index_dir);
    return stub.ok() && !stub->shards.empty() ? static_cast<unsigned>(stub->shards.size()) : 1;
}

Result<ShardStub> read_shard_stub(const fs::path& index_dir) {
    const fs::path file = index_dir / kStubFile;
    std::ifstream in(file);
    if (!in)
        return make_error(Errc::not_found, "cannot read the shard list " + file.string(),
                          "run `mlarc index --shards N --rebuild`, or write the file (see "
                          "docs/scaling.md)");
    ShardStub stub;
    std::string line;
    unsigned line_no = 0;
    while (std::getline(in, line)) {
        ++line_no;
        const std::string where = file.string() + ":" + std::to_string(line_no);
        const std::string_view l = trim(line);
        if (l.empty()) continue;
        if (l.substr(0, 7) == "#mlarc ") {
            if (auto st = parse_setting(trim(l.substr(7)), stub, where); !st.ok()) return st.error();
            continue;
        }
        if (l.front() == '#') continue;
        const auto sp = l.find(' ');
        const std::string_view type = l.substr(0, sp);
        const std::string_view arg = sp == std::string_view::npos ? "" : trim(l.substr(sp + 1));
        ShardEntry e;
        if ((type == "auto" || type == "glass") && !arg.empty()) {
            e.path = std::string(arg);
        } else if (type == "remote" && !arg.empty() && arg.front() != ':' &&
                   arg.rfind(':') != std::string_view::npos &&
                   parse_unsigned(arg.substr(arg.rfind(':') + 1), e.port) && e.port > 0 &&
                   e.port < 65536) {
            e.remote = true;
            e.host = std::string(arg.substr(0, arg.rfind(':')));
            if (e.host.size() > 2 && e.host.front() == '[' && e.host.back() == ']')
                e.host = e.host.substr(1, e.host.size() - 2);
        } else {
            return make_error(Errc::bad_input, where + ": mlarc cannot use this shard line",
                              "write `auto PATH` for a local shard or `remote HOST:PORT` for "
                              "one served by xapian-tcpsrv");
        }
        stub.shards.push_back(std::move(e));
    }
    if (stub.shards.empty())
        return make_error(Errc::bad_input, file.string() + " lists no shards",
                          "run `mlarc index --shards N --rebuild`");
    return stub;
}

std::string format_shard_stub(const ShardStub& stub) {
    std::ostringstream out;
    out << "# mlarc sharded search index (Xapian stub database, see docs/scaling.md).\n"
        << "# Message id m is in shard (m-1) % " << stub.shards.size()
        << ": keep the order of the shard lines.\n"
        << "# A shard served by xapian-tcpsrv elsewhere: replace its line by `remote "
           "HOST:PORT`.\n"
        << "#mlarc shards " << stub.shards.size() << '\n'
        << "#mlarc timeout-ms " << stub.timeout_ms << '\n'
        << "#mlarc allow-partial " << (stub.allow_partial ? "yes" : "no") << '\n';
    for (const auto& s : stub.shards) {
        if (s.remote) {
            const bool v6 = s.host.find(':') != std::string::npos;
            out << "remote " << (v6 ? "[" + s.host + "]" : s.host) << ':' << s.port << '\n';
        } else {
            out << "auto " << s.path << '\n';
        }
    }
    return out.str();
}

Status write_shard_stub(const fs::path& index_dir, const ShardStub& stub) {
    const fs::path file = index_dir / kStubFile;
    const fs::path tmp = fs::path(file).concat(".tmp");
    {
        std::ofstream out(tmp, std::ios::trunc);
        out << format_shard_stub(stub);
        out.flush();
        if (!out) return make_error(Errc::io, "cannot write " + tmp.string());
    }
    std::error_code ec;
    fs::rename(tmp, file, ec);
    if (ec) return make_error(Errc::io, "cannot write " + file.string() + ": " + ec.message());
    return {};
}

ShardStub local_shard_stub(unsigned n) {
    ShardStub stub;
    for (unsigned k = 0; k < n; ++k) {
        ShardEntry e;
        e.path = shard_dir_name(k);
        stub.shards.push_back(std::move(e));
    }
    return stub;
}

Result<OpenedIndex> open_sharded_index(const fs::path& index_dir, bool allow_partial) {
    auto stub = read_shard_stub(index_dir);
    if (!stub.ok()) return stub.error();
    allow_partial = allow_partial || stub->allow_partial;
    const unsigned t = stub->timeout_ms;
    std::vector<std::optional<Xapian::Database>> opened(stub->shards.size());
    OpenedIndex out;
    std::optional<size_t> first_live;
    for (size_t k = 0; k < stub->shards.size(); ++k) {
        const ShardEntry& s = stub->shards[k];
        try {
            if (s.remote) {
                opened[k] = Xapian::Remote::open(s.host, s.port, t, t);
            } else {
                fs::path p = s.path;
                if (p.is_relative()) p = index_dir / p;
                opened[k] = Xapian::Database(p.string());
            }
            if (!first_live) first_live = k;
        } catch (const Xapian::NetworkError& e) {
            if (!allow_partial)
                return make_error(Errc::io,
                                  "search index shard " + s.label() + " did not answer within " +
                                      std::to_string(t) + " ms: " + e.get_description(),
                                  "start `xapian-tcpsrv` for it, or pass --allow-partial to "
                                  "search the other shards");
            out.missing.push_back(s.label());
        } catch (const Xapian::Error& e) {
            return xapian_error(e, "open the search index shard " + s.label());
        }
    }
    if (!first_live)
        return make_error(Errc::io, "no shard of the search index " + index_dir.string() + " answered",
                          "start `xapian-tcpsrv` for the shards listed in " +
                              (index_dir / kStubFile).string());
    try {
        for (size_t k = 0; k < opened.size(); ++k) {
            if (opened[k]) {
                out.db.add_database(*opened[k]);
                continue;
            }
            // An empty stand-in keeps the docid interleaving; it carries the
            // metadata in case it stands in for the first shard.
            Xapian::WritableDatabase empty(std::string(), Xapian::DB_BACKEND_INMEMORY);
            const Xapian::Database& live = *opened[*first_live];
            for (auto it = live.metadata_keys_begin(); it != live.metadata_keys_end(); ++it)
                empty.set_metadata(*it, live.get_metadata(*it));
            out.db.add_database(empty);
        }
    } catch (const Xapian::Error& e) {
        return xapian_error(e, "open the search index " + index_dir.string());
    }
    return out;
}

} // namespace mlarc
