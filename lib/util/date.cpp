// Date parsing and formatting (see date.hpp for the accepted forms).
//
// The header parser is token based rather than positional, because real
// archives mix every order and decoration: comments are set aside first (they
// only supply a zone when the text has none), the rest is split on blanks and
// commas, and each token is classified on its own (day name, month name, time,
// numeric date, loose number, offset, zone name, AM/PM, noise). The loose
// numbers are then resolved into day and year. Anything that contradicts itself
// or fails calendar checks makes the whole date not ok: a wrong date is worse
// than the fallback chain of choose_date().
#include "util/date.hpp"

#include "mime/message.hpp" // MessageFlag bits (a header-only enum)
#include "util/strings.hpp"

#include <algorithm>
#include <array>
#include <cstdio>

namespace mlarc {

namespace {

constexpr int64_t kSecondsPerDay = 86400;
constexpr int kMaxOffsetMinutes = 14 * 60;

struct NameValue {
    std::string_view name;
    int value;
};

// Month names (folded: ASCII lower case, Latin-1 letters lower-cased, no trailing
// dot) in English, German, French and Dutch.
constexpr NameValue kMonths[] = {
    {"jan", 1},       {"january", 1},   {"januar", 1},   {"janv", 1},      {"janvier", 1},
    {"jän", 1},       {"jänner", 1},    {"januari", 1},  {"feb", 2},       {"february", 2},
    {"februar", 2},   {"févr", 2},      {"fevr", 2},     {"fév", 2},       {"fev", 2},
    {"février", 2},   {"fevrier", 2},   {"februari", 2}, {"mar", 3},       {"march", 3},
    {"mär", 3},       {"märz", 3},      {"maerz", 3},    {"mrz", 3},       {"mars", 3},
    {"mrt", 3},       {"maart", 3},     {"apr", 4},      {"april", 4},     {"avr", 4},
    {"avril", 4},     {"may", 5},       {"mai", 5},      {"mei", 5},       {"jun", 6},
    {"june", 6},      {"juni", 6},      {"juin", 6},     {"jul", 7},       {"july", 7},
    {"juli", 7},      {"juil", 7},      {"juillet", 7},  {"aug", 8},       {"august", 8},
    {"août", 8},      {"aout", 8},      {"augustus", 8}, {"sep", 9},       {"sept", 9},
    {"september", 9}, {"septembre", 9}, {"oct", 10},     {"october", 10},  {"okt", 10},
    {"oktober", 10},  {"octobre", 10},  {"nov", 11},     {"november", 11}, {"novembre", 11},
    {"dec", 12},      {"december", 12}, {"dez", 12},     {"dezember", 12}, {"déc", 12},
    {"décembre", 12}, {"decembre", 12},
};

// Day names; only skipped. "mar" (French mardi) is also March: see take_month().
constexpr std::string_view kDays[] = {
    "mon",       "tue",      "tues",      "wed",      "thu",      "thur",      "thurs",
    "fri",       "sat",      "sun",       "monday",   "tuesday",  "wednesday", "thursday",
    "friday",    "saturday", "sunday",    "mo",       "di",       "mi",        "do",
    "fr",        "sa",       "so",        "montag",   "dienstag", "mittwoch",  "donnerstag",
    "freitag",   "samstag",  "sonnabend", "sonntag",  "lun",      "mar",       "mer",
    "jeu",       "ven",      "sam",       "dim",      "lundi",    "mardi",     "mercredi",
    "jeudi",     "vendredi", "samedi",    "dimanche", "maandag",  "dinsdag",   "woensdag",
    "donderdag", "vrijdag",  "zaterdag",  "zondag",   "ma",       "wo",
};

// Zone abbreviations, minutes east of UTC. Ambiguous ones take the reading most
// common in mail: CST = US Central, IST = India, BST = British Summer Time.
constexpr NameValue kZones[] = {
    {"ut", 0},     {"utc", 0},    {"gmt", 0},    {"z", 0},       {"wet", 0},     {"west", 60},
    {"bst", 60},   {"ist", 330},  {"cet", 60},   {"met", 60},    {"mez", 60},    {"cest", 120},
    {"mest", 120}, {"mesz", 120}, {"eet", 120},  {"eest", 180},  {"msk", 180},   {"msd", 240},
    {"idt", 180},  {"est", -300}, {"edt", -240}, {"cst", -360},  {"cdt", -300},  {"mst", -420},
    {"mdt", -360}, {"pst", -480}, {"pdt", -420}, {"akst", -540}, {"akdt", -480}, {"hst", -600},
    {"ast", -240}, {"adt", -180}, {"nst", -210}, {"ndt", -150},  {"brt", -180},  {"brst", -120},
    {"art", -180}, {"pet", -300}, {"jst", 540},  {"kst", 540},   {"hkt", 480},   {"sgt", 480},
    {"awst", 480}, {"wib", 420},  {"ict", 420},  {"acst", 570},  {"acdt", 630},  {"aest", 600},
    {"aedt", 660}, {"nzst", 720}, {"nzdt", 780}, {"nzt", 720},   {"sast", 120},
};

// Windows zone names seen as comments, "(GMT Standard Time)".
constexpr NameValue kWindowsZones[] = {
    {"gmt standard time", 0},
    {"gmt daylight time", 60},
    {"greenwich standard time", 0},
    {"w. europe standard time", 60},
    {"w. europe daylight time", 120},
    {"central europe standard time", 60},
    {"central european standard time", 60},
    {"romance standard time", 60},
    {"romance daylight time", 120},
    {"eastern standard time", -300},
    {"eastern daylight time", -240},
    {"central standard time", -360},
    {"central daylight time", -300},
    {"mountain standard time", -420},
    {"mountain daylight time", -360},
    {"pacific standard time", -480},
    {"pacific daylight time", -420},
    {"tokyo standard time", 540},
    {"china standard time", 480},
    {"india standard time", 330},
};

template <size_t N> std::optional<int> lookup(const NameValue (&table)[N], std::string_view name) {
    for (const auto& e : table)
        if (e.name == name) return e.value;
    return std::nullopt;
}

std::optional<int> month_number(std::string_view folded) {
    return lookup(kMonths, folded);
}

bool is_day_name(std::string_view folded) {
    for (auto d : kDays)
        if (d == folded) return true;
    return false;
}

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}
bool is_ascii_alpha(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// ASCII lower case plus the upper-case Latin-1 letters in UTF-8 (Ä É ...), and
// without trailing dots ("Okt." -> "okt").
std::string fold_word(std::string_view w) {
    while (!w.empty() && w.back() == '.')
        w.remove_suffix(1);
    std::string out = ascii_lower(w);
    for (size_t i = 0; i + 1 < out.size(); ++i) {
        const auto lead = static_cast<unsigned char>(out[i]);
        const auto next = static_cast<unsigned char>(out[i + 1]);
        if (lead == 0xC3 && next >= 0x80 && next <= 0x9E && next != 0x97)
            out[i + 1] = static_cast<char>(next + 0x20);
    }
    return out;
}

// Reads up to `max_digits` digits at s[*i]; returns -1 when there are none.
int64_t read_number(std::string_view s, size_t* i, size_t max_digits, size_t* digits = nullptr) {
    int64_t v = 0;
    size_t n = 0;
    while (*i < s.size() && is_digit(s[*i]) && n < max_digits) {
        v = v * 10 + (s[*i] - '0');
        ++*i;
        ++n;
    }
    if (digits != nullptr) *digits = n;
    return n == 0 ? -1 : v;
}

struct Offset {
    int minutes = 0;
    bool bad = false; // out of range: minutes is 0
};

// "+0100", "-05:00", "+01", "-3", "+530", "0100" (sign optional). nullopt when
// `s` is not an offset at all.
std::optional<Offset> parse_offset(std::string_view s) {
    int sign = 1;
    if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
        sign = s[0] == '-' ? -1 : 1;
        s.remove_prefix(1);
    }
    size_t i = 0, digits = 0;
    int64_t hours = 0, minutes = 0;
    const int64_t first = read_number(s, &i, 4, &digits);
    if (first < 0) return std::nullopt;
    if (i < s.size() && s[i] == ':') {
        if (digits > 2) return std::nullopt;
        ++i;
        size_t mdigits = 0;
        hours = first;
        minutes = read_number(s, &i, 2, &mdigits);
        if (mdigits != 2) return std::nullopt;
    } else if (digits <= 2) {
        hours = first;
    } else {
        hours = first / 100;
        minutes = first % 100;
    }
    if (i != s.size()) return std::nullopt;
    const int64_t total = hours * 60 + minutes;
    if (minutes >= 60 || total > kMaxOffsetMinutes) return Offset{0, true};
    return Offset{static_cast<int>(sign * total), false};
}

// A zone word (folded): a name from the table, optionally followed by an
// offset ("gmt+01:00", "utc-5"; honoured after GMT/UTC/UT only, so "met-1" is
// MET). Sets *explicit_offset when the word carried a numeric offset.
std::optional<int> zone_from_word(std::string_view word, std::optional<Offset>* explicit_offset) {
    size_t n = 0;
    while (n < word.size() && is_ascii_alpha(word[n]))
        ++n;
    const auto zone = lookup(kZones, word.substr(0, n));
    if (!zone) return std::nullopt;
    const std::string_view rest = word.substr(n);
    if (!rest.empty() && (rest[0] == '+' || rest[0] == '-') && *zone == 0 && n <= 3) {
        if (auto off = parse_offset(rest); off && explicit_offset != nullptr)
            *explicit_offset = off;
    }
    return zone;
}

// Everything collected from the tokens of one date string.
struct Fields {
    bool failed = false;
    int month = 0;
    bool month_ambiguous = false; // came from "mar", which may be French "mardi"
    bool have_date_token = false; // 2024-01-01, 13.06.2002 ...
    int64_t date_year = 0;
    size_t date_year_digits = 0;
    int date_month = 0, date_day = 0;
    bool have_time = false;
    int hour = 0, minute = 0, second = 0;
    int ampm = 0; // 1 AM, 2 PM
    struct Num {
        int64_t value;
        size_t digits;
    };
    std::vector<Num> nums;
    size_t nums_before_time = 0;
    std::optional<Offset> numeric_offset;
    std::optional<int> zone; // from a zone name or "Z"
};

void take_month(Fields& f, int m, bool ambiguous) {
    if (f.month == 0 || (f.month_ambiguous && !ambiguous)) {
        f.month = m;
        f.month_ambiguous = ambiguous;
    } else if (f.month != m && !ambiguous) {
        f.failed = true; // two different month names
    }
}

void set_numeric_offset(Fields& f, std::optional<Offset> off) {
    if (!f.numeric_offset) f.numeric_offset = off;
}

// Records the time of day; false if there already is one.
bool set_time(Fields& f, int64_t h, int64_t m, int64_t s) {
    if (f.have_time) return false;
    f.have_time = true;
    f.hour = static_cast<int>(h);
    f.minute = static_cast<int>(m);
    f.second = static_cast<int>(s);
    f.nums_before_time = f.nums.size();
    return true;
}

// "10:00", "10:00:05", "9.5.3", "10:00:00.123Z", "10:00:00+01:00", "10:00pm".
bool parse_time(std::string_view t, Fields& f) {
    size_t i = 0;
    const int64_t h = read_number(t, &i, 2);
    if (h < 0 || i >= t.size() || (t[i] != ':' && t[i] != '.')) return false;
    const char sep = t[i++];
    const int64_t m = read_number(t, &i, 2);
    if (m < 0) return false;
    int64_t s = 0;
    if (i < t.size() && t[i] == sep) {
        ++i;
        s = read_number(t, &i, 2);
        if (s < 0) return false;
        if (i + 1 < t.size() && (t[i] == '.' || t[i] == ',') && is_digit(t[i + 1])) {
            ++i;
            while (i < t.size() && is_digit(t[i]))
                ++i; // fraction of a second
        }
    }
    const std::string_view rest = t.substr(i);
    if (!rest.empty()) {
        const std::string r = ascii_lower(rest);
        if (r == "z") {
            f.zone = 0;
        } else if (r == "am" || r == "pm") {
            f.ampm = r == "am" ? 1 : 2;
        } else if (r[0] == '+' || r[0] == '-') {
            auto off = parse_offset(r);
            if (!off) return false;
            set_numeric_offset(f, off);
        } else {
            return false;
        }
    }
    return set_time(f, h, m, s);
}

// "2024-01-01", "13.06.2002", "06/13/2002", "02-1-5". Y-M-D when the first part
// has 3+ digits; else D.M.Y / D-M-Y, and M/D/Y with slashes unless the first
// part is above 12.
bool parse_numeric_date(std::string_view t, Fields& f) {
    size_t i = 0;
    std::array<int64_t, 3> v{};
    std::array<size_t, 3> digits{};
    char sep = 0;
    for (size_t k = 0; k < 3; ++k) {
        v[k] = read_number(t, &i, 4, &digits[k]);
        if (v[k] < 0) return false;
        if (k < 2) {
            if (i >= t.size() || (sep != 0 && t[i] != sep)) return false;
            sep = t[i++];
        }
    }
    if (i != t.size() || f.have_date_token) return false;
    int64_t y = 0, m = 0, d = 0;
    size_t ydigits = 0;
    if (digits[0] >= 3) {
        y = v[0], ydigits = digits[0], m = v[1], d = v[2];
    } else if (sep == '/' && v[0] <= 12) {
        m = v[0], d = v[1], y = v[2], ydigits = digits[2];
    } else {
        d = v[0], m = v[1], y = v[2], ydigits = digits[2];
    }
    if (m > 12 || d > 31) return false;
    f.have_date_token = true;
    f.date_year = y;
    f.date_year_digits = ydigits;
    f.date_month = static_cast<int>(m);
    f.date_day = static_cast<int>(d);
    return true;
}

void take_token(std::string_view tok, Fields& f);

// Tokens that start with a digit.
void take_numeric_token(std::string_view tok, Fields& f) {
    // ISO 8601 date-time: split at the 'T'.
    if (const size_t t = tok.find_first_of("Tt");
        t != std::string_view::npos && t > 0 && t + 1 < tok.size() && is_digit(tok[t + 1])) {
        if (!parse_numeric_date(tok.substr(0, t), f) || !parse_time(tok.substr(t + 1), f))
            f.failed = true;
        return;
    }
    // 1-Jan-2019 (obsolete VMS style): split at the dashes.
    const bool has_alpha = std::any_of(tok.begin(), tok.end(), [](char c) {
        return is_ascii_alpha(c) || static_cast<unsigned char>(c) >= 0x80;
    });
    if (has_alpha && tok.find('-') != std::string_view::npos &&
        tok.find(':') == std::string_view::npos) {
        for (const auto& part : split(tok, '-', true))
            take_token(part, f);
        return;
    }
    if (tok.find(':') != std::string_view::npos) {
        if (!parse_time(tok, f)) f.failed = true;
        return;
    }
    size_t i = 0, digits = 0;
    const int64_t v = read_number(tok, &i, 5, &digits);
    if (digits > 4) { // no field has more than 4 digits
        f.failed = true;
        return;
    }
    if (i == tok.size()) {
        // A 4-digit number after the time when day and year are known is an
        // offset without its sign ("06:03:33 0100").
        if (f.have_time && digits == 4 && (f.have_date_token || f.nums_before_time >= 2)) {
            set_numeric_offset(f, parse_offset(tok));
            return;
        }
        f.nums.push_back({v, digits});
        return;
    }
    if (tok[i] == '.' && i + 1 == tok.size()) { // "5." as in "5. Okt 2018"
        f.nums.push_back({v, digits});
        return;
    }
    if (tok[i] == '-' || tok[i] == '/') {
        if (!parse_numeric_date(tok, f)) f.failed = true;
        return;
    }
    if (tok[i] == '.') {
        // Dotted: a time ("10.00", "10.00.00") or a date ("13.06.2002"). Three
        // short parts are a time once the date is known, else a date.
        const size_t dots = static_cast<size_t>(std::count(tok.begin(), tok.end(), '.'));
        const bool date_known = f.month != 0 || f.have_date_token;
        if (dots == 1 || (date_known && !f.have_time)) {
            if (!parse_time(tok, f)) f.failed = true;
        } else if (!parse_numeric_date(tok, f)) {
            f.failed = true;
        }
        return;
    }
    // "10am"; "1st" and other digit-led junk fail.
    const std::string rest = ascii_lower(tok.substr(i));
    if ((rest == "am" || rest == "pm") && set_time(f, v, 0, 0)) {
        f.ampm = rest == "am" ? 1 : 2;
        return;
    }
    f.failed = true;
}

// Tokens that start with a letter (or a non-ASCII byte).
void take_word_token(std::string_view tok, Fields& f) {
    const std::string w = fold_word(tok);
    if (w.empty()) return;
    if (w == "am" || w == "pm") {
        f.ampm = w == "am" ? 1 : 2;
        return;
    }
    if (auto m = month_number(w)) {
        // "mar" before any number may be French "mardi" ("mar. 5 mars 2019").
        const bool day_position = f.nums.empty() && !f.have_time && !f.have_date_token;
        take_month(f, *m, day_position && is_day_name(w));
        return;
    }
    if (is_day_name(w)) return;
    if (w == "dst") {
        if (f.zone) *f.zone += 60;
        return;
    }
    std::optional<Offset> explicit_offset;
    if (auto z = zone_from_word(w, &explicit_offset)) {
        if (explicit_offset) set_numeric_offset(f, explicit_offset);
        if (!f.zone) f.zone = *z;
        return;
    }
    // Other words are noise: "at", "remote from host" of UUCP From_ lines, and
    // unknown zones, including military letters (RFC 5322 4.3: read as +0000,
    // which is what a date without any zone gets).
}

void take_token(std::string_view tok, Fields& f) {
    if (tok.empty() || f.failed) return;
    const char c = tok[0];
    if (is_digit(c)) {
        take_numeric_token(tok, f);
    } else if ((c == '+' || c == '-') && tok.size() > 1 && is_digit(tok[1])) {
        auto off = parse_offset(tok);
        set_numeric_offset(f, off ? off : Offset{0, true});
    } else if (is_ascii_alpha(c) || static_cast<unsigned char>(c) >= 0x80) {
        take_word_token(tok, f);
    }
    // Anything else ("<junk@host>", quotes, dashes) is noise.
}

// Splits `text` into the text outside comments and the comments' contents.
void separate_comments(std::string_view text, std::string* main,
                       std::vector<std::string>* comments) {
    int depth = 0;
    std::string current;
    for (size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (depth > 0 && c == '\\' && i + 1 < text.size()) {
            current.push_back(text[++i]);
        } else if (c == '(') {
            if (depth++ > 0) current.push_back(c);
            main->push_back(' ');
        } else if (c == ')' && depth > 0) {
            if (--depth == 0) {
                comments->push_back(current);
                current.clear();
            } else {
                current.push_back(c);
            }
        } else if (depth > 0) {
            current.push_back(c);
        } else {
            main->push_back(c);
        }
    }
    if (depth > 0) comments->push_back(current); // unclosed comment
}

// Zone given only in a comment: "(UTC)", "(MET DST)", "(GMT+01:00)", "(GMT Standard Time)".
std::optional<Offset> zone_from_comments(const std::vector<std::string>& comments) {
    for (const auto& c : comments) {
        const std::string folded = ascii_lower(trim(c));
        if (auto z = lookup(kWindowsZones, folded)) return Offset{*z, false};
        const auto words = split(folded, ' ', true);
        for (size_t i = 0; i < words.size(); ++i) {
            std::optional<Offset> explicit_offset;
            if (auto z = zone_from_word(words[i], &explicit_offset)) {
                if (explicit_offset) return explicit_offset;
                const bool dst = i + 1 < words.size() && words[i + 1] == "dst";
                return Offset{*z + (dst ? 60 : 0), false};
            }
        }
    }
    return std::nullopt;
}

int64_t normalise_year(int64_t value, size_t digits) {
    if (digits <= 2) return value < 50 ? 2000 + value : 1900 + value;
    if (value < 1000) return 1900 + value;
    return value;
}

ParsedDate not_ok(uint32_t flag = flag_bad_date) {
    ParsedDate d;
    d.flags = flag;
    return d;
}

int64_t floor_div(int64_t a, int64_t b) {
    return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

} // namespace

int64_t days_from_civil(int64_t year, int month, int day) {
    const int64_t y = year - (month <= 2 ? 1 : 0);
    const int64_t era = floor_div(y, 400);
    const int64_t yoe = y - era * 400;                // [0, 399]
    const int64_t mp = (month + 9) % 12;              // March = 0
    const int64_t doy = (153 * mp + 2) / 5 + day - 1; // [0, 365]
    const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

int64_t utc_from_civil(const CivilTime& t) {
    return days_from_civil(t.year, t.month, t.day) * kSecondsPerDay + t.hour * 3600 +
           t.minute * 60 + t.second;
}

CivilTime civil_from_utc(int64_t utc) {
    const int64_t days = floor_div(utc, kSecondsPerDay);
    const int64_t secs = utc - days * kSecondsPerDay;
    const int64_t z = days + 719468;
    const int64_t era = floor_div(z, 146097);
    const int64_t doe = z - era * 146097;                                      // [0, 146096]
    const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365; // [0, 399]
    const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);               // [0, 365]
    const int64_t mp = (5 * doy + 2) / 153;                                    // [0, 11]
    CivilTime t;
    t.day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
    t.month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
    t.year = yoe + era * 400 + (t.month <= 2 ? 1 : 0);
    t.hour = static_cast<int>(secs / 3600);
    t.minute = static_cast<int>(secs / 60 % 60);
    t.second = static_cast<int>(secs % 60);
    return t;
}

int days_in_month(int64_t year, int month) {
    static constexpr int kDaysIn[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month < 1 || month > 12) return 0;
    const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return month == 2 && leap ? 29 : kDaysIn[month - 1];
}

ParsedDate parse_rfc5322_date(std::string_view text) {
    text = trim(text);
    if (text.empty()) return not_ok(flag_no_date);
    if (text.find("=?") != std::string_view::npos) return not_ok(); // RFC 2047 in a Date

    std::string main_text;
    std::vector<std::string> comments;
    separate_comments(text, &main_text, &comments);

    Fields f;
    size_t start = std::string::npos;
    for (size_t i = 0; i <= main_text.size(); ++i) {
        const bool sep = i == main_text.size() || main_text[i] == ',' || main_text[i] == ' ' ||
                         main_text[i] == '\t' || main_text[i] == '\r' || main_text[i] == '\n';
        if (!sep && start == std::string::npos) start = i;
        if (sep && start != std::string::npos) {
            take_token(std::string_view(main_text).substr(start, i - start), f);
            start = std::string::npos;
        }
    }
    if (f.failed) return not_ok();

    CivilTime t;
    size_t year_digits = 0;
    int64_t year_value = 0;
    if (f.have_date_token) {
        if (!f.nums.empty() || (f.month != 0 && f.month != f.date_month)) return not_ok();
        year_value = f.date_year;
        year_digits = f.date_year_digits;
        t.month = f.date_month;
        t.day = f.date_day;
    } else {
        if (f.month == 0 || f.nums.size() != 2) return not_ok();
        // The year is the number with 3+ digits, else the one above 31, else the second.
        size_t yi = 1;
        if (f.nums[0].digits >= 3 || (f.nums[0].value > 31 && f.nums[1].digits < 3)) yi = 0;
        const auto& day = f.nums[1 - yi];
        if (day.digits > 2) return not_ok();
        year_value = f.nums[yi].value;
        year_digits = f.nums[yi].digits;
        t.month = f.month;
        t.day = static_cast<int>(day.value);
    }
    t.year = normalise_year(year_value, year_digits);
    if (t.month < 1 || t.day < 1 || t.day > days_in_month(t.year, t.month)) return not_ok();

    if (f.have_time) {
        t.hour = f.hour;
        t.minute = f.minute;
        t.second = f.second;
        if (f.ampm != 0 && (t.hour < 1 || t.hour > 12)) f.ampm = 0; // "20:48:11 PM"
        if (f.ampm == 1 && t.hour == 12) t.hour = 0;
        if (f.ampm == 2 && t.hour < 12) t.hour += 12;
        if (t.hour > 23 || t.minute > 59 || t.second > 60) return not_ok();
    }

    ParsedDate d;
    d.ok = true;
    std::optional<Offset> off = f.numeric_offset;
    if (!off && f.zone) off = Offset{*f.zone, false};
    if (!off) off = zone_from_comments(comments);
    if (off) {
        d.offset_minutes = off->minutes;
        if (off->bad) d.flags |= flag_bad_offset;
    }
    d.utc = utc_from_civil(t) - int64_t{d.offset_minutes} * 60;
    return d;
}

ParsedDate parse_from_line_date(std::string_view from_line) {
    std::string_view s = trim(from_line);
    if (starts_with_icase(s, "From ")) s.remove_prefix(5);
    const auto skip = [&](size_t i, bool blanks) {
        while (i < s.size() && ((s[i] == ' ' || s[i] == '\t') == blanks))
            ++i;
        return i;
    };
    size_t i = skip(skip(skip(0, true), false), true); // past the sender
    const size_t after_sender = i;
    // Each attempt parses the rest of the line, so the number of attempts is
    // capped to keep the whole linear (a line of day names was quadratic:
    // tests/fuzz/regressions/fuzz_date-slow-from-line-day-names.bin). Real
    // From_ lines have their date at the first or second name.
    constexpr int kMaxAttempts = 8;
    int attempts = 0;
    while (i < s.size() && attempts < kMaxAttempts) {
        const size_t end = skip(i, false);
        std::string_view word = s.substr(i, end - i);
        while (!word.empty() && word.back() == ',')
            word.remove_suffix(1);
        const std::string w = fold_word(word);
        if (month_number(w) || is_day_name(w)) {
            ++attempts;
            ParsedDate d = parse_rfc5322_date(s.substr(i));
            if (d.ok) return d;
        }
        i = skip(end, true);
    }
    // No day or month name: try whatever follows the sender (numeric forms).
    ParsedDate d = parse_rfc5322_date(s.substr(after_sender));
    return d.ok ? d : not_ok();
}

bool is_suspicious(int64_t utc, int64_t now) {
    return utc < kSuspiciousBefore || utc > now + kSecondsPerDay;
}

std::string format_iso8601(int64_t utc, int offset_minutes) {
    const CivilTime t = civil_from_utc(utc + int64_t{offset_minutes} * 60);
    const int a = offset_minutes < 0 ? -offset_minutes : offset_minutes;
    char buf[64];
    std::snprintf(buf, sizeof buf, "%04lld-%02d-%02dT%02d:%02d:%02d%c%02d:%02d",
                  static_cast<long long>(t.year), t.month, t.day, t.hour, t.minute, t.second,
                  offset_minutes < 0 ? '-' : '+', a / 60, a % 60);
    return buf;
}

std::string format_date_utc(int64_t utc) {
    const CivilTime t = civil_from_utc(utc);
    if (t.year >= 0 && t.year <= 9999) { // by hand: snprintf was 5% of a long thread list
        std::string s = "0000-00-00";
        auto put = [&s](size_t end, int64_t v) {
            for (size_t i = end; v > 0; --i, v /= 10)
                s[i] = static_cast<char>('0' + v % 10);
        };
        put(3, t.year);
        put(6, t.month);
        put(9, t.day);
        return s;
    }
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04lld-%02d-%02d", static_cast<long long>(t.year), t.month,
                  t.day);
    return buf;
}

