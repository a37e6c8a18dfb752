// Purpose: the words of the synthetic archive. It writes the subjects,
// discussion bodies, meeting announcements, greetings, signatures and reply
// quotes. It plants deliverable mentions in the forms people write (D3.2,
// D 3.2, deliverable 3.2, FG-DPM-O-156, "see O-156", titles) and records each
// one for truth.tsv. Mentions that reach a reply only through its quote of the
// parent are not recorded: quoted text is never truth. Output-document
// numbers are only used once the meeting that allocated them has started.
#include "render_detail.hpp"

#include <algorithm>

namespace sample_gen::detail {
namespace {

constexpr uint64_t k_salt_traits = 0x7A17;
constexpr uint64_t k_salt_text = 0x7E87;
constexpr uint64_t k_salt_subject = 0x5B1E;
constexpr uint64_t k_salt_quote = 0x9007;

uint64_t msg_seed(const RenderContext& ctx, uint32_t msg) {
    return mix_seed(ctx.plan.threads[ctx.plan.msgs[msg].thread].seed, msg);
}

int output_number(const Deliverable& d) {
    const size_t p = d.output_doc.find("O-");
    if (p == std::string::npos) return -1;
    int n = 0;
    size_t i = p + 2;
    for (; i < d.output_doc.size() && d.output_doc[i] >= '0' && d.output_doc[i] <= '9'; ++i)
        n = n * 10 + (d.output_doc[i] - '0');
    return i == p + 2 ? -1 : n;
}

/// Output documents get their numbers at a meeting; before it, nobody cites them.
bool output_doc_known(const Registry& reg, const Deliverable& d, int64_t t) {
    const int n = output_number(d);
    for (const auto& m : reg.meetings)
        if (n >= m.out_first && n <= m.out_last) return t >= m.start;
    return true;
}

const Meeting& next_meeting(const Registry& reg, int64_t t) {
    for (const auto& m : reg.meetings)
        if (m.end + 86400 > t) return m;
    return reg.meetings.back();
}

std::string pad3(int n) {
    std::string s = std::to_string(n);
    while (s.size() < 3)
        s.insert(s.begin(), '0');
    return s;
}

std::string wg_label(const Registry& reg, size_t list) {
    const int wg = reg.lists[list].wg;
    return wg == 0 ? "FG-DPM" : "WG" + std::to_string(wg);
}

MentionKind choose_kind(Rng& rng, const Registry& reg, const Deliverable& d, int64_t t,
                        bool in_subject) {
    // Cumulative percentages for id, spaced, word, output_doc, short_output_doc;
    // the rest is title. Once the output document exists people cite it often.
    struct Cut {
        int id, spaced, word, doc, short_doc;
    };
    static constexpr Cut subject_before{70, 76, 88, 88, 88}, subject_after{45, 50, 60, 85, 85};
    static constexpr Cut body_before{50, 60, 78, 78, 78}, body_after{20, 26, 34, 56, 88};
    const bool known = output_doc_known(reg, d, t);
    const Cut& c = in_subject ? (known ? subject_after : subject_before) : (known ? body_after : body_before);
    const int r = static_cast<int>(rng.below(100));
    return r < c.id ? MentionKind::id : r < c.spaced ? MentionKind::spaced : r < c.word ? MentionKind::word
           : r < c.doc ? MentionKind::output_doc : r < c.short_doc ? MentionKind::short_output_doc
                       : MentionKind::title;
}

std::string mention_surface(Rng& rng, const Deliverable& d, MentionKind k) {
    switch (k) {
    case MentionKind::id:
        return rng.chance(1, 5) ? "Deliverable " + d.id : d.id;
    case MentionKind::spaced:
        return "D " + d.number;
    case MentionKind::word:
        return (rng.chance(1, 3) ? "Deliverable " : "deliverable ") + d.number;
    case MentionKind::output_doc:
        return d.output_doc;
    case MentionKind::short_output_doc:
        return d.short_doc;
    case MentionKind::title:
        return rng.chance(3, 10) ? "\"" + d.title + "\"" : d.title;
    }
    return d.id;
}

/// Values of the template placeholders for one message.
struct Vars {
    std::string first, wg, date, city, mtg, idoc, num, year;
    int ref = -1;
    MentionKind kind = MentionKind::id;
};

/// Expands templates and records mentions.
class Writer {
  public:
    Writer(const RenderContext& ctx, Rng& rng, std::vector<Mention>* mentions)
        : ctx_(ctx), rng_(rng), mentions_(mentions) {}

