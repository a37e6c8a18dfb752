// The decompression layer of the mbox module (see byte_source.hpp).
//
// A File owns the descriptor and reads the file in chunks. PlainSource hands
// the bytes through (and seeks to skip). DecoderSource holds the compressed
// input buffer and the read loop shared by the three decoders; GzipDecoder,
// XzDecoder and ZstdDecoder only wrap one library call each and say whether
// the stream ended. A corrupt stream becomes Errc::bad_input naming the
// compressed byte offset; a stream cut short ends with a "truncated" bad_input
// error, after every byte that could be decoded has been returned.
#include "mbox/byte_source.hpp"

#include <lzma.h>
#include <zlib.h>
#include <zstd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <optional>
#include <string>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace mlarc::mbox_detail {
namespace {

Error errno_error(int err, Errc code, const std::filesystem::path& path, std::string_view what) {
    return make_error(code, path.string() + ": " + std::string(what) + ": " + std::strerror(err));
}

/// An open regular file (RAII on the descriptor).
class File {
  public:
    static Result<File> open(const std::filesystem::path& path) {
        // O_NONBLOCK so that opening a FIFO cannot hang; cleared below for
        // regular files (where it has no effect anyway).
        int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
        if (fd < 0) {
            int err = errno;
            if (err == ENOENT || err == ENOTDIR)
                return make_error(Errc::not_found, path.string() + ": no such file");
            return errno_error(err, Errc::unreadable, path, "cannot open");
        }
        File f(fd, path);
        struct stat st {};
        if (::fstat(fd, &st) != 0) return errno_error(errno, Errc::io, path, "cannot stat");
        if (S_ISDIR(st.st_mode))
            return make_error(Errc::bad_input, path.string() + ": is a directory, not a Maildir");
        if (!S_ISREG(st.st_mode))
            return make_error(Errc::bad_input, path.string() + ": not a regular file");
        ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
        f.size_ = static_cast<uint64_t>(st.st_size);
        return f;
    }
    File(File&& o) noexcept
        : fd_(std::exchange(o.fd_, -1)), path_(std::move(o.path_)), size_(o.size_), pos_(o.pos_) {}
    File& operator=(File&&) = delete;
    File(const File&) = delete;
    File& operator=(const File&) = delete;
    ~File() {
        if (fd_ >= 0) ::close(fd_);
    }

    /// Reads up to `cap` bytes; 0 at end of file.
    Result<size_t> read(char* dst, size_t cap) {
        for (;;) {
            ssize_t n = ::read(fd_, dst, cap);
            if (n >= 0) {
                pos_ += static_cast<uint64_t>(n);
                return static_cast<size_t>(n);
            }
            if (errno != EINTR) return errno_error(errno, Errc::io, path_, "read error");
        }
    }
    /// Moves forward by up to `n` bytes, stopping at the end of the file.
    Result<uint64_t> skip(uint64_t n) {
        struct stat st {};
        uint64_t size = ::fstat(fd_, &st) == 0 ? static_cast<uint64_t>(st.st_size) : size_;
        uint64_t target = pos_ + std::min(n, size > pos_ ? size - pos_ : 0);
        if (::lseek(fd_, static_cast<off_t>(target), SEEK_SET) < 0)
            return errno_error(errno, Errc::io, path_, "seek error");
        uint64_t skipped = target - pos_;
        pos_ = target;
        return skipped;
    }
    uint64_t pos() const { return pos_; }
    uint64_t size() const { return size_; }
    const std::filesystem::path& path() const { return path_; }

  private:
    File(int fd, std::filesystem::path path) : fd_(fd), path_(std::move(path)) {}
    int fd_ = -1;
    std::filesystem::path path_;
    uint64_t size_ = 0;
    uint64_t pos_ = 0;
};

/// Uncompressed file. `head` holds the bytes already read to sniff the magic.
class PlainSource final : public ByteSource {
  public:
    PlainSource(File file, std::vector<char> head)
        : file_(std::move(file)), head_(std::move(head)) {}

