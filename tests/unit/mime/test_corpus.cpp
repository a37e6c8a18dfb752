// decode_message over the shared corpora (skipped with a reason when absent):
// every message of ../shared/corpora/edge must decode without exception, with
// clean UTF-8 output and in under 1 s, with spot checks on known files; and the
// linux-mips 2017 archive (real mail) must decode completely, reporting the
// decode time. Set MLARC_MIPS_ALL=1 to decode every year of linux-mips.
#include "mime_test.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

using namespace mlarc;
using mlarc::test::has;
namespace fs = std::filesystem;

namespace {

using Clock = std::chrono::steady_clock;

bool same_headers(const std::vector<Header>& a, const std::vector<Header>& b) {
    return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](const Header& x, const Header& y) {
        return x.name == y.name && x.value == y.value;
    });
}

bool same_addresses(const std::vector<Address>& a, const std::vector<Address>& b) {
    return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                      [](const Address& x, const Address& y) {
                          return x.address == y.address && x.name == y.name;
                      });
}

/// What decode_message() gives `raw` without header fields (the import's
/// options) differs from the full decoding `full` only by the empty header
/// list: "" when so, else the first field that differs.
std::string without_headers_differs(std::string_view raw, const ParsedMessage& full) {
    DecodeOptions o;
    o.header_fields = false;
    auto r = decode_message(raw, o);
    if (!r.ok()) return "result";
    const ParsedMessage& p = *r;
    if (!p.headers.empty()) return "headers";
    if (p.flags != full.flags) return "flags";
    if (p.message_id != full.message_id || p.references != full.references ||
        p.in_reply_to != full.in_reply_to)
        return "ids";
    if (p.subject != full.subject || p.date_header != full.date_header ||
        p.list_ids != full.list_ids || p.received_dates != full.received_dates)
        return "fields";
    if (p.from.address != full.from.address || p.from.name != full.from.name ||
        !same_addresses(p.to, full.to) || !same_addresses(p.cc, full.cc) ||
        !same_addresses(p.reply_to, full.reply_to))
        return "addresses";
    if (p.body_text != full.body_text || p.attachment_text != full.attachment_text ||
        p.attachments.size() != full.attachments.size() || p.warnings != full.warnings)
        return "body";
    return "";
}

/// The messages of a file: an mbox split crudely at "\nFrom " lines, else the whole file.
std::vector<std::string> messages_of(const fs::path& p) {
    const std::string data = mlarc::test::read_file(p);
    if (p.extension() != ".mbox") return {data};
    std::vector<std::string> out;
    size_t start = 0;
    while (start < data.size()) {
        size_t next = data.find("\nFrom ", start);
        next = next == std::string::npos ? data.size() : next + 1;
        out.push_back(data.substr(start, next - start));
        start = next;
    }
    return out;
}

/// True if `s` holds a CJK ideograph, kana or hangul syllable.
bool has_cjk(std::string_view s) {
    for (size_t i = 0; i + 2 < s.size(); ++i) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c < 0xE0 || c > 0xEF) continue;
        const uint32_t cp = ((c & 0x0Fu) << 12) | ((static_cast<unsigned char>(s[i + 1]) & 0x3Fu) << 6) |
                            (static_cast<unsigned char>(s[i + 2]) & 0x3Fu);
        if ((cp >= 0x3040 && cp <= 0x30FF) || (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0xAC00 && cp <= 0xD7AF))
            return true;
    }
    return false;
}

/// CPU time of the calling thread, in seconds.
double thread_cpu_seconds() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

/// Output of `command` (a shell pipeline), read to the end.
std::string read_command(const std::string& command) {
    std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(command.c_str(), "r"), pclose);
    std::string out;
    if (!pipe) return out;
    char buf[1 << 16];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, pipe.get())) > 0) out.append(buf, n);
    return out;
}

/// Messages of an mboxrd archive with "From MAILER-DAEMON" separators, unescaped.
std::vector<std::string> mboxrd_messages(const std::string& mbox) {
    std::vector<std::string> out;
    const std::string sep = "\nFrom MAILER-DAEMON ";
    size_t start = mbox.rfind("From MAILER-DAEMON ", 0) == 0 ? 0 : std::string::npos;
    while (start < mbox.size()) {
        size_t end = mbox.find(sep, start);
        end = end == std::string::npos ? mbox.size() : end + 1;
        const size_t first = mbox.find('\n', start); // skip the From_ line
        std::string msg;
        msg.reserve(end - start);
        for (size_t pos = first == std::string::npos ? end : first + 1; pos < end;) {
            size_t eol = mbox.find('\n', pos);
            eol = (eol == std::string::npos || eol >= end) ? end : eol + 1;
            size_t k = pos;
            while (k < eol && mbox[k] == '>') ++k;
            const bool escaped = k > pos && mbox.compare(k, 5, "From ") == 0; // >From, >>From: one '>' less
            msg.append(mbox, escaped ? pos + 1 : pos, eol - (escaped ? pos + 1 : pos));
            pos = eol;
        }
        out.push_back(std::move(msg));
        start = end;
    }
    return out;
}

} // namespace