    /// `protect` joins the words of a mention with \x01 so that wrapping
    /// cannot split it; unprotect() restores the spaces.
    std::string expand(std::string_view tpl, const Vars& v, bool protect = false) {
        std::string out;
        out.reserve(tpl.size() + 32);
        for (size_t i = 0; i < tpl.size(); ++i) {
            if (tpl[i] != '{') {
                out += tpl[i];
                continue;
            }
            const size_t close = tpl.find('}', i);
            const std::string_view key = tpl.substr(i + 1, close - i - 1);
            i = close;
            std::string val;
            if (key == "ref" || key == "short") {
                const auto& d = ctx_.reg.deliverables[static_cast<size_t>(v.ref)];
                const MentionKind k = key == "short" ? MentionKind::short_output_doc : v.kind;
                val = mention_surface(rng_, d, k);
                if (mentions_) mentions_->push_back({static_cast<uint8_t>(v.ref), k});
                if (protect) std::replace(val.begin(), val.end(), ' ', '\x01');
            } else if (key == "first") val = v.first;
            else if (key == "wg") val = v.wg;
            else if (key == "date") val = v.date;
            else if (key == "city") val = v.city;
            else if (key == "mtg") val = v.mtg;
            else if (key == "idoc") val = v.idoc;
            else if (key == "num") val = v.num;
            else if (key == "year") val = v.year;
            out += val;
        }
        return out;
    }

  private:
    const RenderContext& ctx_;
    Rng& rng_;
    std::vector<Mention>* mentions_;
};

void unprotect(std::string& s) { std::replace(s.begin(), s.end(), '\x01', ' '); }

/// Greedy word wrap at `width` columns (counting bytes; good enough here).
std::string wrap(std::string_view text, size_t width) {
    std::string out;
    size_t col = 0, i = 0;
    while (i < text.size()) {
        size_t sp = text.find(' ', i);
        if (sp == std::string_view::npos) sp = text.size();
        const std::string_view w = text.substr(i, sp - i);
        if (col > 0 && col + 1 + w.size() > width) {
            out += '\n';
            col = 0;
        } else if (col > 0) {
            out += ' ';
            ++col;
        }
        out += w;
        col += w.size();
        i = sp + 1;
    }
    return out;
}

/// Deliverable indices: discussed ones of a WG (any WG when none).
std::vector<int> discussed_of_wg(const Registry& reg, int wg) {
    std::vector<int> own, any;
    for (size_t i = 0; i < reg.deliverables.size(); ++i) {
        if (!reg.deliverables[i].discussed) continue;
        any.push_back(static_cast<int>(i));
        if (reg.deliverables[i].wg == wg) own.push_back(static_cast<int>(i));
    }
    return own.empty() ? any : own;
}

std::string native_line(Rng& rng, bank::Style s) {
    switch (s) {
    case bank::Style::chinese:
        return rng.chance(3, 10) ? std::string(rng.pick(bank::k_native_lines_cn)) : "";
    case bank::Style::arabic:
        return rng.chance(25, 100) ? std::string(rng.pick(bank::k_native_lines_ar)) : "";
    default:
        return "";
    }
}

std::string phone(Rng& rng) {
    std::string s = "+" + std::to_string(rng.range(1, 98)) + " " + std::to_string(rng.range(10, 99)) +
                    " " + std::to_string(rng.range(100, 999)) + " " + std::to_string(rng.range(1000, 9999));
    return s;
}

class BodyBuilder {
  public:
    BodyBuilder(const RenderContext& ctx, uint32_t msg, const MsgTraits& traits,
                std::vector<Mention>* mentions)
        : ctx_(ctx), reg_(ctx.reg), m_(ctx.plan.msgs[msg]),
          th_(ctx.plan.threads[m_.thread]), author_(ctx.pop.persons[m_.author]), traits_(traits),
          rng_(mix_seed(msg_seed(ctx, msg), k_salt_text)), w_(ctx, rng_, mentions) {
        const Meeting& nm = next_meeting(reg_, m_.t);
        v_.wg = wg_label(reg_, th_.list);
        v_.city = nm.city;
        v_.mtg = ordinal(nm.number);
        v_.date = long_date(m_.t + rng_.range(4, 12) * 86400);
        v_.idoc = "FG-DPM-I-" + pad3(static_cast<int>(rng_.range(nm.in_first, nm.in_last)));
        v_.year = std::to_string(civil_from_time(m_.t).year);
        if (m_.parent >= 0)
            v_.first = ctx.pop.persons[ctx.plan.msgs[static_cast<size_t>(m_.parent)].author].given;
        else
            v_.first = ctx.pop.persons[ctx.pop.wg_chairs[th_.list]].given;
    }

    std::string build();

  private:
    int topic_wg() const {
        return th_.deliv >= 0 ? reg_.deliverables[static_cast<size_t>(th_.deliv)].wg
                              : reg_.lists[th_.list].wg;
    }
    std::string sentence(std::string_view tpl) { return w_.expand(tpl, v_, wrap_width() > 0); }
    size_t wrap_width() const {
        return (author_.client == Client::thunderbird || author_.client == Client::lotus) ? 72 : 0;
    }
    /// One sentence mentioning deliverable `d`.
    std::string mention_sentence(int d) {
        v_.ref = d;
        v_.kind = choose_kind(rng_, reg_, reg_.deliverables[static_cast<size_t>(d)], m_.t, false);
        if (v_.kind == MentionKind::short_output_doc) return sentence(rng_.pick(bank::k_short_sentences));
        return sentence(rng_.pick(bank::k_ref_sentences));
    }
    std::string topic_sentence() {
        const int wg = std::clamp(topic_wg(), 0, 5);
        return sentence(bank::k_topic_by_wg[wg][rng_.below(bank::k_topic_size[wg])]);
    }
    /// Sentence line with a mention in a given kind (announcements).
    std::string mention_in(int d, MentionKind k) {
        v_.ref = d;
        v_.kind = k;
        return w_.expand("{ref}", v_);
    }
    std::string discussion_paragraphs();
    std::string announcement();
    std::string greeting_and_close(const std::string& middle, bool formal);