    Result<size_t> read(char* dst, size_t cap) override {
        if (head_pos_ < head_.size()) {
            size_t n = std::min(cap, head_.size() - head_pos_);
            std::memcpy(dst, head_.data() + head_pos_, n);
            head_pos_ += n;
            return n;
        }
        return file_.read(dst, cap);
    }
    Result<uint64_t> skip(uint64_t n) override {
        uint64_t from_head = std::min<uint64_t>(n, head_.size() - head_pos_);
        head_pos_ += static_cast<size_t>(from_head);
        auto r = file_.skip(n - from_head);
        if (!r) return r.error();
        return from_head + *r;
    }
    uint64_t file_bytes_done() const override { return file_.pos() - (head_.size() - head_pos_); }
    uint64_t file_size() const override { return file_.size(); }
    std::string_view kind() const override { return "plain"; }

  private:
    File file_;
    std::vector<char> head_;
    size_t head_pos_ = 0;
};

/// Input and output windows of one decoder call; the decoder advances them.
struct Window {
    const uint8_t* in;
    size_t in_avail;
    uint8_t* out;
    size_t out_avail;
};

enum class Step { progress, end };

/// Shared read loop of the compressed sources: keeps the compressed input
/// buffer filled and turns "no progress at end of file" into a truncation error.
class DecoderSource : public ByteSource {
  public:
    DecoderSource(File file, std::vector<char> head)
        : file_(std::move(file)), in_(std::move(head)) {
        in_len_ = in_.size();
        in_.resize(std::max(kChunkSize, in_len_));
    }

    Result<size_t> read(char* dst, size_t cap) override {
        if (deferred_) return *deferred_;
        size_t produced = 0;
        while (produced == 0 && cap > 0 && !finished_) {
            if (in_len_ - in_pos_ < kMinInput && !file_eof_) {
                if (auto r = refill(); !r) return r.error();
            }
            bool at_eof = file_eof_ && in_pos_ == in_len_;
            Window w{reinterpret_cast<const uint8_t*>(in_.data()) + in_pos_, in_len_ - in_pos_,
                     reinterpret_cast<uint8_t*>(dst) + produced, cap - produced};
            size_t in_before = w.in_avail;
            auto step = decode(w, at_eof);
            size_t consumed = in_before - w.in_avail;
            size_t made = (cap - produced) - w.out_avail;
            in_pos_ += consumed;
            produced += made;
            if (!step) {
                // Hand out what was decoded before the damage first.
                if (produced == 0) return step.error();
                deferred_ = step.error();
                return produced;
            }
            if (*step == Step::end) {
                finished_ = true;
            } else if (consumed == 0 && made == 0) {
                if (at_eof) return truncated();
                // The decoder wants more input than is buffered: read more.
                auto added = refill();
                if (!added) return added.error();
                if (!*added) return file_eof_ ? truncated() : corrupt("decoder made no progress");
            }
        }
        return produced;
    }
    uint64_t file_bytes_done() const override { return file_.pos() - (in_len_ - in_pos_); }
    uint64_t file_size() const override { return file_.size(); }

  protected:
    /// One library call. `at_eof`: no more input will come after `w.in`.
    virtual Result<Step> decode(Window& w, bool at_eof) = 0;

    Error corrupt(std::string_view detail) const {
        return make_error(Errc::bad_input, "corrupt " + std::string(kind()) + " stream at byte " +
                                               std::to_string(file_bytes_done()) + " of " +
                                               file_.path().string() + ": " + std::string(detail));
    }
    Error truncated() const {
        return make_error(Errc::bad_input,
                          "truncated " + std::string(kind()) + " stream: " + file_.path().string() +
                              " ends at byte " + std::to_string(file_.size()) + " inside a frame",
                          "the file may be an incomplete download");
    }

  private:
    static constexpr size_t kMinInput = 16;

