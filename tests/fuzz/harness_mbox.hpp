// Fuzz harness for mbox framing (lib/mbox): arbitrary bytes are an mbox file.
//
// The framer is driven from memory through its own ByteSource interface
// (mbox/framer.hpp and mbox/byte_source.hpp are private to the module; the
// harness includes them on purpose), once per framing configuration that
// open_source() can build: auto/mboxrd, mboxo, mboxcl, mboxcl2 with a small
// max_message_size, a Maildir message file, and auto with a small
// max_message_size. Each configuration is framed with whole reads, as from a
// regular file; one of them (picked by the input length) also with short
// reads whose sizes come from the input bytes, as a decompressor can return
// them, and resumed at its second message.
//
// Invariants checked (reader.hpp is the contract):
//  - no error from a source that cannot fail; next() ends;
//  - offsets: offset < end_offset <= input size, messages in order, and the
//    bytes between messages are only blank lines and From_ lines with nothing
//    after them (no message text is silently lost);
//  - raw is the input bytes right after the From_ line (or at the message
//    start), at most max_message_size of them; from_line is that line minus
//    its CR; only framing flags are set;
//  - short reads frame exactly like whole reads (no buffer-boundary effects);
//  - resuming at the offset of the second message gives the same messages
//    from there on (FAILURE-MODES 43), for plain and compressed input;
//  - unescape(escape_mboxrd(x), mboxrd) == x for every unescaped message.
// The input then goes through open_source() on an in-memory file (memfd):
// plain input must frame as in memory; input starting with a gzip, xz or zstd
// magic exercises the decoders and must still obey the offset invariants.
#pragma once

#include "fuzz/harness_common.hpp"
#include "mbox/byte_source.hpp"
#include "mbox/framer.hpp"
#include "mbox/reader.hpp"
#include "mime/message.hpp"

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <memory>
#include <string>
#include <sys/mman.h>
#include <unistd.h>
#include <vector>

namespace mlarc::fuzz {
namespace mbox_harness {

using mbox_detail::ByteSource;
using mbox_detail::Framer;
using mbox_detail::FramerConfig;

/// The input as an uncompressed stream. With short reads, each read returns
/// 1 to 4093 bytes depending on the byte at the read position.
class MemorySource final : public ByteSource {
  public:
    MemorySource(std::string_view data, bool short_reads) : data_(data), short_(short_reads) {}
    Result<size_t> read(char* dst, size_t cap) override {
        size_t n = std::min(cap, data_.size() - pos_);
        if (short_ && n > 0)
            n = std::min<size_t>(n, 1 + (static_cast<unsigned char>(data_[pos_]) * 61u) % 4093u);
        if (n > 0) std::memcpy(dst, data_.data() + pos_, n);
        pos_ += n;
        return n;
    }
    uint64_t file_bytes_done() const override { return pos_; }
    uint64_t file_size() const override { return data_.size(); }
    std::string_view kind() const override { return "memory"; }

