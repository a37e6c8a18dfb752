// zstd encoding of stored raw messages (see raw_codec.hpp).
#include "store/raw_codec.hpp"

#include <zstd.h>

#include <memory>

namespace mlarc {

EncodedRaw encode_raw(std::string_view raw) {
    EncodedRaw out;
    if (raw.size() < 256) {
        out.bytes.assign(raw);
        return out;
    }
    // One context per thread, freed when the thread ends (import workers are
    // started per batch: a bare pointer here leaked one context per worker).
    struct FreeCCtx {
        void operator()(ZSTD_CCtx* c) const { ZSTD_freeCCtx(c); }
    };
    thread_local std::unique_ptr<ZSTD_CCtx, FreeCCtx> ctx(ZSTD_createCCtx());
    ZSTD_CCtx* cctx = ctx.get();
    if (!cctx) {
        out.bytes.assign(raw);
        return out;
    }
    std::string buf(ZSTD_compressBound(raw.size()), '\0');
    size_t n = ZSTD_compressCCtx(cctx, buf.data(), buf.size(), raw.data(), raw.size(), 1);
    if (ZSTD_isError(n) || n >= raw.size()) {
        out.bytes.assign(raw);
        return out;
    }
    buf.resize(n);
    out.codec = RawCodec::zstd;
    out.bytes = std::move(buf);
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

} // namespace mlarc