    /// Moves the unread input to the front and reads more. Returns whether
    /// bytes were added.
    Result<bool> refill() {
        if (in_pos_ > 0) {
            std::memmove(in_.data(), in_.data() + in_pos_, in_len_ - in_pos_);
            in_len_ -= in_pos_;
            in_pos_ = 0;
        }
        if (in_len_ == in_.size() || file_eof_) return false;
        auto n = file_.read(in_.data() + in_len_, in_.size() - in_len_);
        if (!n) return n.error();
        if (*n == 0) file_eof_ = true;
        in_len_ += *n;
        return *n > 0;
    }

    File file_;
    std::vector<char> in_;
    size_t in_pos_ = 0;
    size_t in_len_ = 0;
    bool file_eof_ = false;
    bool finished_ = false;
    std::optional<Error> deferred_; // an error met after some output was produced
};

class GzipDecoder final : public DecoderSource {
  public:
    GzipDecoder(File file, std::vector<char> head)
        : DecoderSource(std::move(file), std::move(head)) {
        ok_ = inflateInit2(&z_, 16 + MAX_WBITS) == Z_OK;
    }
    ~GzipDecoder() override {
        if (ok_) inflateEnd(&z_);
    }
    GzipDecoder(const GzipDecoder&) = delete;
    GzipDecoder& operator=(const GzipDecoder&) = delete;
    std::string_view kind() const override { return "gzip"; }

  protected:
    Result<Step> decode(Window& w, bool at_eof) override {
        if (!ok_) return make_error(Errc::internal, "zlib: inflateInit2 failed");
        if (!in_member_) {
            // Between members: another member follows only if the gzip magic does;
            // anything else (often zero padding) is trailing garbage, ignored
            // as gzip(1) does.
            if (at_eof || w.in_avail < 2 || w.in[0] != 0x1f || w.in[1] != 0x8b) return Step::end;
            inflateReset(&z_);
            in_member_ = true;
        }
        z_.next_in = const_cast<Bytef*>(w.in);
        z_.avail_in = static_cast<uInt>(std::min<size_t>(w.in_avail, 1u << 30));
        z_.next_out = w.out;
        z_.avail_out = static_cast<uInt>(std::min<size_t>(w.out_avail, 1u << 30));
        uInt in_before = z_.avail_in, out_before = z_.avail_out;
        int rc = inflate(&z_, Z_NO_FLUSH);
        w.in += in_before - z_.avail_in;
        w.in_avail -= in_before - z_.avail_in;
        w.out += out_before - z_.avail_out;
        w.out_avail -= out_before - z_.avail_out;
        if (rc == Z_STREAM_END) {
            in_member_ = false;
            return Step::progress;
        }
        if (rc == Z_OK || rc == Z_BUF_ERROR) return Step::progress;
        if (rc == Z_MEM_ERROR) return make_error(Errc::internal, "zlib: out of memory");
        return corrupt(z_.msg ? z_.msg : "inflate error " + std::to_string(rc));
    }

  private:
    z_stream z_{};
    bool ok_ = false;
    bool in_member_ = false;
};

class XzDecoder final : public DecoderSource {
  public:
    XzDecoder(File file, std::vector<char> head) : DecoderSource(std::move(file), std::move(head)) {
        ok_ = lzma_stream_decoder(&s_, UINT64_MAX, LZMA_CONCATENATED) == LZMA_OK;
    }
    ~XzDecoder() override { lzma_end(&s_); }
    XzDecoder(const XzDecoder&) = delete;
    XzDecoder& operator=(const XzDecoder&) = delete;
    std::string_view kind() const override { return "xz"; }

  protected:
    Result<Step> decode(Window& w, bool at_eof) override {
        if (!ok_) return make_error(Errc::internal, "liblzma: lzma_stream_decoder failed");
        s_.next_in = w.in;
        s_.avail_in = w.in_avail;
        s_.next_out = w.out;
        s_.avail_out = w.out_avail;
        lzma_ret rc = lzma_code(&s_, at_eof ? LZMA_FINISH : LZMA_RUN);
        w.in = s_.next_in;
        w.in_avail = s_.avail_in;
        w.out = s_.next_out;
        w.out_avail = s_.avail_out;
        switch (rc) {
        case LZMA_OK:
        case LZMA_BUF_ERROR:
            return Step::progress;
        case LZMA_STREAM_END:
            return Step::end;
        case LZMA_MEM_ERROR:
        case LZMA_MEMLIMIT_ERROR:
            return make_error(Errc::internal, "liblzma: out of memory");
        case LZMA_FORMAT_ERROR:
            return corrupt("not in .xz format");
        case LZMA_OPTIONS_ERROR:
            return corrupt("unsupported options");
        case LZMA_DATA_ERROR:
            return corrupt("data is corrupt");
        default:
            return corrupt("lzma error " + std::to_string(static_cast<int>(rc)));
        }
    }