  private:
    std::string_view data_;
    bool short_;
    size_t pos_ = 0;
};

constexpr uint32_t kFramingFlags =
    flag_heuristic_split | flag_bad_content_length | flag_truncated | flag_oversize;

/// Everything the framer delivered for one input.
struct Framing {
    bool started = false; // start() succeeded
    std::vector<RawMessage> messages;
};

/// Frames `input` with `cfg`, starting at `start_offset`.
inline Framing frame(std::string_view input, const FramerConfig& cfg, bool short_reads,
                     uint64_t start_offset, Verdict& v) {
    Framing out;
    Framer f(std::make_unique<MemorySource>(input, short_reads), cfg);
    if (auto st = f.start(start_offset); !st) {
        v.expect(st.error().code == Errc::bad_input, "start() failed with a code other than bad_input");
        return out;
    }
    out.started = true;
    // Every message but an oversize one holds at least one byte of its own.
    for (size_t guard = 0; guard <= input.size() + 1; ++guard) {
        auto r = f.next();
        if (!r) {
            v.fail("next() returned an error from a source that cannot fail: " + r.error().what());
            return out;
        }
        if (!*r) return out;
        out.messages.push_back(std::move(**r));
    }
    v.fail("next() delivered more messages than the input has bytes");
    return out;
}

/// Blank lines and From_ lines only (what may lie between two messages).
inline bool is_gap(std::string_view gap) {
    while (!gap.empty()) {
        const size_t nl = gap.find('\n');
        const std::string_view line = gap.substr(0, nl);
        const bool blank = line.find_first_not_of(" \t\r") == std::string_view::npos;
        if (!blank && line.substr(0, 5) != "From ") return false;
        if (nl == std::string_view::npos) break;
        gap.remove_prefix(nl + 1);
    }
    return true;
}

/// The offset/content invariants of one framing of a plain input.
inline void check_plain(std::string_view input, const FramerConfig& cfg, const Framing& fr,
                        uint64_t start_offset, Verdict& v) {
    uint64_t prev_end = start_offset;
    for (const RawMessage& m : fr.messages) {
        v.expect(m.offset < m.end_offset, "message with offset >= end_offset");
        v.expect(m.end_offset <= input.size(), "end_offset beyond the end of the input");
        v.expect(m.offset >= prev_end, "message starts before the end of the previous one");
        if (!v.ok()) return;
        if (!is_gap(input.substr(prev_end, m.offset - prev_end)))
            v.fail("bytes between messages that are not blank or From_ lines were dropped, at " +
                   std::to_string(prev_end) + ": \"" +
                   excerpt(input.substr(prev_end, m.offset - prev_end)) + "\"");
        prev_end = m.end_offset;
        v.expect(m.raw.size() <= cfg.max_message_size, "raw longer than max_message_size");
        v.expect((m.flags & ~kFramingFlags) == 0, "a non-framing flag set by the framer");
        v.expect(m.raw.size() == cfg.max_message_size || !(m.flags & flag_oversize),
                 "flag_oversize on a message shorter than max_message_size");
        uint64_t raw_start = m.offset;
        if (!m.from_line.empty()) {
            v.expect(m.from_line.substr(0, 5) == "From ", "from_line does not start with \"From \"");
            const size_t nl = input.find('\n', m.offset);
            std::string_view line =
                input.substr(m.offset, nl == std::string_view::npos ? nl : nl - m.offset);
            if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
            v.expect(line == m.from_line, "from_line differs from the line at offset");
            raw_start = nl == std::string_view::npos ? input.size() : nl + 1;
        } else {
            v.expect(m.escaping == Escaping::none, "a message without From_ line is escaped");
        }
        v.expect(raw_start + m.raw.size() <= m.end_offset, "raw extends past end_offset");
        if (!v.ok()) return;
        if (input.substr(raw_start, m.raw.size()) != m.raw)
            v.fail("raw differs from the input bytes at offset " + std::to_string(raw_start));
        const std::string text = unescape(m.raw, m.escaping);
        v.expect(text.size() <= m.raw.size(), "unescape() made the text longer");
        v.expect(unescape(escape_mboxrd(text), Escaping::mboxrd) == text,
                 "unescape(escape_mboxrd(x), mboxrd) != x");
    }
    if (fr.started && v.ok() && !is_gap(input.substr(prev_end)))
        v.fail("input after the last message was dropped: \"" + excerpt(input.substr(prev_end)) + "\"");
}

/// Same messages (the first one's heuristic_split flag aside when resuming).
inline bool same_messages(const std::vector<RawMessage>& a, size_t a_from,
                          const std::vector<RawMessage>& b, bool resumed) {
    if (a.size() - a_from != b.size()) return false;
    for (size_t i = 0; i < b.size(); ++i) {
        const RawMessage& x = a[a_from + i];
        const RawMessage& y = b[i];
        const uint32_t mask = resumed && i == 0 ? ~uint32_t{flag_heuristic_split} : ~uint32_t{0};
        if (x.raw != y.raw || x.from_line != y.from_line || x.offset != y.offset ||
            x.end_offset != y.end_offset || x.escaping != y.escaping ||
            (x.flags & mask) != (y.flags & mask))
            return false;
    }
    return true;
}

/// The framing configurations open_source() builds (plus small message caps).
inline std::vector<FramerConfig> configs(size_t input_size) {
    const size_t small = 1 + input_size / 4;
    std::vector<FramerConfig> out(6);
    out[0].escaping = Escaping::mboxrd; // auto, mboxrd
    out[1].escaping = Escaping::mboxo;
    out[2].escaping = Escaping::mboxo; // mboxcl
    out[2].use_content_length = true;
    out[3].escaping = Escaping::none; // mboxcl2
    out[3].use_content_length = true;
    out[3].max_message_size = small;
    out[4].input = FramerConfig::Input::message_file; // a Maildir file
    out[4].escaping = Escaping::none;
    out[5].escaping = Escaping::mboxrd;
    out[5].max_message_size = small;
    for (auto& c : out)
        c.name = "fuzz-input";
    return out;
}

/// An in-memory file with a path open_source() can open (memfd; a temp file
/// where memfd_create is not allowed). Removed on destruction.
class MemoryFile {
  public:
    explicit MemoryFile(std::string_view data) {
        fd_ = ::memfd_create("mlarc-fuzz", MFD_CLOEXEC);
        if (fd_ >= 0) {
            path_ = "/proc/self/fd/" + std::to_string(fd_);
        } else {
            std::string tmpl = (std::filesystem::temp_directory_path() / "mlarc-fuzz-XXXXXX").string();
            fd_ = ::mkstemp(tmpl.data());
            if (fd_ < 0) return;
            path_ = tmpl;
            unlink_ = true;
        }
        for (size_t done = 0; done < data.size();) {
            const ssize_t n = ::write(fd_, data.data() + done, data.size() - done);
            if (n <= 0) {
                path_.clear();
                return;
            }
            done += static_cast<size_t>(n);
        }
    }
    ~MemoryFile() {
        if (unlink_) ::unlink(path_.c_str());
        if (fd_ >= 0) ::close(fd_);
    }
    MemoryFile(const MemoryFile&) = delete;
    MemoryFile& operator=(const MemoryFile&) = delete;
    /// Empty when the file could not be made.
    [[nodiscard]] const std::string& path() const { return path_; }

