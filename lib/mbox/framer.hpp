// Private to the mbox module: the streaming From_ splitter.
//
// A Framer pulls the uncompressed stream from a ByteSource into one sliding
// buffer (1 MiB reads) and cuts it into RawMessages following the rules of
// reader.hpp. The bytes of the message being framed are appended to its
// RawMessage as the scan passes them, so memory is one message (capped at
// max_message_size) plus the buffer. The buffer starts at 64 KiB (Maildir
// files are small), doubles while the input keeps coming up to 2 MiB (1 MiB
// reads), and grows past that only while an mboxcl Content-Length is being
// checked (bounded by max_message_size).
// Line starts beginning "From " are found with memmem over the buffer; each
// candidate is then judged by classify_from_line() and the blank-line rule.
#pragma once

#include "mbox/byte_source.hpp"
#include "mbox/reader.hpp"

#include <optional>
#include <string>
#include <vector>

namespace mlarc::mbox_detail {

struct FramerConfig {
    enum class Input {
        detect,       // mbox, or a single message with a warning, or bad_input
        message_file, // one message (a Maildir file); a leading From_ line is split off
    };
    Input input = Input::detect;
    bool use_content_length = false; // mboxcl/mboxcl2
    Escaping escaping = Escaping::mboxrd;
    size_t max_message_size = 100u << 20;
    std::string name; // file name used in warnings and errors
};

class Framer {
  public:
    Framer(std::unique_ptr<ByteSource> src, FramerConfig cfg);

    /// Skips to `start_offset` (which must hold a From_ line), skips leading
    /// blank lines and decides between mbox and single message.
    Status start(uint64_t start_offset);
    /// The next message, std::nullopt at the end; a source error is returned
    /// once, after the message it cut short (flagged truncated).
    Result<std::optional<RawMessage>> next();

    uint64_t bytes_done() const { return src_->file_bytes_done(); }
    uint64_t bytes_total() const { return src_->file_size(); }
    std::vector<std::string> take_warnings() { return std::exchange(warnings_, {}); }

  private:
    enum class Verdict { split, heuristic_split, body };

    void relocate(size_t capacity);
    bool fill();
    size_t ensure(size_t n);
    std::optional<std::string_view> line_at(size_t rel, size_t max_len);
    void consume(size_t n, RawMessage* m);
    bool after_blank_line() const;
    Verdict judge_candidate(size_t& line_len);
    void scan_body(RawMessage& m);
    bool frame_by_content_length(RawMessage& m);
    void read_to_end(RawMessage& m);
    void finish(RawMessage& m, bool strip_separator);

    std::unique_ptr<ByteSource> src_;
    FramerConfig cfg_;
    std::unique_ptr<char[]> buf_;
    size_t cap_ = 0;
    size_t pos_ = 0;             // first unconsumed byte
    size_t end_ = 0;             // end of valid data
    uint64_t base_ = 0;          // stream offset of buf_[0]
    bool eof_ = false;           // the source has nothing more (or failed)
    bool input_flowing_ = false; // the last read filled the buffer: grow it
    bool done_ = false;          // no message left to deliver
    bool single_ = false;        // the whole input is one message
    std::optional<Error> pending_error_;
    char tail_[3] = {'\n', '\n', '\n'}; // last bytes consumed (look-behind)
    uint32_t next_flags_ = 0;           // flags earned by the From_ line at pos_
    std::string single_from_line_;      // single message: its From_ line, if any
    uint64_t single_offset_ = 0;        // single message: where it starts
    // Longest From_ line next() accepts at pos_: the first line of a file may
    // be up to kMaxProbeLine long (start() accepted it), later ones kMaxFromLine.
    size_t from_line_max_ = 0;
    std::vector<std::string> warnings_;
};

} // namespace mlarc::mbox_detail
