// Tests of registry/extract: every mention form on the real registry, the
// negative cases (versions, sections, clauses, dates, IP-like numbers, glued
// letters, quoted lines, unknown ids), title matching, revisions, the context
// rule of "O-nnn", identifier normalisation and linear-time behaviour.
#include "test_support.hpp"

#include "registry/extract.hpp"

#include <chrono>
#include <string>
#include <vector>

using namespace mlarc;

namespace {

const std::vector<Deliverable>& fgdpm() {
    static const std::vector<Deliverable> reg = [] {
        auto r = load_deliverables(default_registry_dir() / "deliverables.tsv");
        if (!r) FAIL(r.error().what());
        return std::move(r).value();
    }();
    return reg;
}

std::vector<Mention> scan(const std::string& text, MentionContext ctx = MentionContext::body) {
    return find_mentions(text, fgdpm(), ctx);
}

/// "D3.2 id 'D3.2' @0" for each mention, to compare whole results at once.
std::vector<std::string> described(const std::string& text,
                                   MentionContext ctx = MentionContext::body) {
    std::vector<std::string> out;
    for (const Mention& m : scan(text, ctx))
        out.push_back(m.deliverable_id + " " + std::string(mention_kind_name(m.kind)) + " '" +
                      m.text + "' @" + std::to_string(m.offset) +
                      (m.revision ? " r" + std::to_string(m.revision) : std::string()));
    return out;
}

using Strings = std::vector<std::string>;

} // namespace

TEST_CASE("deliverable ids: D3.2 d3.2 D 3.2 Deliverable D3.2", "[extract]") {
    CHECK(described("D3.2") == Strings{"D3.2 id 'D3.2' @0"});
    CHECK(described("Comments on D3.2.") == Strings{"D3.2 id 'D3.2' @12"});
    CHECK(described("see d3.2, thanks") == Strings{"D3.2 id 'd3.2' @4"});
    CHECK(described("D 3.2: editing session") == Strings{"D3.2 spaced 'D 3.2' @0"});
    CHECK(described("Deliverable D3.2 - resolution") == Strings{"D3.2 id 'Deliverable D3.2' @0"});
    CHECK(described("the Deliverable D 3.2") == Strings{"D3.2 spaced 'Deliverable D 3.2' @4"});
    CHECK(described("(D0.1)") == Strings{"D0.1 id 'D0.1' @1"});
    CHECK(described("D3.1/D3.3") == Strings{"D3.1 id 'D3.1' @0", "D3.3 id 'D3.3' @5"});
    CHECK(described("D5.4's scope") == Strings{"D5.4 id 'D5.4' @0"});
}

TEST_CASE("the word form: deliverable 3.2 and lists after 'deliverables'", "[extract]") {
    CHECK(described("on deliverable 3.2 we") == Strings{"D3.2 word 'deliverable 3.2' @3"});
    CHECK(described("DELIVERABLE 3.2") == Strings{"D3.2 word 'DELIVERABLE 3.2' @0"});
    CHECK(described("comments on deliverable\n3.2 attached") ==
          Strings{"D3.2 word 'deliverable\n3.2' @12"});
    CHECK(described("deliverables 3.1 and 3.2") ==
          Strings{"D3.1 word 'deliverables 3.1' @0", "D3.2 word '3.2' @21"});
    CHECK(described("deliverables D3.1, D3.2 & D3.4.") ==
          Strings{"D3.1 id 'deliverables D3.1' @0", "D3.2 id 'D3.2' @19", "D3.4 id 'D3.4' @26"});
    CHECK(described("Deliverables 3.1, 3.3, and 3.4 are late") ==
          Strings{"D3.1 word 'Deliverables 3.1' @0", "D3.3 word '3.3' @18", "D3.4 word '3.4' @27"});
    CHECK(described("deliverables 3.1 or 9.9 or 3.2") ==
          Strings{"D3.1 word 'deliverables 3.1' @0", "D3.2 word '3.2' @27"});
    // Singular: no list; a list stops at anything else.
    CHECK(described("deliverable 3.1 and 3.2") == Strings{"D3.1 word 'deliverable 3.1' @0"});
    CHECK(described("deliverables 3.1 and section 3.2") ==
          Strings{"D3.1 word 'deliverables 3.1' @0"});
}

