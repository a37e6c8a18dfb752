// Fuzz harness for the registry files of lib/registry (registry.hpp): the
// input is parsed as lists.tsv, deliverables.tsv and meetings.tsv, its lines
// as document identifiers (parse_doc_id, normalise_doc_id), and the whole as
// text in which deliverable mentions are looked for (find_mentions, with a
// small fixed registry, in the three contexts).
//
// Invariants checked (registry.hpp and extract.hpp are the contract):
//  - no exception; errors are Errc::bad_input and name the file first;
//  - accepted files hold at least one record, and each record obeys the
//    validation rules: list names of [a-z0-9._-], wg 0..99, unique names;
//    deliverable ids canonical (format_doc_id(parse_doc_id(id)) == id) with
//    the id's wg; meetings numbered >= 1 with start <= end and doc ranges
//    first <= last;
//  - a parsed identifier formats to a canonical form that parses back to the
//    same identifier, and normalise_doc_id is idempotent;
//  - mentions lie inside the text, in text order, match the bytes at their
//    offset, and name a deliverable of the registry.
#pragma once

#include "fuzz/harness_common.hpp"
#include "registry/extract.hpp"
#include "registry/registry.hpp"

#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace mlarc::fuzz {
namespace registry_harness {

inline constexpr std::string_view kDeliverables =
    "id\twg\tshort_name\ttitle\toutput_doc\n"
    "D0.1\t0\tTerms\tBaseline terms and definitions\tFG-DPM-O-172-R2\n"
    "D3.2\t3\tBlockchain\tBlockchain-based data management\tFG-DPM-O-156\n";

template <typename T>
inline void check_error(const Result<T>& r, std::string_view file, Verdict& v) {
    if (r.ok()) return;
    v.expect(r.error().code == Errc::bad_input, "a registry error that is not Errc::bad_input");
    if (r.error().message.rfind(std::string(file), 0) != 0)
        v.fail("a registry error that does not name the file first: " + excerpt(r.error().message));
}

inline bool same_id(const DocId& a, const DocId& b) {
    return a.type == b.type && a.wg == b.wg && a.n == b.n && a.number == b.number && a.revision == b.revision;
}

inline void check_doc_id(std::string_view text, Verdict& v) {
    const auto id = parse_doc_id(text);
    const std::string norm = normalise_doc_id(text);
    if (!id) {
        v.expect(norm.empty(), "normalise_doc_id gave a form for a text parse_doc_id refuses");
        return;
    }
    const std::string canonical = format_doc_id(*id);
    v.expect(norm == canonical, "normalise_doc_id differs from format_doc_id(parse_doc_id())");
    const auto back = parse_doc_id(canonical);
    if (!back || !same_id(*back, *id))
        v.fail("format_doc_id output \"" + excerpt(canonical) + "\" does not parse back to the same id");
    v.expect(normalise_doc_id(norm) == norm, "normalise_doc_id is not idempotent");
}

} // namespace registry_harness

inline Verdict run_registry(std::string_view input) {
    using namespace registry_harness;
    Verdict v;

    auto lists = parse_lists(input, "lists.tsv");
    check_error(lists, "lists.tsv", v);
    if (lists.ok()) {
        v.expect(!lists->empty(), "lists.tsv accepted without a record");
        std::set<std::string> names;
        for (const ListEntry& l : *lists) {
            v.expect(!l.name.empty() && l.name.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789._-") ==
                                            std::string::npos,
                     "a list name outside [a-z0-9._-] was accepted");
            v.expect(l.wg >= 0 && l.wg <= 99, "a list wg outside 0..99 was accepted");
            v.expect(names.insert(l.name).second, "a list name given twice was accepted");
        }
    }

    auto deliverables = parse_deliverables(input, "deliverables.tsv");
    check_error(deliverables, "deliverables.tsv", v);
    if (deliverables.ok()) {
        v.expect(!deliverables->empty(), "deliverables.tsv accepted without a record");
        for (const Deliverable& d : *deliverables) {
            const auto id = parse_doc_id(d.id);
            v.expect(id && id->type == DocId::Type::deliverable && format_doc_id(*id) == d.id,
                     "a deliverable id not in canonical form was accepted");
            v.expect(!id || id->wg == d.wg, "a deliverable whose wg differs from its id's was accepted");
        }
    }

    auto meetings = parse_meetings(input, "meetings.tsv");
    check_error(meetings, "meetings.tsv", v);
    if (meetings.ok()) {
        v.expect(!meetings->empty(), "meetings.tsv accepted without a record");
        for (const Meeting& m : *meetings) {
            v.expect(m.number >= 1, "a meeting number below 1 was accepted");
            v.expect(m.start <= m.end, "a meeting ending before it starts was accepted");
            v.expect(m.input_docs.first <= m.input_docs.last && m.output_docs.first <= m.output_docs.last,
                     "a document range with first > last was accepted");
            v.expect(m.participants >= 0, "a negative participant count was accepted");
        }
    }

    // Identifiers: every line (at most 64) on its own.
    size_t lines = 0;
    for (size_t pos = 0; pos <= input.size() && lines < 64; ++lines) {
        const size_t nl = input.find('\n', pos);
        check_doc_id(input.substr(pos, nl == std::string_view::npos ? nl : nl - pos), v);
        if (nl == std::string_view::npos) break;
        pos = nl + 1;
    }

    static const std::vector<Deliverable> registry = [] {
        auto r = parse_deliverables(kDeliverables, "fixed");
        return r.ok() ? *r : std::vector<Deliverable>{};
    }();
    v.expect(!registry.empty(), "the harness's fixed deliverables do not parse");
    for (MentionContext ctx : {MentionContext::subject, MentionContext::body, MentionContext::attachment_name}) {
        size_t prev = 0;
        for (const Mention& m : find_mentions(input, registry, ctx)) {
            v.expect(m.offset >= prev, "mentions out of text order");
            v.expect(m.offset <= input.size() && m.text.size() <= input.size() - m.offset,
                     "a mention beyond the end of the text");
            if (!v.ok()) return v;
            v.expect(input.substr(m.offset, m.text.size()) == m.text, "mention text differs from the text at its offset");
            bool known = false;
            for (const Deliverable& d : registry)
                known = known || d.id == m.deliverable_id;
            v.expect(known, "a mention of a deliverable not in the registry");
            prev = m.offset;
        }
    }
    return v;
}

} // namespace mlarc::fuzz