  private:
    int fd_ = -1;
    std::string path_;
    bool unlink_ = false;
};

/// Messages of open_source(path) with `format`, with the invariants any
/// stream (compressed or not) must keep.
inline std::vector<RawMessage> read_file(const std::string& path, MboxFormat format,
                                         uint64_t start_offset, bool& opened, Verdict& v) {
    std::vector<RawMessage> out;
    OpenOptions opts;
    opts.format = format;
    opts.start_offset = start_offset;
    auto src = open_source(path, opts);
    opened = static_cast<bool>(src);
    if (!src) {
        v.expect(src.error().code == Errc::bad_input,
                 "open_source() failed with a code other than bad_input");
        return out;
    }
    uint64_t prev_end = start_offset;
    for (size_t guard = 0; guard < (size_t{1} << 20); ++guard) {
        auto r = (*src)->next();
        if (!r) {
            // Corrupt compressed data: bad_input once, then the end.
            v.expect(r.error().code == Errc::bad_input, "next() failed with a code other than bad_input");
            auto after = (*src)->next();
            v.expect(after && !*after, "next() goes on after an error");
            return out;
        }
        if (!*r) return out;
        const RawMessage& m = **r;
        v.expect(m.offset < m.end_offset && m.offset >= prev_end, "offsets out of order");
        v.expect(m.raw.size() <= opts.max_message_size, "raw longer than max_message_size");
        v.expect((m.flags & ~kFramingFlags) == 0, "a non-framing flag set by the framer");
        v.expect((*src)->bytes_done() <= (*src)->bytes_total(), "bytes_done() > bytes_total()");
        if (!v.ok()) return out;
        prev_end = m.end_offset;
        out.push_back(std::move(**r));
    }
    v.fail("open_source(): next() does not end");
    return out;
}

inline bool compressed_magic(std::string_view s) {
    using std::string_view_literals::operator""sv;
    return s.substr(0, 2) == "\x1f\x8b"sv || s.substr(0, 6) == "\xfd\x37\x7a\x58\x5a\x00"sv ||
           s.substr(0, 4) == "\x28\xb5\x2f\xfd"sv;
}

} // namespace mbox_harness

inline Verdict run_mbox(std::string_view input) {
    using namespace mbox_harness;
    Verdict v;
    const std::vector<FramerConfig> cfgs = configs(input.size());
    std::vector<Framing> whole;
    // Every framer costs a buffer allocation of 64-192 KiB (an mmap under
    // ASan), which dominates the run time: short reads and resuming are tried
    // on one configuration per input, chosen by the input length.
    const size_t chosen = input.size() % cfgs.size();
    for (const FramerConfig& cfg : cfgs) {
        const size_t index = static_cast<size_t>(&cfg - cfgs.data());
        Framing a = frame(input, cfg, false, 0, v);
        check_plain(input, cfg, a, 0, v);
        if (index == chosen) {
            Framing b = frame(input, cfg, true, 0, v);
            if (v.ok() && (a.started != b.started || !same_messages(a.messages, 0, b.messages, false)))
                v.fail("short reads frame differently from whole reads (format " +
                       std::to_string(index) + ")");
        }
        // Resume at the second message (mbox formats only).
        if (v.ok() && index == chosen && cfg.input == FramerConfig::Input::detect &&
            a.messages.size() >= 2 && !a.messages[1].from_line.empty()) {
            const uint64_t at = a.messages[1].offset;
            Framing r = frame(input, cfg, true, at, v);
            check_plain(input, cfg, r, at, v);
            if (v.ok() && (!r.started || !same_messages(a.messages, 1, r.messages, true)))
                v.fail("resuming at offset " + std::to_string(at) + " frames differently (format " +
                       std::to_string(index) + ")");
        }
        whole.push_back(std::move(a));
        if (!v.ok()) return v;
    }

    // Through a file: the decompression layer and reader.cpp.
    MemoryFile file(input);
    if (file.path().empty()) return v;
    bool opened = false;
    auto msgs = read_file(file.path(), MboxFormat::automatic, 0, opened, v);
    if (!compressed_magic(input)) {
        if (v.ok() && (opened != whole[0].started || !same_messages(whole[0].messages, 0, msgs, false)))
            v.fail("open_source() frames a plain file differently from memory");
        return v;
    }
    if (v.ok() && msgs.size() >= 2 && !msgs[1].from_line.empty()) {
        auto resumed = read_file(file.path(), MboxFormat::automatic, msgs[1].offset, opened, v);
        if (v.ok() && (!opened || !same_messages(msgs, 1, resumed, true)))
            v.fail("resuming a compressed stream frames differently");
    }
    read_file(file.path(), MboxFormat::mboxcl2, 0, opened, v);
    return v;
}

} // namespace mlarc::fuzz
