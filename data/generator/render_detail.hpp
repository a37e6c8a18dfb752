// Purpose: the interface between the two halves of the renderer of
// mlarc-sample-gen. render_text.cpp writes what a person types: subjects,
// bodies and quotes, and it plants the deliverable mentions. render.cpp
// wraps that text in headers, MIME structure and Mailman's per-list
// decoration. Every per-message decision is a pure function of the message's
// seed, so a parent can be re-rendered to quote it and the cross-posted copies
// of one email agree.
#pragma once

#include "model.hpp"

namespace sample_gen::detail {

enum class BodyFormat : uint8_t { plain, alternative, html_only };

struct Attachment {
    std::string filename; // UTF-8
    std::string mime;
    uint32_t size = 0;
    uint64_t seed = 0;
    bool rfc2231 = false; // non-ASCII name, sent as filename*=UTF-8''...
};

/// Decisions about one message that do not depend on the list copy.
struct MsgTraits {
    uint64_t seed = 0;
    BodyFormat format = BodyFormat::plain;
    bool base64_text = false;   // text/plain part in base64 (Foxmail)
    bool prefer_latin1 = false; // ISO-8859-1 where the text fits
    bool to_parent = false;     // reply addressed To: the parent author
    bool native_name = false;   // From: display name in native script
    std::vector<Attachment> attachments;
};

MsgTraits msg_traits(const RenderContext& ctx, uint32_t msg);

/// Subject as the author of the root typed it (UTF-8, no tag, no "Re:").
std::string thread_subject(const RenderContext& ctx, uint32_t thread, std::vector<Mention>* mentions);

/// Subject as the author of `msg` typed it: the root subject, or for replies
/// "Re: [Tag] root subject" in the client's style.
std::string author_subject(const RenderContext& ctx, uint32_t msg, std::vector<Mention>* mentions);

/// What the author of `msg` typed, without quoted text (UTF-8, LF lines).
std::string own_text(const RenderContext& ctx, uint32_t msg, const MsgTraits& traits,
                     std::vector<Mention>* mentions);

/// The full plain body: own text plus attribution line and quoted parent.
std::string full_text(const RenderContext& ctx, uint32_t msg, const MsgTraits& traits,
                      std::vector<Mention>* mentions);

/// Display name as the author's client puts it in From:, UTF-8.
std::string display_name(const RenderContext& ctx, uint32_t person, bool native);

/// 1 -> "1st", 2 -> "2nd", ...
std::string ordinal(int n);

/// "17-19 October 2017", "30 May - 1 June 2018".
std::string meeting_dates(const Meeting& m);

} // namespace sample_gen::detail