namespace {

// `now` moved back by whole calendar months, the day clamped to the month's length.
int64_t months_before(int64_t now, int64_t months) {
    CivilTime t = civil_from_utc(now);
    const int64_t index = t.year * 12 + (t.month - 1) - months;
    t.year = floor_div(index, 12);
    t.month = static_cast<int>(index - t.year * 12) + 1;
    t.day = std::min(t.day, days_in_month(t.year, t.month));
    return utc_from_civil(t);
}

Error user_date_error(std::string_view text) {
    return make_error(Errc::usage,
                      "bad date '" + std::string(text) +
                          "': use YYYY, YYYY-MM, YYYY-MM-DD, YYYY-MM-DDTHH:MM[:SS], today, "
                          "yesterday, now, or Nd/Nw/Nm/Ny (days/weeks/months/years ago)",
                      "dates are UTC, e.g. 2018, 2018-03-05, 2018-03-05T10:00 or 2w");
}

} // namespace

Result<int64_t> parse_user_date(std::string_view text, int64_t now, bool end_of_range) {
    const std::string s = ascii_lower(trim(text));
    if (s == "now") return now;
    if (s == "today" || s == "yesterday") {
        const int64_t day = floor_div(now, kSecondsPerDay) - (s == "yesterday" ? 1 : 0);
        return day * kSecondsPerDay + (end_of_range ? kSecondsPerDay - 1 : 0);
    }
    size_t i = 0, digits = 0;
    const int64_t n = read_number(s, &i, 6, &digits);
    if (n < 0) return user_date_error(text);

    // Relative: 3d, 2w, 3m, 1y.
    if (i + 1 == s.size() && digits <= 6) {
        switch (s[i]) {
        case 'd':
            return now - n * kSecondsPerDay;
        case 'w':
            return now - n * 7 * kSecondsPerDay;
        case 'm':
            return months_before(now, n);
        case 'y':
            return months_before(now, n * 12);
        default:
            return user_date_error(text);
        }
    }

    // Absolute: YYYY[-MM[-DD[(T| )HH:MM[:SS]]]]. Each field narrows the period;
    // `next` is the start of the period that follows.
    if (digits != 4 || n < 1) return user_date_error(text);
    CivilTime t;
    t.year = n;
    CivilTime next = t;
    next.year += 1;
    struct Field {
        std::string_view separators;
        int lo, hi;
        int CivilTime::*member;
    };
    static constexpr Field kFields[] = {
        {"-", 1, 12, &CivilTime::month},  {"-", 1, 31, &CivilTime::day},
        {"t ", 0, 23, &CivilTime::hour},  {":", 0, 59, &CivilTime::minute},
        {":", 0, 59, &CivilTime::second},
    };
    size_t parsed = 0;
    for (const Field& fl : kFields) {
        if (i >= s.size()) break;
        if (fl.separators.find(s[i]) == std::string_view::npos) return user_date_error(text);
        ++i;
        size_t d = 0;
        const int64_t v = read_number(s, &i, 2, &d);
        const int hi = fl.member == &CivilTime::day ? days_in_month(t.year, t.month) : fl.hi;
        if (d != 2 || v < fl.lo || v > hi) return user_date_error(text);
        t.*fl.member = static_cast<int>(v);
        next = t;
        next.*fl.member += 1; // day 32, minute 60 ... roll over in utc_from_civil
        if (next.month == 13) next.year += 1, next.month = 1;
        ++parsed;
    }
    if (i != s.size() || parsed == 3) return user_date_error(text); // junk, or an hour alone
    return end_of_range ? utc_from_civil(next) - 1 : utc_from_civil(t);
}

