// Purpose: turns a planned message into the RFC 5322 text that one list's
// archive holds. It writes the client-specific headers (Message-ID styles,
// X-Mailer, Outlook Thread-Index), RFC 2047 display names and subjects, the
// MIME structure (text/plain in 7bit, 8bit, quoted-printable or base64;
// multipart/alternative; HTML-only; attachments with RFC 2231 names) and
// Mailman's per-list decoration: the subject tag, the List-* headers and the
// footer. Mailman appends the footer to plain text, or adds it as a part of a
// multipart/mixed. Cross-posted copies of one email differ only in that
// decoration and in their Received line.
#include "render_detail.hpp"

namespace sample_gen {
namespace {

using detail::Attachment;
using detail::BodyFormat;
using detail::MsgTraits;

/// The splitmix64 finaliser: a bijection on 64-bit values.
uint64_t fmix(uint64_t z) {
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

std::string domain_of(const std::string& addr) { return addr.substr(addr.find('@') + 1); }

/// A MIME entity: its Content-* header lines and its (encoded) body.
struct Part {
    std::string headers; // each line ends with '\n'
    std::string body;     // ends with '\n'
    enum class Kind : uint8_t { text_appendable, mixed, other } kind = Kind::other;
    std::string boundary; // for multiparts
};

std::string boundary_for(Client c, uint64_t seed) {
    switch (c) {
    case Client::gmail: return "000000000000" + hex64(seed, 12);
    case Client::outlook: return "_000_" + hex64(seed, 16, true) + "_";
    case Client::thunderbird: return "------------" + hex64(seed, 16, true) + hex64(fmix(seed), 8, true);
    case Client::apple: return "Apple-Mail=_" + hex64(seed, 8, true) + "-" + hex64(seed >> 8, 4, true) + "-" +
                               hex64(fmix(seed), 12, true);
    case Client::foxmail: return "----=_NextPart_" + hex64(seed, 8, true) + "_" + hex64(fmix(seed), 8, true);
    case Client::lotus: return "=_alternative " + hex64(seed, 16, true) + "_=";
    }
    return hex64(seed, 16);
}

Part multipart(const char* subtype, const std::vector<Part>& parts, const std::string& boundary,
               bool preamble) {
    Part p;
    p.kind = std::string_view(subtype) == "mixed" ? Part::Kind::mixed : Part::Kind::other;
    p.boundary = boundary;
    p.headers = std::string("Content-Type: multipart/") + subtype + ";\n\tboundary=\"" + boundary + "\"\n";
    size_t total = 64 + boundary.size();
    for (const auto& part : parts)
        total += part.headers.size() + part.body.size() + boundary.size() + 8;
    p.body.reserve(total);
    if (preamble) p.body = "This is a multi-part message in MIME format.\n";
    for (const auto& part : parts) {
        p.body += "\n--";
        p.body += boundary;
        p.body += '\n';
        p.body += part.headers;
        p.body += '\n';
        p.body += part.body;
    }
    p.body += "\n--";
    p.body += boundary;
    p.body += "--\n";
    return p;
}

Part text_part(const std::string& text, const MsgTraits& tr, Client client) {
    Part p;
    if (is_ascii(text)) {
        p.headers = "Content-Type: text/plain; charset=\"us-ascii\"\nContent-Transfer-Encoding: 7bit\n";
        p.body = text;
        p.kind = Part::Kind::text_appendable;
    } else if (tr.base64_text) {
        p.headers = "Content-Type: text/plain; charset=\"utf-8\"\nContent-Transfer-Encoding: base64\n";
        p.body = base64(text, 76);
    } else if (tr.prefer_latin1 && fits_latin1(text)) {
        p.headers = "Content-Type: text/plain; charset=ISO-8859-1\nContent-Transfer-Encoding: quoted-printable\n";
        p.body = quoted_printable(utf8_to_latin1(text));
    } else if (client == Client::outlook || client == Client::lotus) {
        p.headers = "Content-Type: text/plain; charset=\"utf-8\"\nContent-Transfer-Encoding: quoted-printable\n";
        p.body = quoted_printable(text);
    } else {
        p.headers = "Content-Type: text/plain; charset=UTF-8\nContent-Transfer-Encoding: 8bit\n";
        p.body = text;
        p.kind = Part::Kind::text_appendable;
    }
    if (p.body.empty() || p.body.back() != '\n') p.body += '\n';
    return p;
}

/// HTML rendering of the plain text in the style of the author's client.
std::string to_html(const std::string& text, Client client, bool office, const char* charset) {
    std::string h;
    h.reserve(text.size() * 2 + 400);
    const bool named = office || client == Client::lotus;
    if (office) {
        h += "<html xmlns:o=\"urn:schemas-microsoft-com:office:office\"><head>\n"
             "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=" + std::string(charset) + "\">\n"
             "<style><!-- p.MsoNormal {margin:0cm; font-size:11.0pt; font-family:\"Calibri\",sans-serif;} --></style>\n"
             "</head>\n<body lang=\"EN-US\"><div class=\"WordSection1\">\n";
    } else if (client == Client::gmail) {
        h += "<div dir=\"ltr\">";
    } else {
        h += "<html><head>\n<meta http-equiv=\"Content-Type\" content=\"text/html; charset=" + std::string(charset) +
             "\">\n</head>\n<body>\n";
    }
    bool in_quote = false;
    size_t start = 0;
    while (start < text.size()) {
        size_t nl = text.find('\n', start);
        if (nl == std::string::npos) nl = text.size();
        std::string_view line(text.data() + start, nl - start);
        start = nl + 1;
        const bool quoted = !line.empty() && line[0] == '>';
        if (quoted && !in_quote) {
            h += client == Client::gmail
                     ? "<div class=\"gmail_quote\"><blockquote class=\"gmail_quote\" style=\"margin:0 0 0 .8ex;border-left:1px #ccc solid;padding-left:1ex\">\n"
                     : office ? "<blockquote style=\"border-left:solid #1F497D 1.5pt;padding:0cm 0cm 0cm 4.0pt\">\n"
                              : "<blockquote type=\"cite\">\n";
            in_quote = true;
        } else if (!quoted && in_quote) {
            h += client == Client::gmail ? "</blockquote></div>\n" : "</blockquote>\n";
            in_quote = false;
        }
        if (quoted) line.remove_prefix(line.size() > 1 && line[1] == ' ' ? 2 : 1);
        if (office && line.empty()) {
            h += "<p class=\"MsoNormal\">&nbsp;</p>\n";
        } else if (office) {
            h += "<p class=\"MsoNormal\">";
            html_escape_to(h, line, named);
            h += "</p>\n";
        } else {
            html_escape_to(h, line, named);
            h += "<br>\n";
        }
    }
    if (in_quote) h += client == Client::gmail ? "</blockquote></div>\n" : "</blockquote>\n";
    h += office ? "</div>\n</body>\n</html>\n" : client == Client::gmail ? "</div>\n" : "</body>\n</html>\n";
    return h;
}

Part html_part(const std::string& text, const MsgTraits& tr, Client client, bool office) {
    Part p;
    const bool latin1 = tr.prefer_latin1 && fits_latin1(text);
    const std::string html = to_html(text, client, office, latin1 ? "iso-8859-1" : "utf-8");
    if (latin1) {
        p.headers = "Content-Type: text/html; charset=\"iso-8859-1\"\nContent-Transfer-Encoding: quoted-printable\n";
        p.body = quoted_printable(utf8_to_latin1(html));
    } else {
        p.headers = "Content-Type: text/html; charset=\"utf-8\"\nContent-Transfer-Encoding: quoted-printable\n";
        p.body = quoted_printable(html);
    }
    if (p.body.back() != '\n') p.body += '\n';
    return p;
}

Part attachment_part(const Attachment& a, Client client) {
    Part p;
    std::string bytes;
    if (a.mime == "application/pdf") bytes = "%PDF-1.5\n%\xE2\xE3\xCF\xD3\n";
    else bytes = std::string("PK\x03\x04\x14\x00\x06\x00", 8);
    Rng rng(a.seed);
    while (bytes.size() < a.size)
        bytes += static_cast<char>(rng.next() & 0xFF);
    if (a.rfc2231) {
        p.headers = "Content-Type: " + a.mime + ";\n\tname=\"" + encoded_words_b(a.filename) + "\"\n" +
                    "Content-Disposition: attachment;\n\tfilename*=" + rfc2231_value(a.filename) + "\n";
    } else {
        p.headers = "Content-Type: " + a.mime + "; name=\"" + a.filename + "\"\n";
        if (client == Client::outlook) p.headers += "Content-Description: " + a.filename + "\n";
        p.headers += "Content-Disposition: attachment; filename=\"" + a.filename + "\"";
        if (client == Client::outlook) p.headers += "; size=" + std::to_string(bytes.size());
        p.headers += "\n";
    }
    p.headers += "Content-Transfer-Encoding: base64\n";
    p.body = base64(bytes, 76);
    return p;
}

/// "Name <addr>" with the name quoted or RFC 2047-encoded as needed.
std::string mailbox(const std::string& name, const std::string& addr, bool prefer_latin1) {
    if (!is_ascii(name)) return encode_header_text(name, prefer_latin1) + " <" + addr + ">";
    if (name.find_first_of(",.()<>@;:\"[]") != std::string::npos) return "\"" + name + "\" <" + addr + ">";
    return name + " <" + addr + ">";
}

std::string zone_comment(int tz) {
    switch (tz) {
    case 0: return " (GMT)";
    case 60: return " (CET)";
    case 120: return " (CEST)";
    case 480: return " (CST)";
    case 540: return " (KST)";
    case -300: return " (EST)";
    case -240: return " (EDT)";
    default: return "";
    }
}

} // namespace

std::string_view mention_kind_name(MentionKind k) {
    switch (k) {
    case MentionKind::id: return "id";
    case MentionKind::spaced: return "spaced";
    case MentionKind::word: return "word";
    case MentionKind::output_doc: return "output_doc";
    case MentionKind::short_output_doc: return "short_output_doc";
    case MentionKind::title: return "title";
    }
    return "id";
}

std::string message_id(const RenderContext& ctx, uint32_t msg) {
    const MsgPlan& m = ctx.plan.msgs[msg];
    const uint64_t uid = (static_cast<uint64_t>(ctx.plan.copy) << 24) | msg;
    const uint64_t v = fmix(uid ^ mix_seed(ctx.plan.seed, 0x1D));
    const uint64_t h2 = fmix(v ^ 0x5DEECE66DULL);
    const Person& p = ctx.pop.persons[m.author];
    const std::string dom = domain_of(ctx.pop.addrs[m.from_addr].lower);
    static constexpr char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+_";
    switch (p.client) {
    case Client::gmail: {
        std::string s = "CA";
        for (int i = 0; i < 6; ++i)
            s += b64[(h2 >> (6 * i)) & 63];
        for (int i = 0; i < 11; ++i)
            s += b64[(v >> (6 * i)) & 63];
        s += "=";
        for (int i = 0; i < 8; ++i)
            s += b64[(h2 >> (6 * i + 20)) & 63];
        return s + "@mail.gmail.com";
    }
    case Client::outlook: {
        if (dom == "itu.int") return hex64(v, 16, true) + "@GVAEXMBX0" + std::to_string(h2 % 4 + 1) + ".ad.itu.int";
        if (dom == "huawei.com")
            return hex64(v, 16, true) + hex64(h2, 8, true) + "@DGGEMM" + std::to_string(500 + h2 % 30) +
                   "-MBX.china.huawei.com";
        const int tz = p.tz_std;
        const char* region = tz >= 300 ? "apcprd0" : tz < -60 ? "namprd0" : "eurprd0";
        const std::string host = std::string(tz >= 300 ? "SG2PR0" : tz < -60 ? "BN6PR0" : "DB6PR0") +
                                 std::to_string(h2 % 9 + 1) + "MB" + std::to_string(1000 + (h2 >> 8) % 9000);
        return host + hex64(v, 16, true) + "@" + host + "." + region + std::to_string((h2 >> 20) % 8 + 1) +
               ".prod.outlook.com";
    }
    case Client::thunderbird:
        return hex64(v >> 32, 8) + "-" + hex64(v >> 16, 4) + "-" + hex64(v, 4) + "-" + hex64(h2, 12) + "@" + dom;
    case Client::foxmail: {
        const Civil c = civil_from_time(m.t + m.tz * 60);
        std::string s = std::to_string(c.year);
        append_2d(s, c.month);
        append_2d(s, c.day);
        append_2d(s, c.hour);
        append_2d(s, c.minute);
        append_2d(s, c.second);
        return s + std::to_string(v) + "@" + dom;
    }
    case Client::apple:
        return hex64(v >> 32, 8, true) + "-" + hex64(v >> 16, 4, true) + "-" + hex64(v, 4, true) + "-" +
               hex64(h2 >> 48, 4, true) + "-" + hex64(h2, 12, true) + "@" + dom;
    case Client::lotus:
        return "OF" + hex64(h2, 8, true) + "." + hex64(v >> 32, 8, true) + "-ON" + hex64(v, 8, true) + "@" + dom;
    }
    return hex64(v, 16) + "@" + dom;
}

std::string render_message(const RenderContext& ctx, uint32_t msg, size_t list,
                           std::vector<Mention>* mentions) {
    const MsgPlan& m = ctx.plan.msgs[msg];
    const ThreadPlan& th = ctx.plan.threads[m.thread];
    const Person& author = ctx.pop.persons[m.author];
    const ListInfo& li = ctx.reg.lists[list];
    const ListInfo& home = ctx.reg.lists[th.list];
    const MsgTraits tr = detail::msg_traits(ctx, msg);
    const std::string& from_addr = ctx.pop.addrs[m.from_addr].addr;
    const bool office = author.client == Client::outlook || m.author == ctx.pop.tsb;

    const std::string subject = detail::author_subject(ctx, msg, mentions);
    const std::string text = detail::full_text(ctx, msg, tr, mentions);

    // Content as the author's client sent it.
    Part content;
    switch (tr.format) {
    case BodyFormat::plain:
        content = text_part(text, tr, author.client);
        break;
    case BodyFormat::alternative: {
        std::vector<Part> parts;
        parts.push_back(text_part(text, tr, author.client));
        parts.push_back(html_part(text, tr, author.client, office));
        content = multipart("alternative", parts, boundary_for(author.client, tr.seed), false);
        break;
    }
    case BodyFormat::html_only:
        content = html_part(text, tr, author.client, office);
        break;
    }
    if (!tr.attachments.empty()) {
        std::vector<Part> parts;
        parts.push_back(std::move(content));
        for (const auto& a : tr.attachments)
            parts.push_back(attachment_part(a, author.client));
        content = multipart("mixed", parts, boundary_for(author.client, fmix(tr.seed)),
                            author.client == Client::thunderbird);
    }

    // Mailman: footer appended to plain text, else added as a part.
    const std::string footer = "_______________________________________________\n" + li.name +
                               " mailing list\n" + li.address + "\nhttps://lists.itu.int/mailman/listinfo/" +
                               li.name + "\n";
    static const std::string footer_headers =
        "Content-Type: text/plain; charset=\"us-ascii\"\nMIME-Version: 1.0\n"
        "Content-Transfer-Encoding: 7bit\nContent-Disposition: inline\n";
    if (content.kind == Part::Kind::text_appendable) {
        content.body += footer;
    } else if (content.kind == Part::Kind::mixed) {
        const std::string close = "\n--" + content.boundary + "--\n";
        content.body.resize(content.body.size() - close.size());
        content.body += "\n--" + content.boundary + "\n" + footer_headers + "\n" + footer + close;
    } else {
        const std::string b = "===============" + std::to_string(fmix(tr.seed ^ (list + 1)) % 10000000000000000000ULL) + "==";
        std::vector<Part> parts;
        parts.push_back(std::move(content));
        parts.push_back(Part{footer_headers, footer, Part::Kind::other, {}});
        content = multipart("mixed", parts, b, false);
    }

    // Headers.
    std::string h;
    h.reserve(2048 + content.body.size());
    {
        const uint64_t q = fmix(tr.seed ^ (0x51 + list));
        const std::string dom = domain_of(ctx.pop.addrs[m.from_addr].lower);
        const std::string mx = dom == "gmail.com" ? "mail-wm1-f" + std::to_string(q % 70 + 10) + ".google.com"
                                                  : "mail." + dom;
        h += "Received: from " + mx + " (" + mx + " [" + std::to_string(q % 200 + 20) + "." +
             std::to_string((q >> 8) % 256) + "." + std::to_string((q >> 16) % 256) + "." +
             std::to_string((q >> 24) % 254 + 1) + "])\n\tby lists.itu.int (Postfix) with ESMTP id " +
             hex64(q >> 20, 10, true) + "\n\tfor <" + li.address + ">; " +
             rfc5322_date(m.t + static_cast<int64_t>(q % 40) + 2, 0) + " (UTC)\n";
    }
    h += "From: " + mailbox(detail::display_name(ctx, m.author, tr.native_name), from_addr, tr.prefer_latin1) + "\n";
    const std::string cross_addr = m.cross_list != 0xFF ? ctx.reg.lists[m.cross_list].address : "";
    if (tr.to_parent && m.parent >= 0) {
        const MsgPlan& pm = ctx.plan.msgs[static_cast<size_t>(m.parent)];
        h += "To: " + mailbox(detail::display_name(ctx, pm.author, false), ctx.pop.addrs[pm.from_addr].addr,
                              tr.prefer_latin1) + "\n";
        h += "Cc: " + home.address + (cross_addr.empty() ? "" : ", " + cross_addr) + "\n";
    } else {
        h += "To: " + home.address + "\n";
        if (!cross_addr.empty()) h += "Cc: " + cross_addr + "\n";
    }
    {
        // Mailman adds its tag unless the subject already carries it.
        std::string value = encode_header_text(subject, tr.prefer_latin1);
        if (subject.find("[" + li.tag + "]") == std::string::npos) value = "[" + li.tag + "] " + value;
        h += folded_header("Subject", value);
    }
    h += "Date: " + rfc5322_date(m.t, m.tz) +
         ((author.client == Client::thunderbird || author.client == Client::lotus) && (tr.seed % 5 == 0)
              ? zone_comment(m.tz) : "") + "\n";
    h += "Message-ID: <" + message_id(ctx, msg) + ">\n";
    if (m.parent >= 0 && !m.broken) {
        h += "In-Reply-To: <" + message_id(ctx, static_cast<uint32_t>(m.parent)) + ">\n";
        std::vector<uint32_t> chain;
        for (int32_t p = m.parent; p >= 0; p = ctx.plan.msgs[static_cast<size_t>(p)].parent)
            chain.push_back(static_cast<uint32_t>(p));
        std::string refs;
        for (size_t i = chain.size(); i-- > 0;) {
            if (chain.size() > 12 && i < chain.size() - 1 && i >= 11) continue; // keep root + last 11
            refs += (refs.empty() ? "<" : " <") + message_id(ctx, chain[i]) + ">";
        }
        h += folded_header("References", refs, '\t');
    }
    h += "MIME-Version: 1.0\n";
    h += content.headers;
    switch (author.client) {
    case Client::outlook: {
        h += "X-Mailer: Microsoft Outlook 16.0\n";
        const std::string topic = detail::thread_subject(ctx, m.thread, nullptr);
        h += folded_header("Thread-Topic", encode_header_text(topic, tr.prefer_latin1));
        std::string idx_bytes;
        for (int i = 0; i < 22; ++i)
            idx_bytes += static_cast<char>((fmix(th.seed + static_cast<uint64_t>(i) + m.depth * 31ULL) >> 11) & 0xFF);
        h += "Thread-Index: " + base64(idx_bytes) + "\nContent-Language: en-US\n";
        break;
    }
    case Client::thunderbird:
        h += "User-Agent: Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:52.0) Gecko/20100101 Thunderbird/52.9.1\n";
        break;
    case Client::apple: h += "X-Mailer: Apple Mail (2.3445.104.11)\n"; break;
    case Client::foxmail: h += "X-Mailer: Foxmail 7.2.9.156[cn]\n"; break;
    case Client::lotus: h += "X-Mailer: Lotus Notes Release 8.5.3 September 15, 2011\n"; break;
    case Client::gmail: break;
    }
    h += "X-BeenThere: " + li.address + "\nX-Mailman-Version: 2.1.29\nPrecedence: list\n";
    h += "List-Id: <" + li.name + ".lists.itu.int>\n";
    h += "List-Unsubscribe: <https://lists.itu.int/mailman/options/" + li.name + ">,\n <mailto:" + li.name +
         "-request@lists.itu.int?subject=unsubscribe>\n";
    h += "List-Archive: <https://lists.itu.int/pipermail/" + li.name + "/>\n";
    h += "List-Post: <mailto:" + li.address + ">\n";
    h += "List-Help: <mailto:" + li.name + "-request@lists.itu.int?subject=help>\n";
    h += "List-Subscribe: <https://lists.itu.int/mailman/listinfo/" + li.name + ">,\n <mailto:" + li.name +
         "-request@lists.itu.int?subject=subscribe>\n";
    h += "Errors-To: " + li.name + "-bounces@lists.itu.int\n";
    h += "Sender: \"" + li.name + "\" <" + li.name + "-bounces@lists.itu.int>\n";
    h += "\n";
    h += content.body;
    return h;
}

} // namespace sample_gen