TEST_CASE("output documents: FG-DPM-O-nnn with revisions normalised", "[extract]") {
    CHECK(described("see FG-DPM-O-156.") == Strings{"D3.2 output_doc 'FG-DPM-O-156' @4"});
    CHECK(described("FG-DPM-O-172-R2") == Strings{"D0.1 output_doc 'FG-DPM-O-172-R2' @0 r2"});
    CHECK(described("FG-DPM-O-172R2") == Strings{"D0.1 output_doc 'FG-DPM-O-172R2' @0 r2"});
    CHECK(described("FGDPM-O-172") == Strings{"D0.1 output_doc 'FGDPM-O-172' @0"});
    CHECK(described("fg-dpm-o-172-r1") == Strings{"D0.1 output_doc 'fg-dpm-o-172-r1' @0 r1"});
    CHECK(described("FG-DPM-O-172-Rev.3") == Strings{"D0.1 output_doc 'FG-DPM-O-172-Rev.3' @0 r3"});
    CHECK(described("FG-DPM O-156") == Strings{"D3.2 output_doc 'FG-DPM O-156' @0"});
    CHECK(described("FG-DPM-O-156-R1-Sensing") ==
          Strings{"D3.2 output_doc 'FG-DPM-O-156-R1' @0 r1"});
    CHECK(described("FG_DPM_O_156_R1.docx", MentionContext::attachment_name) ==
          Strings{"D3.2 output_doc 'FG_DPM_O_156_R1' @0 r1"});
    // Input documents and unknown outputs name no deliverable.
    CHECK(scan("FG-DPM-I-156 and FG-DPM-O-999").empty());
    CHECK(scan("FG-DPM-O-1560").empty());
    CHECK(scan("FG-DPM-O-156x").empty());
}

TEST_CASE("short output documents need a document context", "[extract]") {
    // Cue words.
    CHECK(described("For the agreed structure, see O-156.") ==
          Strings{"D3.2 short_output_doc 'O-156' @30"});
    CHECK(described("The baseline text (see O-172-R2).") ==
          Strings{"D0.1 short_output_doc 'O-172-R2' @23 r2"});
    CHECK(described("The definitions are already in O-172, so") ==
          Strings{"D0.1 short_output_doc 'O-172' @31"});
    CHECK(described("output document O-156") == Strings{"D3.2 short_output_doc 'O-156' @16"});
    CHECK(described("see also O-156") == Strings{"D3.2 short_output_doc 'O-156' @9"});
    // FG-DPM anywhere in the text, including a list tag.
    CHECK(described("O-156 is fine.\nRegards, FG-DPM secretariat") ==
          Strings{"D3.2 short_output_doc 'O-156' @0"});
    CHECK(described("[Fgdpmwg3] O-156 comments", MentionContext::subject) ==
          Strings{"D3.2 short_output_doc 'O-156' @11"});
    // Another document id on the same line.
    CHECK(described("O-155, O-156") ==
          Strings{"D3.1 short_output_doc 'O-155' @0", "D3.2 short_output_doc 'O-156' @7"});
    CHECK(described("D3.2 is O-156") ==
          Strings{"D3.2 id 'D3.2' @0", "D3.2 short_output_doc 'O-156' @8"});
    // Attachment names are document names.
    CHECK(described("O-156-R1.docx", MentionContext::attachment_name) ==
          Strings{"D3.2 short_output_doc 'O-156-R1' @0 r1"});

    // No context.
    CHECK(scan("O-156 is fine").empty());
    CHECK(scan("O-156 is fine", MentionContext::subject).empty());
    CHECK(scan("O-155\nO-156").empty()); // different lines, no cue
    CHECK(scan("see o-156").empty());    // lower-case o
    CHECK(scan("see ISO-156 and PO-156").empty());
    CHECK(scan("see O-1566").empty());
    CHECK(scan("see O-999").empty()); // not a registry output document
}

