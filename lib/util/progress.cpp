// Progress line on a terminal (see progress.hpp).
#include "util/progress.hpp"

#include "util/strings.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <iostream>
#include <utility>

namespace mlarc {

namespace {
constexpr auto kRedrawInterval = std::chrono::milliseconds(100);
}

Progress::Progress(std::string label, uint64_t total_bytes, bool enabled)
    : Progress(std::move(label), total_bytes, enabled, &std::cerr, isatty(STDERR_FILENO) == 1) {}

Progress::Progress(std::string label, uint64_t total_bytes, bool enabled, std::ostream* out,
                   bool out_is_terminal)
    : label_(std::move(label)), total_bytes_(total_bytes),
      out_(enabled && out_is_terminal ? out : nullptr), start_(Clock::now()), last_draw_(start_) {}

Progress::~Progress() {
    finish();
}

std::string Progress::format_line(const std::string& label, uint64_t bytes_done,
                                  uint64_t total_bytes, uint64_t items_done,
                                  double elapsed_seconds) {
    const auto rate = elapsed_seconds > 0
                          ? static_cast<uint64_t>(static_cast<double>(items_done) / elapsed_seconds)
                          : uint64_t{0};
    std::string line = label + "  " + format_count(items_done) + " msgs  " + format_count(rate) +
                       " msg/s  " + human_bytes(bytes_done);
    if (total_bytes > 0) {
        const uint64_t done = std::min(bytes_done, total_bytes);
        // done * 100 could overflow for huge totals: divide first when needed.
        const uint64_t percent =
            total_bytes > UINT64_MAX / 100 ? done / (total_bytes / 100) : done * 100 / total_bytes;
        line += " / " + human_bytes(total_bytes) + "  " + std::to_string(percent) + "%";
    }
    return line;
}

void Progress::update(uint64_t bytes_done, uint64_t items_done) {
    if (out_ == nullptr) return;
    const auto now = Clock::now();
    if (now - last_draw_ < kRedrawInterval) return;
    last_draw_ = now;
    const double elapsed = std::chrono::duration<double>(now - start_).count();
    std::string line = format_line(label_, bytes_done, total_bytes_, items_done, elapsed);
    const size_t width = line.size();
    if (width < drawn_width_) line.append(drawn_width_ - width, ' '); // cover the old tail
    *out_ << '\r' << line << std::flush;
    drawn_width_ = width;
}

void Progress::finish() {
    if (out_ == nullptr) return;
    if (drawn_width_ > 0) *out_ << '\r' << std::string(drawn_width_, ' ') << '\r' << std::flush;
    drawn_width_ = 0;
    out_ = nullptr;
}

} // namespace mlarc
