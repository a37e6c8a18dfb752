// Names of the MessageFlag bits (mime/message.hpp), for summaries and `show`.
#include "mime/message.hpp"

namespace mlarc {

std::string flag_names(uint32_t flags) {
    static const char* const names[] = {
        "heuristic_split", "bad_content_length", "truncated", "no_date", "bad_date",
        "suspicious_date", "generated_mid", "dup_mid", "header_defect", "bad_encoded_word",
        "raw_8bit_header", "mime_defect", "mime_limit", "charset_fallback", "bad_cte",
        "oversize", "encrypted", "html_only", "no_archive", "bad_offset", "nul_bytes"};
    std::string out;
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); ++i) {
        if (flags & (1u << i)) {
            if (!out.empty()) out += ',';
            out += names[i];
        }
    }
    return out;
}

} // namespace mlarc