TEST_CASE("titles: full titles only and case-insensitive with flexible separators", "[extract]") {
    CHECK(described("Comments on SensorThings API - Sensing.") ==
          Strings{"D3.2 title 'SensorThings API - Sensing' @12"});
    CHECK(described("\"sensorthings api \xE2\x80\x93 sensing\"") ==
          Strings{"D3.2 title 'sensorthings api \xE2\x80\x93 sensing' @1"});
    CHECK(described("SensorThings API: Tasking") ==
          Strings{"D3.3 title 'SensorThings API: Tasking' @0"});
    CHECK(described("SensorThings API (Tasking)") ==
          Strings{"D3.3 title 'SensorThings API (Tasking' @0"});
    CHECK(described("the SensorThings API -\nSensing draft") ==
          Strings{"D3.2 title 'SensorThings API -\nSensing' @4"});
    CHECK(described("Overview of blockchain for supporting IoT and SC&C in DPM aspects") ==
          Strings{
              "D3.4 title 'Overview of blockchain for supporting IoT and SC&C in DPM aspects' @0"});
    CHECK(described("\xE5\x85\xB3\xE4\xBA\x8E"
                    "Technical framework for PII management systems") ==
          Strings{"D4.3 title 'Technical framework for PII management systems' @6"});
    // Two titles sharing a prefix: each full title maps to its own deliverable.
    CHECK(
        described(
            "Data processing and management framework for IoT and smart cities and communities") ==
        Strings{"D2.1 title 'Data processing and management framework for IoT and smart cities and "
                "communities' @0"});

    // The shared bare prefix, near misses and short names match nothing.
    CHECK(scan("We implement the SensorThings API in our platform.").empty());
    CHECK(scan("SensorThings API - Sensingx").empty());
    CHECK(scan("SensorThingsAPI - Sensing").empty());
    CHECK(scan("SensorThings API\n\nSensing").empty());                // paragraph break
    CHECK(scan("SensorThings API -                 Sensing").empty()); // gap too long
    CHECK(scan("Use cases and requirements; data quality; blockchain overview").empty());
}

TEST_CASE("CJK and attachment names: boundaries other than spaces", "[extract]") {
    CHECK(described("\xE5\x85\xB3\xE4\xBA\x8E"
                    "D3.2"
                    "\xE8\x8D\x89\xE6\xA1\x88") == Strings{"D3.2 id 'D3.2' @6"});
    CHECK(described("FG-DPM_D3.2_draft_v3.2.docx", MentionContext::attachment_name) ==
          Strings{"D3.2 id 'D3.2' @7"});
    CHECK(described("D3.2.docx", MentionContext::attachment_name) == Strings{"D3.2 id 'D3.2' @0"});
    CHECK(described("Deliverable_3.2.docx", MentionContext::attachment_name) ==
          Strings{"D3.2 word 'Deliverable_3.2' @0"});
    CHECK(described("D_3.2.pdf", MentionContext::attachment_name) ==
          Strings{"D3.2 spaced 'D_3.2' @0"});
    CHECK(scan("Deliverable_3.2.docx", MentionContext::body).empty());
}

TEST_CASE("negative cases: bare numbers and glued letters and sub-clauses and unknown ids",
          "[extract]") {
    const char* negatives[] = {
        "The template we used is v3.2, please use the same one.",
        "We tested with version 3.2 of the reference software.",
        "The scripts require Python 3.2 or later.",
        "As explained in section 3.2 of the contribution, the model has three layers.",
        "I suggest to move clause 3.2 to an annex.",
        "The definition in \xC2\xA7"
        "3.2 of the ISO text is slightly different.",
        "The minutes of the call on 3.2.2018 are attached.",
        "The test server is reachable at 10.3.2.1 from the meeting network.",
        "D3.2.1 is a clause",
        "see D3.2.2018",
        "ID3.2 and HD3.2 and HD 3.2 and xD3.2 and 3D3.2",
        "D3.2a D3.21 D03.2.1",
        "D9.9 and deliverable 9.9 and D 9.9",
        "deliverable v3.2, deliverable 3.2.1, deliverable3.2",
        "See Annex D 3.2 and Appendix D3.2, Table D3.2",
        "d 3.2 (a lone lower-case d)",
        "D  \t 3.2 (too many blanks)",
        "D\n3.2",
        "3.2",
    };
    for (const char* text : negatives) {
        INFO(text);
        CHECK(scan(text).empty());
        CHECK(scan(text, MentionContext::subject).empty());
    }
}

