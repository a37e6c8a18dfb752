// A one-line progress display for long imports and reindexes:
//   import  12,345 msgs  5,210 msg/s  120.0 MB / 603.0 MB  20%
// redrawn in place with '\r' at most ten times a second and cleared by
// finish(). It draws only when enabled and the stream is a terminal, so logs,
// pipes and CI output never see it. Not thread-safe: one thread calls update().
#pragma once

#include <chrono>
#include <cstdint>
#include <iosfwd>
#include <string>

namespace mlarc {

class Progress {
  public:
    /// Draws on stderr when `enabled` and stderr is a terminal (isatty).
    /// total_bytes 0 means unknown (no "/ total" and no percentage).
    Progress(std::string label, uint64_t total_bytes, bool enabled);
    /// Draws on `out` when `enabled`, `out` is not null and `out_is_terminal`.
    Progress(std::string label, uint64_t total_bytes, bool enabled, std::ostream* out,
             bool out_is_terminal);
    ~Progress();
    Progress(const Progress&) = delete;
    Progress& operator=(const Progress&) = delete;

    /// Records the position; redraws when 100 ms have passed since the last draw
    /// (or since construction, so a run shorter than that draws nothing).
    void update(uint64_t bytes_done, uint64_t items_done);
    /// Clears the line if anything was drawn. Idempotent; the destructor calls it.
    void finish();
    /// True if this object draws at all.
    [[nodiscard]] bool active() const { return out_ != nullptr; }

    /// The text of one line (without '\r'): label, items, rate, bytes, percent.
    static std::string format_line(const std::string& label, uint64_t bytes_done,
                                   uint64_t total_bytes, uint64_t items_done,
                                   double elapsed_seconds);

  private:
    using Clock = std::chrono::steady_clock;

    std::string label_;
    uint64_t total_bytes_ = 0;
    std::ostream* out_ = nullptr; // null: disabled
    Clock::time_point start_;
    Clock::time_point last_draw_;
    size_t drawn_width_ = 0; // bytes of the line on screen, 0 if none
};

} // namespace mlarc