  private:
    lzma_stream s_ = LZMA_STREAM_INIT;
    bool ok_ = false;
};

class ZstdDecoder final : public DecoderSource {
  public:
    ZstdDecoder(File file, std::vector<char> head)
        : DecoderSource(std::move(file), std::move(head)), d_(ZSTD_createDStream()) {}
    ~ZstdDecoder() override { ZSTD_freeDStream(d_); }
    ZstdDecoder(const ZstdDecoder&) = delete;
    ZstdDecoder& operator=(const ZstdDecoder&) = delete;
    std::string_view kind() const override { return "zstd"; }

  protected:
    Result<Step> decode(Window& w, bool at_eof) override {
        if (!d_) return make_error(Errc::internal, "zstd: cannot create a decompression stream");
        // 0 from ZSTD_decompressStream means a frame was fully decoded and
        // flushed; a frame that follows starts with the next call.
        if (at_eof && frame_done_) return Step::end;
        ZSTD_inBuffer in{w.in, w.in_avail, 0};
        ZSTD_outBuffer out{w.out, w.out_avail, 0};
        size_t rc = ZSTD_decompressStream(d_, &out, &in);
        w.in += in.pos;
        w.in_avail -= in.pos;
        w.out += out.pos;
        w.out_avail -= out.pos;
        if (ZSTD_isError(rc)) return corrupt(ZSTD_getErrorName(rc));
        frame_done_ = rc == 0;
        return Step::progress;
    }

  private:
    ZSTD_DStream* d_;
    bool frame_done_ = true;
};

bool has_magic(const std::vector<char>& head, std::string_view magic) {
    return head.size() >= magic.size() && std::memcmp(head.data(), magic.data(), magic.size()) == 0;
}

} // namespace

Result<uint64_t> ByteSource::skip(uint64_t n) {
    std::vector<char> scratch(std::min<uint64_t>(n, kChunkSize));
    uint64_t done = 0;
    while (done < n) {
        auto r =
            read(scratch.data(), static_cast<size_t>(std::min<uint64_t>(n - done, scratch.size())));
        if (!r) return r.error();
        if (*r == 0) break;
        done += *r;
    }
    return done;
}

Result<std::unique_ptr<ByteSource>> open_byte_source(const std::filesystem::path& path) {
    auto file = File::open(path);
    if (!file) return file.error();
    // Sniff the magic from a first read of up to 4 KiB (the decoders' input
    // buffers start with these bytes).
    std::vector<char> head(4096);
    size_t len = 0;
    while (len < head.size()) {
        auto n = file->read(head.data() + len, head.size() - len);
        if (!n) return n.error();
        if (*n == 0) break;
        len += *n;
    }
    head.resize(len);
    using std::string_view_literals::operator""sv;
    if (has_magic(head, "\x1f\x8b"sv))
        return std::unique_ptr<ByteSource>(new GzipDecoder(std::move(*file), std::move(head)));
    if (has_magic(head, "\xfd\x37\x7a\x58\x5a\x00"sv))
        return std::unique_ptr<ByteSource>(new XzDecoder(std::move(*file), std::move(head)));
    if (has_magic(head, "\x28\xb5\x2f\xfd"sv))
        return std::unique_ptr<ByteSource>(new ZstdDecoder(std::move(*file), std::move(head)));
    return std::unique_ptr<ByteSource>(new PlainSource(std::move(*file), std::move(head)));
}

} // namespace mlarc::mbox_detail