TEST_CASE("quoted reply lines are skipped in bodies", "[extract]") {
    CHECK(scan("> D3.2 is late\n>> FG-DPM-O-156\n").empty());
    CHECK(scan("  > D3.2 is late").empty());
    CHECK(described("On Monday Bob wrote:\n> D3.1 first\nI agree on D3.2\n> D3.3\n") ==
          Strings{"D3.2 id 'D3.2' @45"});
    CHECK(described("D3.2 > D3.1") == Strings{"D3.2 id 'D3.2' @0", "D3.1 id 'D3.1' @7"});
    // A multi-line match never continues into a quoted line.
    CHECK(scan("see deliverable\n> 3.2").empty());
    CHECK(scan("SensorThings API -\n> Sensing").empty());
    // FG-DPM inside a quote gives no context to an unquoted O-nnn.
    CHECK(scan("> FG-DPM\nO-156 is fine").empty());
    // Subjects and attachment names are never treated as quoted.
    CHECK(described("> D3.2", MentionContext::subject) == Strings{"D3.2 id 'D3.2' @2"});
}

TEST_CASE("Outlook-style quoted tails and reply attributions are not the author's words",
          "[extract]") {
    // Everything below "-----Original Message-----" is the quoted message.
    CHECK(described("I agree on D3.2.\n\n-----Original Message-----\nFrom: Bob [mailto:b@x.org]\n"
                    "Sent: Monday, May 7, 2018 10:00 AM\nSubject: D3.3 draft\n\nD3.4 is late\n") ==
          Strings{"D3.2 id 'D3.2' @11"});
    CHECK(described("ok\n  ----- original message -----  \nD3.4").empty());
    // An underscore rule followed by From:, or From: directly followed by Sent:.
    CHECK(described("D3.1 yes\n________________________________\nFrom: Bob\nD3.4\n") ==
          Strings{"D3.1 id 'D3.1' @0"});
    CHECK(described("D3.1 yes\nFrom: Bob Smith\nSent: Monday\nD3.4\n") == Strings{"D3.1 id 'D3.1' @0"});
    // Not a tail: a From: line alone, an underscore rule alone, a dash rule alone.
    CHECK(scan("From: the D3.2 editors\nD3.4\n").size() == 2);
    CHECK(scan("D3.1\n__________\nD3.4\n").size() == 2);
    CHECK(scan("D3.1\n-----\nD3.4\n").size() == 2);
    // Attributions, on one line or wrapped with a date on the first.
    CHECK(scan("On 3 May 2018, at 10:00, Ann <a@b.org> wrote about D3.2 and wrote:\n").empty());
    CHECK(described("On Tue, May 3, 2018 at 10:00 AM D3.2 Editor <ed@x.org>\nwrote:\nD3.4 next\n") ==
          Strings{"D3.4 id 'D3.4' @62"});
    // Without a year the first line is the author's: "On D3.2 ..." is kept.
    CHECK(described("On D3.2 I think we should follow\nwhat Bob wrote:\n") == Strings{"D3.2 id 'D3.2' @3"});
    // Subjects are never cut.
    CHECK(scan("-----Original Message----- D3.2", MentionContext::subject).size() == 1);
}

TEST_CASE("a realistic body: several forms and each occurrence reported in order", "[extract]") {
    const std::string body = "Dear all,\n\n"
                             "Please find attached the updated draft of D 3.3.\n"
                             "The baseline text is the output of the last meeting (see O-156).\n"
                             "We tested with version 3.2 of the reference software.\n"
                             "> I have some comments on deliverable 3.4.\n"
                             "Outputs:\n - D3.2: SensorThings API - Sensing (FG-DPM-O-156)\n";
    std::vector<std::string> ids;
    for (const Mention& m : scan(body)) {
        ids.push_back(m.deliverable_id + ":" + std::string(mention_kind_name(m.kind)));
        CHECK(body.substr(m.offset, m.text.size()) == m.text);
    }
    CHECK(ids == Strings{"D3.3:spaced", "D3.2:short_output_doc", "D3.2:id", "D3.2:title",
                         "D3.2:output_doc"});
}