TEST_CASE("corpus: every edge message decodes cleanly and fast", "[mime][corpus]") {
    MLARC_SKIP_IF_NO_CORPUS(dir, "edge");
    std::map<std::string, ParsedMessage> by_name; // relative path -> first message
    size_t messages = 0, errors = 0;
    for (const auto& entry : fs::recursive_directory_iterator(dir)) {
        if (!entry.is_regular_file()) continue;
        const std::string rel = fs::relative(entry.path(), dir).generic_string();
        for (const auto& raw : messages_of(entry.path())) {
            Result<ParsedMessage> r = make_error(Errc::internal, "not run");
            REQUIRE_NOTHROW(r = decode_message(raw));
            ++messages;
            if (!r.ok()) {
                CHECK(r.error().code == Errc::bad_input);
                ++errors;
                continue;
            }
            const std::string where = mlarc::test::unclean_field(*r);
            if (!where.empty()) FAIL(rel << ": invalid UTF-8 or NUL in " << where);
            // The store derives the header text from the raw bytes again.
            if (!same_headers(decode_header_fields(raw), r->headers))
                FAIL(rel << ": decode_header_fields differs from decode_message's headers");
            if (const auto d = without_headers_differs(raw, *r); !d.empty())
                FAIL(rel << ": without header fields, " << d << " differ");
            by_name.emplace(rel, std::move(r).value());
        }
    }
    INFO(messages << " messages, " << errors << " not messages");
    CHECK(messages > 400);
    CHECK(errors < 10); // READMEs, licences

    auto get = [&](const std::string& rel) -> const ParsedMessage& {
        INFO(rel);
        REQUIRE(by_name.count(rel) == 1);
        return by_name.at(rel);
    };
    CHECK(has(get("thunderbird-mailnews/bad-charset.eml").body_text, "Matterhorn1"));
    for (const char* f : {"spamassassin/nice/cjk/gb2312.1", "spamassassin/nice/cjk/big5-base64.1",
                          "spamassassin/nice/cjk/iso-2022-jp.2", "ruby-mail/multi_charset/ks_c_5601-1987.eml",
                          "ruby-mail/multi_charset/japanese_shift_jis.eml", "public-inbox/iso-2202-jp.eml"}) {
        INFO(f);
        CHECK(has_cjk(get(f).body_text));
    }
    CHECK(has(get("spamassassin/nice/cjk/gb2312.1").subject, "台湾"));
    const std::map<std::string, std::string> attachment_names = {
        {"hyperkitty/attachment-1.txt", "puntogil.vcf"},
        {"hyperkitty/attachment-2.txt", "signature.asc"},
        {"hyperkitty/attachment-3.txt", "GeoffreyRoucourt.jpg"},
        {"hyperkitty/attachment-4.txt", "todo-déjeuner.txt"},
        {"hyperkitty/attachment-5.txt", "todo-déjeuner.txt"},
    };
    for (const auto& [file, name] : attachment_names) {
        INFO(file);
        bool found = false;
        for (const auto& a : get(file).attachments) found = found || a.filename == name;
        CHECK(found);
    }
    CHECK(has(get("hyperkitty/attachment-4.txt").attachment_text, "Cuisine: préparer"));
    const auto& bomb = get("ruby-mail/mime_emails/raw_email_encoded_stack_level_too_deep.eml");
    CHECK(has(bomb.body_text, "Nicolas Fouché has accepted your invitation"));
    CHECK(get("ruby-mail/rfc6532/utf8_headers.eml").subject == "Säying Hello");
    CHECK(has(get("cpython-test_email/msg_02.txt").body_text, "[Ppp] testing #5"));
}

TEST_CASE("corpus: linux-mips 2017 decodes completely", "[mime][corpus][mips]") {
    MLARC_SKIP_IF_NO_CORPUS(dir, "linux-mips");
    std::vector<fs::path> files;
    if (std::getenv("MLARC_MIPS_ALL")) {
        for (const auto& e : fs::directory_iterator(dir))
            if (e.path().extension() == ".zst") files.push_back(e.path());
    } else {
        files.push_back(dir / "linux-mips-2017.mbox.zst");
    }
    size_t count = 0, bytes = 0, body = 0;
    Clock::duration total{};
    double cpu = 0, cpu_without = 0;
    for (const auto& file : files) {
        REQUIRE(fs::exists(file));
        const std::string mbox = read_command("zstd -dc '" + file.string() + "' 2>/dev/null");
        if (mbox.empty()) {
            WARN("SKIPPED: cannot decompress " << file << " (is zstd installed?)");
            return;
        }
        const auto messages = mboxrd_messages(mbox);
        if (file.filename() == "linux-mips-2017.mbox.zst") CHECK(messages.size() == 5638);
        for (const auto& raw : messages) {
            const auto t0 = Clock::now();
            const double c0 = thread_cpu_seconds();
            auto r = decode_message(raw);
            cpu += thread_cpu_seconds() - c0;
            total += Clock::now() - t0;
            bytes += raw.size();
            ++count;
            REQUIRE(r.ok());
            body += r->body_text.size();
            const std::string where = mlarc::test::unclean_field(*r);
            if (!where.empty()) FAIL("message " << count << ": invalid UTF-8 or NUL in " << where);
            if (!same_headers(decode_header_fields(raw), r->headers))
                FAIL("message " << count
                                << ": decode_header_fields differs from decode_message's headers");
            // The import's decoding, without header fields: the same otherwise.
            const double c1 = thread_cpu_seconds();
            const std::string d = without_headers_differs(raw, *r);
            cpu_without += thread_cpu_seconds() - c1;
            if (!d.empty())
                FAIL("message " << count << ": without header fields, " << d << " differ");
        }
    }
    const double secs = std::chrono::duration<double>(total).count();
    WARN("linux-mips: decoded " << count << " messages, " << bytes / 1e6 << " MB in " << secs
                                << " s wall, " << cpu << " s CPU (" << bytes / 1e6 / cpu
                                << " MB/s), body text " << body / 1e6
                                << " MB; without header fields " << cpu_without << " s CPU");
}