DateChoice choose_date(std::string_view date_header, std::string_view from_line,
                       const std::vector<std::string>& received_dates, int64_t now,
                       std::optional<int64_t> file_mtime) {
    DateChoice c;
    const ParsedDate header = parse_rfc5322_date(date_header);
    c.flags |= header.flags; // no_date / bad_date, or bad_offset
    if (header.ok) {
        c.header_utc = header.utc;
        if (!is_suspicious(header.utc, now)) {
            c.utc = header.utc;
            c.offset_minutes = header.offset_minutes;
            c.source = "header";
            return c;
        }
        c.flags |= flag_suspicious_date;
    }

    struct Candidate {
        int64_t utc;
        const char* source;
    };
    std::vector<Candidate> from_candidates, received_candidates;
    if (!trim(from_line).empty()) {
        if (ParsedDate d = parse_from_line_date(from_line); d.ok)
            from_candidates.push_back({d.utc, "from_line"});
    }
    for (const auto& r : received_dates) {
        if (ParsedDate d = parse_rfc5322_date(r); d.ok)
            received_candidates.push_back({d.utc, "received"});
    }
    std::vector<Candidate> order;
    const auto append = [&order](const std::vector<Candidate>& v) {
        order.insert(order.end(), v.begin(), v.end());
    };
    if (header.ok) {
        append(received_candidates); // public-inbox prefers Received (item 11)
        append(from_candidates);
    } else {
        append(from_candidates); // item 9 order
        append(received_candidates);
    }
    if (file_mtime) order.push_back({*file_mtime, "mtime"});

    const Candidate* chosen = nullptr;
    for (const auto& cand : order) {
        if (!is_suspicious(cand.utc, now)) {
            chosen = &cand;
            break;
        }
    }
    if (chosen == nullptr && header.ok) {
        c.utc = header.utc; // every fallback is suspicious too: keep the header
        c.offset_minutes = header.offset_minutes;
        c.source = "header";
        return c;
    }
    if (chosen == nullptr && !order.empty()) {
        chosen = &order.front();
        c.flags |= flag_suspicious_date;
    }
    if (chosen != nullptr) {
        c.utc = chosen->utc;
        c.source = chosen->source;
    }
    return c;
}

} // namespace mlarc