TEST_CASE("only registry ids count and a hand-built registry works", "[extract]") {
    std::vector<Deliverable> reg(1);
    reg[0].id = "D1.1";
    reg[0].title = "Widgets";
    reg[0].output_doc = "FG-DPM-O-010";
    const auto found = find_mentions("D1.1 D3.2 FG-DPM-O-10 widgets", reg, MentionContext::body);
    REQUIRE(found.size() == 3);
    CHECK(found[0].kind == MentionKind::id);
    CHECK(found[1].kind == MentionKind::output_doc);
    CHECK(found[1].text == "FG-DPM-O-10");
    CHECK(found[2].kind == MentionKind::title);
    CHECK(find_mentions("D1.1", {}, MentionContext::body).empty());
}

TEST_CASE("normalise_doc_id and parse_doc_id", "[extract]") {
    CHECK(normalise_doc_id("d 3.2") == "D3.2");
    CHECK(normalise_doc_id(" D3.2 ") == "D3.2");
    CHECK(normalise_doc_id("D_3.2") == "D3.2");
    CHECK(normalise_doc_id("Deliverable 3.2") == "D3.2");
    CHECK(normalise_doc_id("deliverable D 3.2") == "D3.2");
    CHECK(normalise_doc_id("fg-dpm-o-172r2") == "FG-DPM-O-172-R2");
    CHECK(normalise_doc_id("FG-DPM-O-172-R2") == "FG-DPM-O-172-R2");
    CHECK(normalise_doc_id("FGDPM-O-172") == "FG-DPM-O-172");
    CHECK(normalise_doc_id("fg_dpm_o_56_rev.1") == "FG-DPM-O-056-R1");
    CHECK(normalise_doc_id("O-156") == "FG-DPM-O-156");
    CHECK(normalise_doc_id("o-156") == "FG-DPM-O-156");
    CHECK(normalise_doc_id("FG-DPM-I-41") == "FG-DPM-I-041");
    for (const char* bad : {"", "3.2", "D3.2.1", "D3", "v3.2", "FG-DPM", "FG-DPM-O-", "O156",
                            "D3.2 extra", "section 3.2", "deliverable", "FG-DPM-X-156"}) {
        INFO(bad);
        CHECK(normalise_doc_id(bad).empty());
    }
    const auto id = parse_doc_id("FG-DPM-O-172-R2");
    REQUIRE(id);
    CHECK(id->type == DocId::Type::output_doc);
    CHECK(id->number == 172);
    CHECK(id->revision == 2);
    CHECK(mention_kind_name(MentionKind::short_output_doc) == "short_output_doc");
    CHECK(mention_kind_name(MentionKind::title) == "title");
}

// Hidden ("[.linear]"): run as its own ctest entry whose TIMEOUT (far above
// the linear cost of these megabyte inputs, also under ASan, far below a
// quadratic one) catches a super-linear scan; no wall-clock assertion here.
TEST_CASE("scanning is linear and needs no deep recursion", "[extract][.linear]") {
    const auto timed = [](const std::string& text) { return scan(text).size(); };
    std::string many;
    for (int i = 0; i < 100000; ++i)
        many += "D3.2 ";
    CHECK(timed(many) == 100000);
    CHECK(timed(std::string(2000000, 'D')) == 0);
    CHECK(timed(std::string(2000000, '1')) == 0);
    std::string dots;
    for (int i = 0; i < 300000; ++i)
        dots += "3.";
    CHECK(timed(dots) == 0);
    std::string words;
    for (int i = 0; i < 100000; ++i)
        words += "deliverables SensorThings API O-1 FG-DPM ";
    CHECK(timed(words) == 0);
    std::string quoted;
    for (int i = 0; i < 200000; ++i)
        quoted += "> D3.2\n";
    CHECK(timed(quoted) == 0);
}
