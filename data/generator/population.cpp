// Purpose: the people of the synthetic FG-DPM archive. It builds persons with
// names, organisations, mail clients and time zones. It also builds their
// addresses and the lists each address is subscribed to. Exactly
// k_subscribers (732) distinct addresses, compared case-insensitively, are
// subscribed in the latest roster snapshots. It picks the office holders (TSB
// secretariat, chairs, editors) and the posting weights too. write_rosters()
// exports the subscriptions the way list owners send them: Mailman
// `list_members` text files for some lists, and CSV exports for others. Two
// lists also get an older snapshot.
#include "model.hpp"

#include <algorithm>
#include <bit>
#include <fstream>
#include <stdexcept>
#include <unordered_set>

namespace sample_gen {
namespace {

using bank::Style;

const bank::NameBank& name_bank(Style s) {
    for (const auto& b : bank::k_name_banks)
        if (b.style == s) return b;
    return bank::k_name_banks[0];
}

struct StyleZone {
    int tz;
    bank::Dst dst;
};
StyleZone zone_of_style(Style s) {
    switch (s) {
    case Style::chinese: return {480, bank::Dst::none};
    case Style::korean:
    case Style::japanese: return {540, bank::Dst::none};
    case Style::arabic: return {240, bank::Dst::none};
    case Style::indian: return {330, bank::Dst::none};
    case Style::russian: return {180, bank::Dst::none};
    case Style::african: return {60, bank::Dst::none};
    case Style::english: return {0, bank::Dst::eu};
    default: return {60, bank::Dst::eu};
    }
}

/// ASCII local-part spelling of a UTF-8 Latin name part ("Müller" -> "mueller").
std::string transliterate(std::string_view utf8) {
    std::string out;
    for (size_t i = 0; i < utf8.size();) {
        const unsigned char c = static_cast<unsigned char>(utf8[i]);
        const size_t n = utf8_len(c);
        if (n == 1) {
            if (is_alnum(c)) out += static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
            else if (c == '-') out += '-';
            ++i;
            continue;
        }
        unsigned cp = 0;
        if (n == 2 && i + 1 < utf8.size())
            cp = ((c & 0x1Fu) << 6) | (static_cast<unsigned char>(utf8[i + 1]) & 0x3Fu);
        switch (cp) {
        case 0xFC: case 0xDC: out += "ue"; break;
        case 0xF6: case 0xD6: out += "oe"; break;
        case 0xE4: case 0xC4: out += "ae"; break;
        case 0xDF: out += "ss"; break;
        case 0xE9: case 0xE8: case 0xEA: case 0xEB: case 0xC9: out += 'e'; break;
        case 0xE0: case 0xE1: case 0xE2: case 0xE3: out += 'a'; break;
        case 0xE7: out += 'c'; break;
        case 0xED: case 0xEE: case 0xEF: out += 'i'; break;
        case 0xF3: case 0xF4: case 0xF5: out += 'o'; break;
        case 0xF1: out += 'n'; break;
        case 0xFA: out += 'u'; break;
        default: break;
        }
        i += n;
    }
    return out;
}

/// "john.smith@example.org" -> "John.Smith@Example.org".
std::string cased_variant(std::string_view lower) {
    std::string out(lower);
    bool word_start = true;
    const size_t at = out.find('@');
    for (size_t i = 0; i < out.size(); ++i) {
        const char ch = out[i];
        if (ch >= 'a' && ch <= 'z') {
            if (word_start && (i < at || i == at + 1)) out[i] = static_cast<char>(ch - 32);
            word_start = false;
        } else {
            word_start = ch == '.' || ch == '-' || ch == '_' || ch == '@';
            if (i > at && ch == '.') word_start = false; // only the first domain label
        }
    }
    return out;
}

class Builder {
  public:
    Builder(const Registry& reg, uint64_t seed) : reg_(reg), rng_(mix_seed(seed, 0x9E09)) {}

    Population build();