    const RenderContext& ctx_;
    const Registry& reg_;
    const MsgPlan& m_;
    const ThreadPlan& th_;
    const Person& author_;
    const MsgTraits& traits_;
    Rng rng_;
    Writer w_;
    Vars v_;
};

std::string BodyBuilder::discussion_paragraphs() {
    const bool root = m_.parent < 0;
    std::vector<std::vector<std::string>> paras(static_cast<size_t>(root ? rng_.range(2, 3) : rng_.range(1, 2)));
    const bool announce_reply = th_.kind != ThreadKind::discussion && th_.kind != ThreadKind::wg_plan;
    for (auto& p : paras) {
        const int n = static_cast<int>(rng_.range(1, 3));
        for (int i = 0; i < n; ++i) {
            if (announce_reply && i == 0 && &p == &paras.front()) {
                p.push_back(th_.kind == ThreadKind::closing
                                ? std::string(rng_.pick(bank::k_farewell_replies))
                                : std::string(rng_.pick(bank::k_logistics_replies)));
                continue;
            }
            p.push_back(rng_.chance(1, 2) && !announce_reply ? topic_sentence()
                                                             : sentence(rng_.pick(bank::k_generic)));
        }
    }
    // Mentions outside quotes.
    int n_mentions = 0;
    if (th_.deliv >= 0) n_mentions = root ? static_cast<int>(rng_.range(1, 3))
                                          : (rng_.chance(55, 100) ? static_cast<int>(rng_.range(1, 2)) : 0);
    else n_mentions = rng_.chance(12, 100) ? 1 : 0;
    if (th_.kind == ThreadKind::setup) n_mentions = 0; // nothing to discuss yet
    const auto siblings = discussed_of_wg(reg_, topic_wg());
    for (int i = 0; i < n_mentions; ++i) {
        int d;
        if (th_.deliv >= 0 && (i == 0 || rng_.chance(7, 10))) d = th_.deliv;
        else d = siblings[rng_.below(siblings.size())];
        auto& p = paras[rng_.below(paras.size())];
        p.insert(p.begin() + static_cast<long>(rng_.below(p.size() + 1)), mention_sentence(d));
    }
    if (!traits_.attachments.empty()) {
        std::string names;
        for (const auto& a : traits_.attachments) {
            const std::string stem = a.filename.substr(0, a.filename.find_first_of(" ."));
            names += names.empty() ? stem : " and " + stem;
        }
        paras.front().insert(paras.front().begin(), "Please find attached " + names + ".");
    }
    if (rng_.chance(14, 100)) {
        // Distractor numbers shaped like deliverable numbers.
        const auto& any = discussed_of_wg(reg_, topic_wg());
        const int d = rng_.chance(1, 5) ? static_cast<int>(rng_.below(reg_.deliverables.size()))
                                        : any[rng_.below(any.size())];
        v_.num = reg_.deliverables[static_cast<size_t>(d)].number;
        paras.back().push_back(sentence(rng_.pick(bank::k_distractors)));
    }
    if (rng_.chance(5, 100)) paras.insert(paras.begin() + 1 - (paras.size() == 1 ? 1 : 0),
                                          {std::string(rng_.pick(bank::k_from_lines)), topic_sentence()});
    std::string out;
    for (const auto& p : paras) {
        std::string line;
        for (const auto& s : p)
            line += line.empty() ? s : " " + s;
        if (wrap_width()) line = wrap(line, wrap_width());
        unprotect(line);
        out += line + "\n\n";
    }
    return out;
}

std::string BodyBuilder::greeting_and_close(const std::string& middle, bool formal) {
    std::string out;
    const bool root = m_.parent < 0;
    if (formal || rng_.chance(root ? 85 : 55, 100))
        out += w_.expand(formal ? "Dear all," : rng_.pick(bank::k_greetings), v_) + "\n\n";
    out += middle;
    const std::string native = native_line(rng_, author_.style);
    if (!native.empty()) out += native + "\n";
    std::string closing(rng_.pick(bank::k_closings));
    if (author_.style == bank::Style::french && rng_.chance(35, 100))
        closing = std::string(bank::k_native_lines_fr[rng_.below(2)]);
    else if (author_.style == bank::Style::german && rng_.chance(3, 10))
        closing = std::string(rng_.pick(bank::k_native_lines_de));
    out += closing + "\n";
    const bool tsb = m_.author == ctx_.pop.tsb;
    out += tsb ? "TSB FG-DPM secretariat\n" : (rng_.chance(4, 10) ? author_.given : author_.display()) + "\n";
    if (tsb) {
        out += "International Telecommunication Union\nPlace des Nations, 1211 Gen\xC3\xA8ve 20, Switzerland\n";
    } else if (rng_.chance(root ? 45 : 25, 100)) {
        if (author_.client == Client::outlook)
            out += "\n" + author_.display() + "\n" + author_.job_title + "\n" + author_.org_name + "\n";
        else
            out += "\n-- \n" + author_.display() + "\n" + author_.job_title + ", " + author_.org_name +
                   "\nTel: " + phone(rng_) + "\n";
    }
    return out;
}

std::string BodyBuilder::announcement() {
    const Meeting& m = reg_.meetings[static_cast<size_t>(std::max<int>(0, th_.meeting))];
    const std::string ord = ordinal(m.number);
    const std::string dates = meeting_dates(m);
    std::string s;
    auto para = [&](const std::string& text) { s += text + "\n\n"; };
    // Mention of deliverable d in a kind that suits an announcement.
    auto ref = [&](int d) {
        const auto& del = reg_.deliverables[static_cast<size_t>(d)];
        const uint64_t r = rng_.below(100);
        MentionKind k = r < 55 ? MentionKind::id : r < 70 ? MentionKind::word : r < 85 ? MentionKind::title
                                                                                       : MentionKind::output_doc;
        if (k == MentionKind::output_doc && !output_doc_known(reg_, del, m_.t)) k = MentionKind::id;
        return mention_in(d, k);
    };
    switch (th_.kind) {
    case ThreadKind::invitation:
        para("The " + ord + " meeting of the ITU-T Focus Group on Data Processing and Management to "
             "support IoT and Smart Cities & Communities (FG-DPM) will take place in " + m.city +
             ", " + dates + ".");
        para("Registration is open on the FG-DPM web page. Remote participation will be offered for "
             "all sessions. Participants who need a visa should contact the secretariat early.");
        para("Contributions should be submitted at least 12 calendar days before the meeting. Input "
             "documents for this meeting will be numbered FG-DPM-I-" + pad3(m.in_first) +
             " to FG-DPM-I-" + pad3(m.in_last) + ".");
        if (&m != &reg_.meetings.front()) {
            const Meeting& prev = *(&m - 1);
            para("The report of the previous meeting is available as FG-DPM-O-" + pad3(prev.out_first) + ".");
        }
        para("We look forward to your participation.");
        break;
    case ThreadKind::agenda: {
        para("Please find below the draft agenda of the " + ord + " FG-DPM meeting (" + m.city + ", " +
             dates + "). It is also available as FG-DPM-I-" + pad3(m.in_first) + ".");
        std::string agenda = "1. Opening of the meeting\n2. Approval of the agenda\n";
        agenda += &m == &reg_.meetings.front() ? "3. Working methods of the focus group\n"
                                               : "3. Report of the previous meeting\n";
        agenda += "4. Working group sessions\n";
        for (size_t l = 1; l < reg_.lists.size(); ++l) {
            std::string line = "   - " + wg_label(reg_, l) + ":";
            bool any = false;
            for (size_t d = 0; d < reg_.deliverables.size(); ++d) {
                const auto& del = reg_.deliverables[d];
                if (!del.discussed || reg_.list_of_wg(del.wg) != l || !rng_.chance(2, 3)) continue;
                line += (any ? ", " : " ") + ref(static_cast<int>(d));
                any = true;
            }
            agenda += line + (any ? "" : " contributions") + "\n";
        }
        const auto plenary = discussed_of_wg(reg_, 0);
        if (!plenary.empty() && reg_.deliverables[static_cast<size_t>(plenary[0])].wg == 0)
            agenda += "5. Plenary: " + ref(plenary[0]) + " and common terminology\n";
        else
            agenda += "5. Plenary: common terminology\n";
        agenda += "6. Liaison statements\n7. Future meetings\n8. Any other business\n9. Closing\n";
        s += agenda + "\n";
        para("Comments on the agenda are welcome until the opening of the meeting.");
        break;
    }
    case ThreadKind::reminder:
        para("This is a friendly reminder that the " + ord + " FG-DPM meeting starts on " +
             long_date(m.start) + " in " + m.city + ".");
        para("Editors are kindly requested to upload the latest drafts to the SharePoint before the "
             "meeting. The deadline for contributions has passed; late documents will be treated as "
             "information documents.");
        break;
    case ThreadKind::report: {
        para("The " + ord + " FG-DPM meeting was held in " + m.city + ", " + dates + ", with " +
             std::to_string(m.participants) + " participants. The meeting report is FG-DPM-O-" +
             pad3(m.out_first) + ".");
        std::string out_lines;
        for (size_t d = 0; d < reg_.deliverables.size(); ++d) {
            const auto& del = reg_.deliverables[d];
            const int n = output_number(del);
            if (!del.discussed || n < m.out_first || n > m.out_last) continue;
            out_lines += " - " + mention_in(static_cast<int>(d), MentionKind::id) + " " +
                         mention_in(static_cast<int>(d), MentionKind::title) + " (" +
                         mention_in(static_cast<int>(d), MentionKind::output_doc) + ")\n";
        }
        if (!out_lines.empty()) s += "The meeting agreed the following texts:\n" + out_lines + "\n";
        else {
            const auto any = discussed_of_wg(reg_, -1);
            std::string prog;
            for (int i = 0; i < 3; ++i)
                prog += (i ? ", " : "") + ref(any[rng_.below(any.size())]);
            para("Good progress was made on " + prog + ".");
        }
        if (&m != &reg_.meetings.back()) {
            const Meeting& next = *(&m + 1);
            para("The next meeting will take place in " + next.city + ", " + meeting_dates(next) + ".");
        } else {
            para("This was the last meeting of the focus group.");
        }
        break;
    }
    case ThreadKind::wg_plan: {
        const int wg = reg_.lists[th_.list].wg;
        para("For the " + ord + " meeting in " + m.city + ", the " + wg_label(reg_, th_.list) +
             " sessions are planned as follows:");
        std::string plan;
        int slot = 0;
        static const char* slots[] = {"Day 1 morning", "Day 1 afternoon", "Day 2 morning",
                                      "Day 2 afternoon"};
        for (size_t d = 0; d < reg_.deliverables.size() && slot < 3; ++d) {
            const auto& del = reg_.deliverables[d];
            if (!del.discussed || del.wg != wg) continue;
            plan += std::string(" - ") + slots[slot++] + ": " + ref(static_cast<int>(d)) + " (editor: " +
                    ctx_.pop.persons[ctx_.pop.editors[d]].display() + ")\n";
        }
        plan += std::string(" - ") + slots[slot] + ": contributions and liaison statements\n";
        s += plan + "\n";
        para("Please let me know if you need a slot to present your contribution.");
        break;
    }
    case ThreadKind::setup: {
        static const char* texts[] = {
            "This is a test message to check the new mailing list. Please ignore it.",
            "Welcome to the mailing lists of the ITU-T Focus Group on Data Processing and Management. "
            "The main list is used for announcements and plenary discussion; each working group has "
            "its own list.",
            "ITU-T Study Group 20 established the Focus Group on Data Processing and Management to "
            "support IoT and Smart Cities & Communities. Participation is open to any individual from "
            "an ITU member state who wishes to contribute.",
            "This working group list is now open. Please use it for the technical discussion of the "
            "working group between meetings.",
            "Attached is a first proposal for the structure of the focus group with five working "
            "groups. Comments are welcome before the first meeting.",
            "Nominations for the co-chairs of the working groups and for the editors of the future "
            "deliverables can be sent to the secretariat.",
        };
        para(texts[th_.variant % std::size(texts)]);
        break;
    }
    case ThreadKind::closing: {
        const auto any = discussed_of_wg(reg_, -1);
        switch (th_.variant % 5) {
        case 0: {
            para("The deliverables approved by the focus group have been transmitted to ITU-T Study "
                 "Group 20:");
            std::string list;
            for (int d : any)
                list += " - " + mention_in(d, MentionKind::id) + ": " + mention_in(d, MentionKind::title) +
                        " (" + mention_in(d, MentionKind::output_doc) + ")\n";
            s += list + "\n";
            break;
        }
        case 1:
            para("As the focus group has completed its work, I would like to thank all of you for "
                 "two years of contributions, discussion and hard work.");
            break;
        case 2:
            para("The final texts are now online. For example, " + ref(any[rng_.below(any.size())]) +
                 " and " + ref(any[rng_.below(any.size())]) + " can be downloaded from the FG-DPM page.");
            break;
        case 3:
            para("The FG-DPM mailing lists will be closed on 31 August 2019. The archives remain "
                 "available.");
            break;
        default:
            para("Thank you all for the work in this working group. The discussion continues in "
                 "ITU-T SG20.");
            break;
        }
        break;
    }
    default:
        break;
    }
    return s;
}

std::string BodyBuilder::build() {
    const bool root = m_.parent < 0;
    if (root && th_.kind != ThreadKind::discussion) return greeting_and_close(announcement(), true);
    return greeting_and_close(discussion_paragraphs(), false);
}

std::string attribution(const RenderContext& ctx, const MsgPlan& m, const MsgPlan& parent, Rng& rng) {
    const Person& pa = ctx.pop.persons[parent.author];
    const std::string name = display_name(ctx, parent.author, false);
    const std::string& addr = ctx.pop.addrs[parent.from_addr].addr;
    const Civil c = civil_from_time(parent.t + m.tz * 60);
    auto d2 = [](int v) { std::string s; append_2d(s, v); return s; };
    const std::string dmy = d2(c.day) + "/" + d2(c.month) + "/" + std::to_string(c.year);
    const std::string hm = d2(c.hour) + ":" + d2(c.minute);
    const Person& me = ctx.pop.persons[m.author];
    (void)pa;
    switch (me.client) {
    case Client::gmail: {
        const int h12 = c.hour % 12 == 0 ? 12 : c.hour % 12;
        return std::string("On ") + k_day_names[c.weekday] + ", " + k_month_names[c.month - 1] + " " +
               std::to_string(c.day) + ", " + std::to_string(c.year) + " at " + std::to_string(h12) + ":" +
               d2(c.minute) + (c.hour < 12 ? " AM" : " PM") + ", " + name + " <" + addr + "> wrote:\n";
    }
    case Client::thunderbird:
        if (me.style == bank::Style::french)
            return "Le " + dmy + " \xC3\xA0 " + hm + ", " + name + " a \xC3\xA9" "crit\xC2\xA0:\n";
        return "On " + dmy + " " + hm + ", " + name + " wrote:\n";
    case Client::foxmail:
        return "\xE5\x9C\xA8 " + std::to_string(c.year) + "-" + d2(c.month) + "-" + d2(c.day) + " " + hm +
               ":" + d2(c.second) + "\xEF\xBC\x8C\"" + name + "\" <" + addr + "> \xE5\x86\x99\xE9\x81\x93\xEF\xBC\x9A\n";
    case Client::lotus:
        return rng.chance(1, 2) ? name + " <" + addr + "> wrote on " + d2(c.day) + "." + d2(c.month) + "." +
                                      std::to_string(c.year) + " " + hm + ":\n"
                                : "";
    case Client::apple:
    case Client::outlook:
        return ""; // these put the attribution inside the quote
    }
    return "";
}

} // namespace

std::string ordinal(int n) {
    const int t = n % 100;
    const char* suf = (t >= 11 && t <= 13) ? "th" : n % 10 == 1 ? "st" : n % 10 == 2 ? "nd" : n % 10 == 3 ? "rd" : "th";
    return std::to_string(n) + suf;
}

std::string meeting_dates(const Meeting& m) {
    const Civil a = civil_from_time(m.start), b = civil_from_time(m.end);
    if (a.month == b.month && a.year == b.year)
        return std::to_string(a.day) + "-" + long_date(m.end);
    return long_date(m.start) + " - " + long_date(m.end);
}

std::string display_name(const RenderContext& ctx, uint32_t person, bool native) {
    const Person& p = ctx.pop.persons[person];
    if (person == ctx.pop.tsb) return "TSB FG-DPM";
    if (native && !p.native.empty()) return p.native;
    if (p.client == Client::outlook && (mix_seed(person, 0xD15) % 3 == 0) &&
        (p.style == bank::Style::english || p.style == bank::Style::german || p.style == bank::Style::nordic))
        return p.family + ", " + p.given;
    return p.display();
}

MsgTraits msg_traits(const RenderContext& ctx, uint32_t msg) {
    const MsgPlan& m = ctx.plan.msgs[msg];
    const ThreadPlan& th = ctx.plan.threads[m.thread];
    const Person& p = ctx.pop.persons[m.author];
    MsgTraits tr;
    tr.seed = msg_seed(ctx, msg);
    Rng rng(mix_seed(tr.seed, k_salt_traits));
    const uint64_t r = rng.below(100);
    using F = BodyFormat;
    switch (p.client) {
    case Client::gmail: tr.format = r < 75 ? F::alternative : F::plain; break;
    case Client::outlook: tr.format = r < 22 ? F::html_only : r < 92 ? F::alternative : F::plain; break;
    case Client::thunderbird: tr.format = r < 12 ? F::alternative : F::plain; break;
    case Client::foxmail: tr.format = r < 45 ? F::alternative : F::plain; break;
    case Client::apple: tr.format = r < 60 ? F::alternative : F::plain; break;
    case Client::lotus: tr.format = r < 30 ? F::html_only : F::plain; break;
    }
    if (m.author == ctx.pop.tsb && m.parent < 0) tr.format = r < 50 ? F::html_only : F::alternative;
    tr.base64_text = p.client == Client::foxmail && rng.chance(8, 10);
    const bool european = p.style == bank::Style::french || p.style == bank::Style::german ||
                          p.style == bank::Style::iberian || p.style == bank::Style::nordic;
    tr.prefer_latin1 = european && p.client != Client::gmail && p.client != Client::apple;
    tr.to_parent = m.parent >= 0 && rng.chance(45, 100);
    tr.native_name = !p.native.empty() && mix_seed(m.author, 0xA11) % 10 < 4;

    // Attachments: input documents of the next meeting.
    int n_att = 0;
    const bool root = m.parent < 0;
    switch (th.kind) {
    case ThreadKind::discussion: n_att = rng.chance(root ? 25 : 7, 100) ? 1 : 0; break;
    case ThreadKind::agenda: n_att = root && rng.chance(7, 10) ? 1 : 0; break;
    case ThreadKind::wg_plan: n_att = root && rng.chance(3, 10) ? 1 : 0; break;
    default: break;
    }
    if (n_att && rng.chance(1, 10)) n_att = 2;
    const Meeting& nm = th.kind == ThreadKind::agenda ? ctx.reg.meetings[static_cast<size_t>(th.meeting)]
                                                       : next_meeting(ctx.reg, m.t);
    for (int i = 0; i < n_att; ++i) {
        Attachment a;
        const int num = th.kind == ThreadKind::agenda && i == 0
                            ? nm.in_first
                            : static_cast<int>(rng.range(nm.in_first, nm.in_last));
        std::string stem = "FG-DPM-I-" + pad3(num);
        const uint64_t e = rng.below(100);
        const char* ext = e < 70 ? ".docx" : e < 85 ? ".pdf" : e < 95 ? ".pptx" : ".zip";
        a.mime = e < 70 ? "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
                 : e < 85 ? "application/pdf"
                 : e < 95 ? "application/vnd.openxmlformats-officedocument.presentationml.presentation"
                          : "application/zip";
        if (rng.chance(2, 10)) {
            a.rfc2231 = true;
            stem += " " + std::string(rng.pick(bank::k_attach_words));
        }
        a.filename = stem + ext;
        a.size = static_cast<uint32_t>(rng.range(180, 900));
        a.seed = rng.next();
        tr.attachments.push_back(std::move(a));
    }
    return tr;
}

namespace {
std::string make_thread_subject(const RenderContext& ctx, uint32_t thread, std::vector<Mention>* mentions);
} // namespace

std::string thread_subject(const RenderContext& ctx, uint32_t thread, std::vector<Mention>* mentions) {
    // Mentions are collected into a scratch list once and replayed on cache hits.
    if (!ctx.subject_cache) return make_thread_subject(ctx, thread, mentions);
    auto& cache = *ctx.subject_cache;
    auto& ment = (*ctx.subject_mentions)[thread];
    if (cache[thread].empty()) cache[thread] = make_thread_subject(ctx, thread, &ment);
    if (mentions) mentions->insert(mentions->end(), ment.begin(), ment.end());
    return cache[thread];
}

namespace {
std::string make_thread_subject(const RenderContext& ctx, uint32_t thread, std::vector<Mention>* mentions) {
    const ThreadPlan& th = ctx.plan.threads[thread];
    const MsgPlan& root = ctx.plan.msgs[th.root];
    const Registry& reg = ctx.reg;
    Rng rng(mix_seed(th.seed, k_salt_subject));
    const auto mtg = [&]() -> const Meeting& { return reg.meetings[static_cast<size_t>(std::max<int>(0, th.meeting))]; };
    const std::string wg = wg_label(reg, th.list);
    switch (th.kind) {
    case ThreadKind::invitation:
        return "Invitation: " + ordinal(mtg().number) + " meeting of ITU-T FG-DPM, " + mtg().city + ", " +
               meeting_dates(mtg());
    case ThreadKind::agenda:
        return "Draft agenda of the " + ordinal(mtg().number) + " FG-DPM meeting (" + mtg().city + ", " +
               meeting_dates(mtg()) + ")";
    case ThreadKind::reminder:
        return "Reminder: " + ordinal(mtg().number) + " FG-DPM meeting in " + mtg().city +
               " - registration and document deadline";
    case ThreadKind::report:
        return "Report of the " + ordinal(mtg().number) + " FG-DPM meeting (" + mtg().city + ")";
    case ThreadKind::wg_plan:
        return wg + " sessions at the " + ordinal(mtg().number) + " FG-DPM meeting: draft plan";
    case ThreadKind::setup: {
        static const char* s[] = {"Test message - please ignore", "Welcome to the FG-DPM mailing lists",
                                  "Call for participation: ITU-T Focus Group on Data Processing and Management",
                                  "", "Proposed working group structure",
                                  "Request for nominations of co-chairs and editors"};
        const size_t v = th.variant % std::size(s);
        return v == 3 ? wg + " mailing list is now open" : s[v];
    }
    case ThreadKind::closing: {
        static const char* s[] = {"FG-DPM deliverables transmitted to SG20", "Thank you and farewell",
                                  "Final texts of the FG-DPM deliverables are now online",
                                  "Closure of the FG-DPM mailing lists on 31 August 2019", ""};
        const size_t v = th.variant % std::size(s);
        return v == 4 ? wg + ": last words from the co-chair" : s[v];
    }
    case ThreadKind::discussion:
        break;
    }
    const Person& author = ctx.pop.persons[root.author];
    std::vector<std::string_view> ref_t, plain_t;
    auto split = [&](const auto& arr) {
        for (std::string_view s : arr)
            (s.find("{ref}") != std::string_view::npos ? ref_t : plain_t).push_back(s);
    };
    const uint64_t r = rng.below(100);
    using bank::Style;
    if (author.style == Style::chinese && r < 25) split(bank::k_subjects_cn);
    else if (author.style == Style::arabic && r < 25) split(bank::k_subjects_ar);
    else if (author.style == Style::french && r < 30) split(bank::k_subjects_fr);
    else if (author.style == Style::german && r < 25) split(bank::k_subjects_de);
    else {
        split(bank::k_subjects_ref);
        split(bank::k_subjects_plain);
    }
    Vars v;
    v.wg = wg;
    v.date = long_date(root.t + rng.range(3, 10) * 86400);
    const Meeting& nm = next_meeting(reg, root.t);
    v.city = nm.city;
    v.mtg = ordinal(nm.number);
    Writer w(ctx, rng, mentions);
    if (th.deliv >= 0 && !ref_t.empty() && rng.chance(75, 100)) {
        v.ref = th.deliv;
        v.kind = choose_kind(rng, reg, reg.deliverables[static_cast<size_t>(th.deliv)], root.t, true);
        return w.expand(ref_t[rng.below(ref_t.size())], v);
    }
    if (plain_t.empty()) return "Comments";
    return w.expand(plain_t[rng.below(plain_t.size())], v);
}
} // namespace

std::string author_subject(const RenderContext& ctx, uint32_t msg, std::vector<Mention>* mentions) {
    const MsgPlan& m = ctx.plan.msgs[msg];
    std::string core = thread_subject(ctx, m.thread, mentions);
    if (m.parent < 0) return core;
    const Person& p = ctx.pop.persons[m.author];
    Rng rng(mix_seed(msg_seed(ctx, msg), k_salt_subject));
    std::string prefix = "Re: ";
    if (p.client == Client::outlook || p.client == Client::lotus || m.broken)
        prefix = (p.style == bank::Style::german && rng.chance(1, 2)) ? "AW: " : "RE: ";
    else if (p.client == Client::foxmail && rng.chance(1, 2))
        prefix = "\xE5\x9B\x9E\xE5\xA4\x8D: "; // "回复: "
    const ListInfo& home = ctx.reg.lists[ctx.plan.threads[m.thread].list];
    return prefix + "[" + home.tag + "] " + core;
}

std::string own_text(const RenderContext& ctx, uint32_t msg, const MsgTraits& traits,
                     std::vector<Mention>* mentions) {
    // The cache may only answer when nobody needs the mentions of this call.
    if (ctx.own_cache && !mentions && !(*ctx.own_cache)[msg].empty()) return (*ctx.own_cache)[msg];
    std::string text = BodyBuilder(ctx, msg, traits, mentions).build();
    if (ctx.own_cache) (*ctx.own_cache)[msg] = text;
    return text;
}

std::string full_text(const RenderContext& ctx, uint32_t msg, const MsgTraits& traits,
                      std::vector<Mention>* mentions) {
    const MsgPlan& m = ctx.plan.msgs[msg];
    std::string own = own_text(ctx, msg, traits, mentions);
    if (m.parent < 0) return own;
    Rng rng(mix_seed(traits.seed, k_salt_quote));
    if (m.broken && rng.chance(1, 2)) return own; // no quote at all
    const uint32_t pi = static_cast<uint32_t>(m.parent);
    const MsgPlan& parent = ctx.plan.msgs[pi];
    const std::string ptext = ctx.own_cache && !(*ctx.own_cache)[pi].empty()
                                  ? (*ctx.own_cache)[pi]
                                  : own_text(ctx, pi, msg_traits(ctx, pi), nullptr);
    const Person& me = ctx.pop.persons[m.author];
    std::string quoted;
    auto quote_line = [&](std::string_view line) {
        quoted += line.empty() ? ">\n" : "> " + std::string(line) + "\n";
    };
    if (me.client == Client::outlook) {
        const Civil c = civil_from_time(parent.t + m.tz * 60);
        static const char* days[] = {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"};
        const int h12 = c.hour % 12 == 0 ? 12 : c.hour % 12;
        std::string mm;
        append_2d(mm, c.minute);
        quote_line("-----Original Message-----");
        quote_line("From: " + display_name(ctx, parent.author, false) + " [mailto:" +
                   ctx.pop.addrs[parent.from_addr].addr + "]");
        quote_line(std::string("Sent: ") + days[c.weekday] + ", " + k_month_long[c.month - 1] + " " +
                   std::to_string(c.day) + ", " + std::to_string(c.year) + " " + std::to_string(h12) + ":" +
                   mm + (c.hour < 12 ? " AM" : " PM"));
        quote_line("To: " + ctx.reg.lists[ctx.plan.threads[m.thread].list].address);
        quote_line("Subject: " + author_subject(ctx, pi, nullptr));
        quote_line("");
    } else if (me.client == Client::apple) {
        const Civil c = civil_from_time(parent.t + m.tz * 60);
        std::string hm;
        append_2d(hm, c.hour);
        hm += ':';
        append_2d(hm, c.minute);
        quote_line("On " + std::to_string(c.day) + " " + k_month_names[c.month - 1] + " " +
                   std::to_string(c.year) + ", at " + hm + ", " + display_name(ctx, parent.author, false) +
                   " <" + ctx.pop.addrs[parent.from_addr].addr + "> wrote:");
        quote_line("");
    }
    size_t start = 0;
    while (start < ptext.size()) {
        size_t nl = ptext.find('\n', start);
        if (nl == std::string::npos) nl = ptext.size();
        quote_line(std::string_view(ptext).substr(start, nl - start));
        start = nl + 1;
    }
    while (quoted.size() >= 2 && quoted.compare(quoted.size() - 2, 2, ">\n") == 0 &&
           (quoted.size() == 2 || quoted[quoted.size() - 3] == '\n'))
        quoted.resize(quoted.size() - 2);
    const std::string attr = attribution(ctx, m, parent, rng);
    if (me.client == Client::thunderbird) return attr + quoted + "\n" + own; // bottom-posting
    return own + "\n" + attr + quoted;
}

} // namespace sample_gen::detail
