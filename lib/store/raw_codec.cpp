// zstd encoding of stored raw messages and message text (see raw_codec.hpp).
#include "store/raw_codec.hpp"

#include "mbox/reader.hpp"
#include "mime/decode.hpp"

#include <zstd.h>

#include <memory>

namespace mlarc {

namespace {

/// zstd level 1 of `bytes` into `out` when the result is smaller. The context
/// and the output buffer are kept per thread (the buffer only grows): a fresh
/// ZSTD_compressBound() buffer per message cost an allocation, a memset and
/// the page faults of touching it, more than a third of the compression time.
bool compress_level1(std::string_view bytes, std::string& out) {
    struct FreeCCtx {
        void operator()(ZSTD_CCtx* c) const { ZSTD_freeCCtx(c); }
    };
    struct Scratch {
        std::unique_ptr<ZSTD_CCtx, FreeCCtx> ctx{ZSTD_createCCtx()};
        std::unique_ptr<char[]> buf;
        size_t cap = 0;
    };
    // Freed when the thread ends.
    thread_local Scratch scratch;
    if (!scratch.ctx) return false;
    const size_t bound = ZSTD_compressBound(bytes.size());
    if (bound > scratch.cap) {
        scratch.buf.reset(new char[bound]); // not zeroed
        scratch.cap = bound;
    }
    const size_t n = ZSTD_compressCCtx(scratch.ctx.get(), scratch.buf.get(), scratch.cap,
                                       bytes.data(), bytes.size(), 1);
    if (ZSTD_isError(n) || n >= bytes.size()) return false;
    out.assign(scratch.buf.get(), n);
    // A huge message must not pin its buffer for the rest of the import.
    if (scratch.cap > (8u << 20)) {
        scratch.buf.reset();
        scratch.cap = 0;
    }
    return true;
}

} // namespace

EncodedRaw encode_raw(std::string_view raw) {
    EncodedRaw out;
    if (raw.size() >= 256 && compress_level1(raw, out.bytes)) {
        out.codec = RawCodec::zstd;
        return out;
    }
    out.bytes.assign(raw);
    return out;
}

Result<std::string> decode_raw(int codec, std::string_view bytes, size_t raw_size) {
    if (codec == static_cast<int>(RawCodec::plain)) return std::string(bytes);
    if (codec != static_cast<int>(RawCodec::zstd))
        return make_error(Errc::bad_input, "unknown raw codec " + std::to_string(codec));
    std::string out(raw_size, '\0');
    size_t n = ZSTD_decompress(out.data(), out.size(), bytes.data(), bytes.size());
    if (ZSTD_isError(n) || n != raw_size)
        return make_error(Errc::bad_input, "stored raw message is damaged (zstd)",
                          "run `mlarc check` and re-import the source file");
    return out;
}

StoredText encode_text(std::string_view text) {
    StoredText out;
    if (text.size() >= 128 && compress_level1(text, out.bytes)) {
        out.compressed = true;
        return out;
    }
    out.bytes.assign(text);
    return out;
}

Result<std::string> derive_text(DerivedPart part, int codec, std::string_view raw, size_t raw_size,
                                int escaping) {
    auto bytes = decode_raw(codec, raw, raw_size);
    if (!bytes.ok()) return bytes.error();
    if (escaping < 0 || escaping > static_cast<int>(Escaping::mboxrd))
        return make_error(Errc::bad_input, "unknown raw escaping " + std::to_string(escaping));
    const auto esc = static_cast<Escaping>(escaping);
    // The header decoder may look past the first empty line (a header folded
    // across it), so it gets the whole message. The body section is cut
    // before un-escaping, which works line by line and never makes or removes
    // an empty line: one copy of the body instead of two of the message.
    if (part == DerivedPart::headers)
        return headers_text(decode_header_fields(needs_unescape(*bytes, esc) ? unescape(*bytes, esc)
                                                                             : std::move(*bytes)));
    return unescape(raw_body_section(*bytes), esc);
}

bool zstd_frame_content_size(std::string_view frame, size_t& size) {
    const unsigned long long n = ZSTD_getFrameContentSize(frame.data(), frame.size());
    if (n == ZSTD_CONTENTSIZE_UNKNOWN || n == ZSTD_CONTENTSIZE_ERROR) return false;
    if (n > (1ull << 31)) return false; // more than any stored text can be
    size = static_cast<size_t>(n);
    return true;
}

bool zstd_decompress_into(std::string_view frame, char* out, size_t size) {
    struct FreeDCtx {
        void operator()(ZSTD_DCtx* c) const { ZSTD_freeDCtx(c); }
    };
    thread_local std::unique_ptr<ZSTD_DCtx, FreeDCtx> ctx(ZSTD_createDCtx());
    if (!ctx) return false;
    const size_t n = ZSTD_decompressDCtx(ctx.get(), out, size, frame.data(), frame.size());
    return !ZSTD_isError(n) && n == size;
}

} // namespace mlarc