  private:
    uint32_t add_address(uint32_t person, std::string local, std::string_view domain) {
        std::string lower = local + "@" + std::string(domain);
        for (int n = 2; used_.count(lower); ++n)
            lower = local + std::to_string(n) + "@" + std::string(domain);
        used_.insert(lower);
        Address a;
        a.addr = lower;
        a.lower = lower;
        a.person = person;
        pop_.addrs.push_back(std::move(a));
        return static_cast<uint32_t>(pop_.addrs.size() - 1);
    }
    std::string local_part(const Person& p, bank::AddrStyle st) {
        const std::string g = transliterate(p.given), f = transliterate(p.family);
        using A = bank::AddrStyle;
        switch (st) {
        case A::first_dot_last: return g + "." + f;
        case A::flast: return g.substr(0, 1) + f;
        case A::lastfirst: return f + g;
        case A::first_under_last: return g + "_" + f;
        case A::lastfirst_digits:
            return rng_.chance(6, 10) ? f + g + std::to_string(rng_.range(1, 99)) : f + g;
        case A::last_initials: return f + g.substr(0, 1) + g.substr(g.size() / 2, 1);
        case A::f_dash_last: return g.substr(0, 1) + "-" + f;
        }
        return g + "." + f;
    }
    uint32_t new_person(int org, Style style);
    uint8_t draw_wg_mask();
    const Registry& reg_;
    Rng rng_;
    Population pop_;
    std::unordered_set<std::string> used_;
};

uint32_t Builder::new_person(int org, Style style) {
    Person p;
    p.org = org;
    p.style = style;
    const auto& nb = name_bank(style);
    const auto& g = nb.given[rng_.below(nb.n_given)];
    const auto& f = nb.family[rng_.below(nb.n_family)];
    p.given = std::string(g.latin);
    p.family = std::string(f.latin);
    if (!g.native.empty() && !f.native.empty()) {
        p.native = nb.family_first_native ? std::string(f.native) + std::string(g.native)
                                          : std::string(g.native) + " " + std::string(f.native);
    }
    const uint64_t c = rng_.below(100);
    using C = Client;
    if (c < 4) p.client = C::lotus;
    else if (style == Style::chinese) p.client = c < 35 ? C::foxmail : c < 75 ? C::outlook : c < 90 ? C::gmail : C::apple;
    else if (style == Style::korean || style == Style::japanese) p.client = c < 55 ? C::outlook : c < 75 ? C::gmail : c < 90 ? C::apple : C::thunderbird;
    else if (style == Style::german || style == Style::french || style == Style::nordic) p.client = c < 40 ? C::thunderbird : c < 80 ? C::outlook : c < 90 ? C::gmail : C::apple;
    else p.client = c < 50 ? C::outlook : c < 80 ? C::gmail : c < 90 ? C::apple : C::thunderbird;
    p.job_title = std::string(rng_.pick(bank::k_titles));
    if (org >= 0) {
        const auto& o = bank::k_orgs[org];
        p.org_name = std::string(o.name);
        p.tz_std = o.tz_min;
        p.dst = o.dst;
    } else {
        p.org_name = "Independent expert";
        const auto z = zone_of_style(style);
        p.tz_std = z.tz;
        p.dst = z.dst;
    }
    pop_.persons.push_back(std::move(p));
    return static_cast<uint32_t>(pop_.persons.size() - 1);
}

uint8_t Builder::draw_wg_mask() {
    static const std::vector<uint32_t> wg_weights = {24, 20, 26, 15, 15};
    const size_t n_wg = reg_.lists.size() - 1;
    uint8_t mask = rng_.chance(88, 100) ? 1 : 0;
    uint64_t k = rng_.below(100);
    size_t want = k < 10 ? 0 : k < 55 ? 1 : k < 85 ? 2 : 3;
    if (mask == 0 && want == 0) want = 1;
    want = std::min(want, n_wg);
    std::vector<uint32_t> w(n_wg, 10);
    for (size_t i = 0; i < n_wg && i < wg_weights.size(); ++i)
        w[i] = wg_weights[i];
    for (size_t n = 0; n < want;) {
        uint64_t total = 0;
        for (auto x : w)
            total += x;
        const size_t i = rng_.weighted(w, total);
        mask = static_cast<uint8_t>(mask | (1u << (i + 1)));
        w[i] = 0;
        ++n;
    }
    return mask;
}

Population Builder::build() {
    const size_t n_lists = reg_.lists.size();
    const uint8_t all_lists = static_cast<uint8_t>((1u << n_lists) - 1);
    int subscribed = 0;

    // The TSB secretariat (functional address) and the ITU counsellor.
    {
        const uint32_t tsb = new_person(0, Style::english);
        Person& p = pop_.persons[tsb];
        p.given = "TSB";
        p.family = "FG-DPM";
        p.native.clear();
        p.client = Client::outlook;
        p.job_title = "Secretariat";
        p.primary = add_address(tsb, "tsbfgdpm", "itu.int");
        pop_.addrs[p.primary].lists = all_lists;
        pop_.tsb = tsb;
        ++subscribed;
        const uint32_t cns = new_person(0, Style::french);
        pop_.persons[cns].client = Client::outlook;
        pop_.persons[cns].job_title = "Counsellor, ITU-T SG20";
        pop_.persons[cns].primary =
            add_address(cns, local_part(pop_.persons[cns], bank::AddrStyle::first_dot_last), "itu.int");
        pop_.addrs[pop_.persons[cns].primary].lists = all_lists;
        ++subscribed;
    }

    std::vector<uint32_t> org_w;
    uint64_t org_total = 0;
    for (const auto& o : bank::k_orgs) {
        org_w.push_back(o.weight);
        org_total += o.weight;
    }
    auto provider_for = [&](Style s) -> std::string_view {
        std::vector<std::string_view> fit;
        for (const auto& pr : bank::k_providers)
            if (pr.style == s) fit.push_back(pr.domain);
        if (fit.empty() || rng_.chance(1, 3)) return "gmail.com";
        return fit[rng_.below(fit.size())];
    };
    auto personal_local = [&](const Person& p) {
        const std::string g = transliterate(p.given), f = transliterate(p.family);
        switch (rng_.below(3)) {
        case 0: return g + "." + f;
        case 1: return g + f + std::to_string(rng_.range(1960, 1995));
        default: return f + "." + g.substr(0, 1);
        }
    };

    // Regular subscribers, until exactly k_subscribers addresses are subscribed.
    while (subscribed < k_subscribers) {
        int org = -1;
        Style style = Style::english;
        if (rng_.chance(5, 100)) {
            style = bank::k_name_banks[rng_.below(std::size(bank::k_name_banks))].style;
        } else {
            org = static_cast<int>(rng_.weighted(org_w, org_total));
            style = bank::k_orgs[org].style;
            if (org == 0 || rng_.chance(12, 100)) // international staff
                style = bank::k_name_banks[rng_.below(std::size(bank::k_name_banks))].style;
        }
        const uint32_t pi = new_person(org, style);
        Person& p = pop_.persons[pi];
        if (org >= 0) {
            p.primary = add_address(pi, local_part(p, bank::k_orgs[org].addr), bank::k_orgs[org].domain);
        } else {
            p.primary = add_address(pi, personal_local(p), provider_for(style));
        }
        pop_.addrs[p.primary].lists = draw_wg_mask();
        ++subscribed;
        if (org >= 0 && rng_.chance(12, 100)) {
            const uint32_t sec = add_address(pi, personal_local(p), provider_for(style));
            pop_.persons[pi].secondary = static_cast<int32_t>(sec);
            if (rng_.chance(3, 10) && subscribed < k_subscribers) {
                // A private address kept on one working-group list.
                pop_.addrs[sec].lists = static_cast<uint8_t>(1u << rng_.range(1, static_cast<int64_t>(n_lists) - 1));
                ++subscribed;
            }
        }
    }
    const size_t n_subscriber_persons = pop_.persons.size();

    // Non-subscribers who post anyway (independent experts, guests).
    std::vector<uint32_t> outsiders;
    for (int i = 0; i < 6; ++i) {
        const Style style = bank::k_name_banks[rng_.below(std::size(bank::k_name_banks))].style;
        const uint32_t pi = new_person(-1, style);
        pop_.persons[pi].primary = add_address(pi, personal_local(pop_.persons[pi]), provider_for(style));
        outsiders.push_back(pi);
    }
    // People who unsubscribed before the end: only in old snapshots.
    std::vector<uint32_t> leavers;
    for (int i = 0; i < 14; ++i) {
        const int org = static_cast<int>(rng_.weighted(org_w, org_total));
        const uint32_t pi = new_person(org, bank::k_orgs[org].style);
        pop_.persons[pi].primary =
            add_address(pi, local_part(pop_.persons[pi], bank::k_orgs[org].addr), bank::k_orgs[org].domain);
        pop_.persons[pi].left_early = true;
        leavers.push_back(pi);
    }

    // Addresses written with different capitals on one of their lists, and a
    // few people whose client sends the capitalised form.
    {
        int cased = 0;
        for (size_t i = 2; i < pop_.addrs.size() && cased < 20; i += 1 + rng_.below(40)) {
            Address& a = pop_.addrs[i];
            if (std::popcount(static_cast<unsigned>(a.lists)) < 2) continue;
            std::vector<int> bits;
            for (size_t l = 0; l < n_lists; ++l)
                if (a.lists & (1u << l)) bits.push_back(static_cast<int>(l));
            a.cased_list = static_cast<int8_t>(bits[rng_.below(bits.size())]);
            if (cased % 4 == 0) a.addr = cased_variant(a.lower);
            ++cased;
        }
    }

    // Office holders: FG chair, one chair per WG list, one editor per deliverable.
    auto member_of = [&](size_t list) {
        for (int tries = 0; tries < 10000; ++tries) {
            const uint32_t pi = static_cast<uint32_t>(2 + rng_.below(n_subscriber_persons - 2));
            const Address& a = pop_.addrs[pop_.persons[pi].primary];
            if ((a.lists & (1u << list)) && pop_.persons[pi].client != Client::lotus) return pi;
        }
        throw std::runtime_error("no member found for list " + reg_.lists[list].name);
    };
    pop_.wg_chairs.assign(n_lists, 0);
    for (size_t l = 0; l < n_lists; ++l) {
        pop_.wg_chairs[l] = member_of(l);
        pop_.addrs[pop_.persons[pop_.wg_chairs[l]].primary].lists |= 1; // chairs read the main list
    }
    pop_.fg_chair = pop_.wg_chairs[0];
    for (const auto& d : reg_.deliverables) {
        const uint32_t e = member_of(reg_.list_of_wg(d.wg));
        pop_.addrs[pop_.persons[e].primary].lists |= 1;
        pop_.editors.push_back(e);
    }

    // Posting weights: most subscribers lurk; office holders post a lot.
    for (size_t pi = 2; pi < n_subscriber_persons; ++pi) {
        const uint64_t r = rng_.below(100);
        pop_.persons[pi].weight = r < 62 ? 0 : r < 82 ? 1 : r < 92 ? 2 : r < 97 ? 4 : 8;
    }
    for (auto e : pop_.editors)
        pop_.persons[e].weight = 25;
    for (auto c : pop_.wg_chairs)
        pop_.persons[c].weight = 35;
    pop_.persons[pop_.tsb].weight = 4;
    pop_.persons[1].weight = 6;
    for (auto o : outsiders)
        pop_.persons[o].weight = 1;
    for (auto l : leavers)
        pop_.persons[l].weight = rng_.chance(1, 2) ? 1 : 0;

    pop_.posters.assign(n_lists, {});
    pop_.poster_weights.assign(n_lists, {});
    pop_.poster_total.assign(n_lists, 0);
    for (uint32_t pi = 0; pi < pop_.persons.size(); ++pi) {
        const Person& p = pop_.persons[pi];
        if (p.weight == 0 || pi == pop_.tsb) continue;
        uint8_t mask = pop_.addrs[p.primary].lists;
        if (p.secondary >= 0) mask |= pop_.addrs[static_cast<size_t>(p.secondary)].lists;
        if (mask == 0) mask = all_lists; // non-subscribers write anywhere
        for (size_t l = 0; l < n_lists; ++l) {
            if (!(mask & (1u << l))) continue;
            pop_.posters[l].push_back(pi);
            pop_.poster_weights[l].push_back(p.weight);
            pop_.poster_total[l] += p.weight;
        }
    }

    // Old snapshots: the WG3 list mid-2018 and the main list early 2018. They
    // miss a quarter of the later members and hold some leavers.
    const auto add_old = [&](size_t list, const char* date, size_t first_leaver, size_t n_leavers) {
        Population::Snapshot s;
        s.list = list;
        s.date = date;
        for (uint32_t ai = 0; ai < pop_.addrs.size(); ++ai)
            if ((pop_.addrs[ai].lists & (1u << list)) && !rng_.chance(1, 4)) s.addrs.push_back(ai);
        for (size_t i = first_leaver; i < first_leaver + n_leavers && i < leavers.size(); ++i)
            s.addrs.push_back(pop_.persons[leavers[i]].primary);
        pop_.old_snapshots.push_back(std::move(s));
    };
    add_old(std::min<size_t>(3, n_lists - 1), "2018-06-30", 0, 8);
    add_old(0, "2018-01-31", 8, 6);
    return std::move(pop_);
}

// --- rosters ---------------------------------------------------------------

std::string csv_field(std::string_view s) {
    if (s.find_first_of(",\"\n") == std::string_view::npos) return std::string(s);
    std::string out = "\"";
    for (char ch : s) {
        if (ch == '"') out += '"';
        out += ch;
    }
    return out + "\"";
}

std::string roster_name(const Person& p, Rng& rng) {
    if (!p.native.empty() && rng.chance(1, 4)) return p.native;
    return p.display();
}

void write_roster(const std::filesystem::path& path, const Registry& reg, const Population& pop,
                  size_t list, const std::string& date, std::vector<uint32_t> addrs, Rng& rng) {
    std::sort(addrs.begin(), addrs.end(), [&](uint32_t a, uint32_t b) {
        return pop.addrs[a].lower < pop.addrs[b].lower;
    });
    std::ofstream out(path, std::ios::binary);
    if (!out) throw std::runtime_error("cannot write " + path.string());
    const auto spelled = [&](uint32_t ai) {
        const Address& a = pop.addrs[ai];
        return a.cased_list == static_cast<int8_t>(list) ? cased_variant(a.lower) : a.lower;
    };
    const bool csv = list % 2 == 0;
    if (!csv) {
        // Mailman 2 `list_members --fullnames` output with the owner's notes.
        out << "# " << reg.lists[list].name << " members as of " << date << " (list_members -f)\n";
        out << "# regular members\n";
        const size_t digest_from = addrs.size() - addrs.size() / 10;
        for (size_t i = 0; i < addrs.size(); ++i) {
            if (i == digest_from) out << "\n# digest members\n";
            const Person& p = pop.persons[pop.addrs[addrs[i]].person];
            if (rng.chance(4, 10)) out << roster_name(p, rng) << " <" << spelled(addrs[i]) << ">\n";
            else out << spelled(addrs[i]) << "\n";
            if (list == 1 && i == addrs.size() / 2 && date == "2019-07-15") out << "not-an-address\n";
        }
        out << "\n";
        return;
    }
    // CSV export of the list administration tool; the column order varies.
    const bool name_first = list == 2;
    out << (name_first ? "name,email,organisation\n" : "email,name,organisation\n");
    for (size_t i = 0; i < addrs.size(); ++i) {
        const Person& p = pop.persons[pop.addrs[addrs[i]].person];
        const std::string name = csv_field(roster_name(p, rng));
        const std::string email = csv_field(spelled(addrs[i]));
        out << (name_first ? name + "," + email : email + "," + name) << ","
            << csv_field(p.org_name) << "\n";
        if (list == 0 && i == addrs.size() / 3 && date == "2019-07-15")
            out << "jean.dupont(at)orange.com,Jean Dupont,Orange\n";
        if (list == 4 && i == addrs.size() / 2) out << "\n";
    }
}

} // namespace

std::string Person::display() const { return given + " " + family; }

int Person::tz_at(int64_t t) const {
    if (dst == bank::Dst::none) return tz_std;
    const Civil c = civil_from_time(t);
    auto last_sunday = [&](int month, int days_in_month) {
        const int64_t d = days_from_civil(c.year, month, days_in_month);
        return d - ((d + 4) % 7); // (d + 4) % 7 is the weekday, 0 = Sunday
    };
    int64_t start = 0, end = 0;
    if (dst == bank::Dst::eu) {
        start = last_sunday(3, 31) * 86400 + 3600; // 01:00 UTC
        end = last_sunday(10, 31) * 86400 + 3600;
    } else {
        const int64_t mar1 = days_from_civil(c.year, 3, 1);
        const int64_t first_sun_mar = mar1 + (7 - (mar1 + 4) % 7) % 7;
        const int64_t nov1 = days_from_civil(c.year, 11, 1);
        const int64_t first_sun_nov = nov1 + (7 - (nov1 + 4) % 7) % 7;
        start = (first_sun_mar + 7) * 86400 + 7 * 3600; // 2:00 local, US Eastern
        end = first_sun_nov * 86400 + 6 * 3600;
    }
    return (t >= start && t < end) ? tz_std + 60 : tz_std;
}

Population build_population(const Registry& reg, uint64_t seed) {
    return Builder(reg, seed).build();
}

void write_rosters(const std::filesystem::path& dir, const Registry& reg, const Population& pop,
                   uint64_t seed) {
    const auto rdir = dir / "rosters";
    std::filesystem::create_directories(rdir);
    Rng rng(mix_seed(seed, 0x7057E5));
    for (size_t l = 0; l < reg.lists.size(); ++l) {
        for (const auto& s : pop.old_snapshots) {
            if (s.list != l) continue;
            write_roster(rdir / (reg.lists[l].name + "-" + s.date + (l % 2 == 0 ? ".csv" : ".txt")),
                         reg, pop, l, s.date, s.addrs, rng);
        }
        std::vector<uint32_t> members;
        for (uint32_t ai = 0; ai < pop.addrs.size(); ++ai)
            if (pop.addrs[ai].lists & (1u << l)) members.push_back(ai);
        write_roster(rdir / (reg.lists[l].name + "-2019-07-15" + (l % 2 == 0 ? ".csv" : ".txt")),
                     reg, pop, l, "2019-07-15", members, rng);
    }
}

} // namespace sample_gen
