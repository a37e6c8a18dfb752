// Tests of util/date: civil arithmetic, the lenient Date parser on real-world
// forms (the broken ones of FAILURE-MODES items 10-11 and the linux-mips
// corpus oddities), From_ lines, the date fallback chain, user dates, output.
#include "test_support.hpp"

#include "mime/message.hpp"
#include "util/date.hpp"

#include <string>
#include <vector>

using namespace mlarc;

namespace {

// "2018-03-05T10:00:00+01:00" for a date that parses, "" otherwise.
std::string parsed_iso(const std::string& text) {
    const ParsedDate d = parse_rfc5322_date(text);
    return d.ok ? format_iso8601(d.utc, d.offset_minutes) : std::string();
}

std::string from_line_iso(const std::string& line) {
    const ParsedDate d = parse_from_line_date(line);
    return d.ok ? format_iso8601(d.utc, d.offset_minutes) : std::string();
}

// 2024-06-01T00:00:00Z, the "now" of the fallback tests.
constexpr int64_t kNow = 1717200000;

} // namespace

TEST_CASE("civil conversions match known instants", "[date]") {
    CHECK(days_from_civil(1970, 1, 1) == 0);
    CHECK(utc_from_civil({1980, 1, 1, 0, 0, 0}) == 315532800);
    CHECK(utc_from_civil({2038, 1, 19, 3, 14, 8}) == 2147483648LL); // past 32-bit time_t
    CHECK(utc_from_civil({2000, 2, 29, 0, 0, 0}) == 951782400);
    CHECK(utc_from_civil({1900, 1, 1, 0, 0, 0}) == -2208988800LL);
    CHECK(utc_from_civil({1969, 12, 31, 23, 59, 59}) == -1);
    CHECK(utc_from_civil({9999, 12, 31, 23, 59, 59}) == 253402300799LL);
    CHECK(utc_from_civil({1, 1, 1, 0, 0, 0}) == -62135596800LL);
    CHECK(utc_from_civil({2400, 2, 29, 0, 0, 0}) == 13574563200LL);
    CHECK(utc_from_civil({2100, 3, 1, 0, 0, 0}) == 4107542400LL);
}

TEST_CASE("civil round trip over a wide range, day by day around edges", "[date]") {
    for (int64_t utc :
         {int64_t{-62135596800}, int64_t{-2208988800}, int64_t{-1}, int64_t{0}, int64_t{951782400},
          int64_t{2147483647}, int64_t{2147483648}, int64_t{4107542400}, int64_t{253402300799}}) {
        const CivilTime t = civil_from_utc(utc);
        CHECK(utc_from_civil(t) == utc);
    }
    // Every day from 1899 to 2101 maps back to itself and advances by one.
    const int64_t first = days_from_civil(1899, 1, 1), last = days_from_civil(2101, 12, 31);
    CivilTime prev = civil_from_utc(first * 86400 - 86400);
    for (int64_t day = first; day <= last; ++day) {
        const CivilTime t = civil_from_utc(day * 86400 + 3661);
        REQUIRE(days_from_civil(t.year, t.month, t.day) == day);
        REQUIRE(t.hour == 1);
        REQUIRE(t.minute == 1);
        REQUIRE(t.second == 1);
        const bool next_day =
            (t.day == prev.day + 1 && t.month == prev.month) ||
            (t.day == 1 && (t.month == prev.month + 1 || (t.month == 1 && prev.month == 12)));
        REQUIRE(next_day);
        prev = t;
    }
}

TEST_CASE("days_in_month knows leap years", "[date]") {
    CHECK(days_in_month(2000, 2) == 29);
    CHECK(days_in_month(1900, 2) == 28);
    CHECK(days_in_month(2024, 2) == 29);
    CHECK(days_in_month(2023, 2) == 28);
    CHECK(days_in_month(2400, 2) == 29);
    CHECK(days_in_month(2023, 4) == 30);
    CHECK(days_in_month(2023, 12) == 31);
    CHECK(days_in_month(2023, 13) == 0);
    CHECK(days_in_month(2023, 0) == 0);
}

TEST_CASE("formatting", "[date]") {
    CHECK(format_iso8601(1519894800, 60) == "2018-03-01T10:00:00+01:00");
    CHECK(format_iso8601(1519894800, 0) == "2018-03-01T09:00:00+00:00");
    CHECK(format_iso8601(1519894800, -330) == "2018-03-01T03:30:00-05:30");
    CHECK(format_iso8601(-1, 0) == "1969-12-31T23:59:59+00:00");
    CHECK(format_iso8601(2147483648LL, 0) == "2038-01-19T03:14:08+00:00");
    CHECK(format_date_utc(1519894800) == "2018-03-01");
    CHECK(format_date_utc(0) == "1970-01-01");
    CHECK(format_date_utc(253402300799LL) == "9999-12-31");
    CHECK(format_date_utc(-2208988800LL) == "1900-01-01");
    CHECK(format_date_utc(-59011459200LL) == "0100-01-01");         // year 100 (FAILURE-MODES 10)
    CHECK(format_date_utc(-62167219200LL) == "0000-01-01");         // year 0
    CHECK(format_date_utc(-62167219200LL - 86400) == "-001-12-31"); // before year 0
    CHECK(format_date_utc(253402300800LL) == "10000-01-01");
}

TEST_CASE("RFC 5322 dates and their obsolete forms", "[date]") {
    CHECK(parsed_iso("Mon, 05 Mar 2018 10:00:00 +0100") == "2018-03-05T10:00:00+01:00");
    CHECK(parsed_iso("Thu, 1 Mar 2018 10:00:00 +0100") == "2018-03-01T10:00:00+01:00");
    CHECK(parsed_iso("Fri,  6 Apr 2007 15:43:55 -0700 (PDT)") == "2007-04-06T15:43:55-07:00");
    CHECK(parsed_iso("04 Sep 2002 19:07:34 -0700") == "2002-09-04T19:07:34-07:00");
    CHECK(parsed_iso("\tTue, 29 Jul 97 00:08:29 +0900") == "1997-07-29T00:08:29+09:00");
    CHECK(parsed_iso("Tue, 04 Dec 2001 17:11:25 -0459") == "2001-12-04T17:11:25-04:59");
    CHECK(parsed_iso("Thu, 6 Dec 2001 09:21:06 -0000 (GMT)") == "2001-12-06T09:21:06+00:00");
    CHECK(parsed_iso("Thu, 13 Feb 1969 23:32:54 -0330") == "1969-02-13T23:32:54-03:30");
    CHECK(parsed_iso("Mon, 5 Mar 2018 10:00 +0100") == "2018-03-05T10:00:00+01:00"); // no seconds
    CHECK(parsed_iso("Fri, 23 Aug 2002 2:32:53 -0400") == "2002-08-23T02:32:53-04:00");
    CHECK(parsed_iso("Tue, 5 Nov 2002 9:4:3 +0100") == "2002-11-05T09:04:03+01:00");
    CHECK(parsed_iso("Wed, 15 Dec 2010 12:21:20 -0500 ") == "2010-12-15T12:21:20-05:00");
    CHECK(parsed_iso("Mon , 5 Mar 2018 10:00:00 +0100") == "2018-03-05T10:00:00+01:00");
    CHECK(parsed_iso("Tue,24 Dec 2002 20:48:11 PM") == "2002-12-24T20:48:11+00:00");
    CHECK(parsed_iso("Mon, 05 Mar 2018 10:00:60 +0000") ==
          "2018-03-05T10:01:00+00:00");                                           // leap second
    CHECK(parsed_iso("Fri, 7 Dec 2001 07:01:03") == "2001-12-07T07:01:03+00:00"); // no zone
    CHECK(parsed_iso("5 Mar 2018") == "2018-03-05T00:00:00+00:00");               // no time
    CHECK(parsed_iso("Mon, 5 Mar 2018 10:00:00 +0100 (CET)") == "2018-03-05T10:00:00+01:00");
    CHECK(parsed_iso("Mon, 5 Mar 2018 10:00:00 +0100 (a (nested) comment)") ==
          "2018-03-05T10:00:00+01:00");
    CHECK(parsed_iso("Sat, 20 Sep 2008 20:04:30 +0300 (\xf9\xf2\xe5\xef \xf7\xe9\xf5)") ==
          "2008-09-20T20:04:30+03:00"); // raw 8-bit comment
    CHECK(parsed_iso("1-Jan-2019 10:00:00 +0000") == "2019-01-01T10:00:00+00:00");
}

TEST_CASE("two- and three-digit years", "[date]") {
    CHECK(parsed_iso("Mon, 09 Feb 04 23:17:44 GMT") == "2004-02-09T23:17:44+00:00");
    CHECK(parsed_iso("Fri, 24 May 91 10:40:25 EDT") == "1991-05-24T10:40:25-04:00");
    CHECK(parsed_iso("21 Nov 97 09:55:06 GMT") == "1997-11-21T09:55:06+00:00");
    CHECK(parsed_iso("1 Jan 00 00:00:00 +0000") == "2000-01-01T00:00:00+00:00");
    CHECK(parsed_iso("1 Jan 49 00:00:00 +0000") == "2049-01-01T00:00:00+00:00");
    CHECK(parsed_iso("1 Jan 50 00:00:00 +0000") == "1950-01-01T00:00:00+00:00");
    CHECK(parsed_iso("1 Jan 99 00:00:00 +0000") == "1999-01-01T00:00:00+00:00");
    CHECK(parsed_iso("1 Jan 102 00:00:00 +0000") == "2002-01-01T00:00:00+00:00");
    // linux-mips: the two messages filed under year "102".
    CHECK(parsed_iso("Sat, 18 May 0102 19:56:53 -0900") == "2002-05-18T19:56:53-09:00");
    CHECK(parsed_iso("Thu, 30 May 0102 22:35:21 +0100") == "2002-05-30T22:35:21+01:00");
}

TEST_CASE("named zones, comments and odd offsets", "[date]") {
    CHECK(parsed_iso("Thu, 20 Jun 2002 05:53:48 UT") == "2002-06-20T05:53:48+00:00");
    CHECK(parsed_iso("Wed, 18 Feb 2004 13:42:22 EST") == "2004-02-18T13:42:22-05:00");
    CHECK(parsed_iso("Wed, 9 Jan 2002 19:47:50 MST") == "2002-01-09T19:47:50-07:00");
    CHECK(parsed_iso("20 Dec 00 22:39:36 EET") == "2000-12-20T22:39:36+02:00");
    CHECK(parsed_iso("Mon, 5 Mar 2018 10:00:00 CEST") == "2018-03-05T10:00:00+02:00");
    CHECK(parsed_iso("Mon, 5 Mar 2018 10:00:00 PDT") == "2018-03-05T10:00:00-07:00");
    CHECK(parsed_iso("Mon, 5 Mar 2018 10:00:00 JST") == "2018-03-05T10:00:00+09:00");
    CHECK(parsed_iso("Mon, 5 Mar 2018 10:00:00 MET DST") == "2018-03-05T10:00:00+02:00");
    CHECK(parsed_iso("Thu, 30 Aug 2001 00:41:26 MET-1") == "2001-08-30T00:41:26+01:00");
    CHECK(parsed_iso("Mon, 5 Mar 2018 10:00:00 GMT+00:00") == "2018-03-05T10:00:00+00:00");
    CHECK(parsed_iso("Mon, 5 Mar 2018 10:00:00 GMT+01:00") == "2018-03-05T10:00:00+01:00");
    CHECK(parsed_iso("Mon, 5 Mar 2018 10:00:00 UTC-5") == "2018-03-05T10:00:00-05:00");
    CHECK(parsed_iso("Mon, 5 Mar 2018 10:00:00 (GMT Standard Time)") ==
          "2018-03-05T10:00:00+00:00");
    CHECK(parsed_iso("Mon, 5 Mar 2018 10:00:00 (Pacific Standard Time)") ==
          "2018-03-05T10:00:00-08:00");
    CHECK(parsed_iso("Thu, 16 Jun 2016 00:41:19 (UTC)") == "2016-06-16T00:41:19+00:00");
    CHECK(parsed_iso("Mon, 5 Mar 2018 10:00:00 (CEST)") == "2018-03-05T10:00:00+02:00");
    CHECK(parsed_iso("Mon, 5 Mar 2018 10:00:00 (GMT+01:00) Amsterdam") ==
          "2018-03-05T10:00:00+01:00");
    CHECK(parsed_iso("Tue, 29 Feb 2000 18:39:12 z (GMT)") == "2000-02-29T18:39:12+00:00");
    CHECK(parsed_iso("Mon, 29 Sep 97 11:11:00 S") == "1997-09-29T11:11:00+00:00"); // military
    CHECK(parsed_iso("Tue, 12 Oct 2010 16:21:05 H0500") == "2010-10-12T16:21:05+00:00");
    CHECK(parsed_iso("Mon, 5 Mar 2018 10:00:00 XYZT") == "2018-03-05T10:00:00+00:00"); // unknown
    CHECK(parsed_iso("Thu, 22 Nov 2001 16:33:01 -00") == "2001-11-22T16:33:01+00:00");
    CHECK(parsed_iso("Thu, 22 Nov 2001 16:33:01 +05:30") == "2001-11-22T16:33:01+05:30");
    CHECK(parsed_iso("Tue, 5 Nov 2002 12:44 0000") == "2002-11-05T12:44:00+00:00");
    // A numeric offset beats the zone name (here China's CST, not US Central).
    CHECK(parsed_iso("Thu, 08 Oct 2015 23:27:23 +0800 (CST)") == "2015-10-08T23:27:23+08:00");
    CHECK(parsed_iso("Thu, 08 Oct 2015 23:27:23 +0800 CST") == "2015-10-08T23:27:23+08:00");
}

TEST_CASE("offsets beyond 14 hours are +0000 with flag_bad_offset", "[date]") {
    // linux-mips, file "1970": an impossible offset with a plausible comment.
    const ParsedDate d = parse_rfc5322_date("Tue, 30 Sep 1997 18:02:51 -3100 (PDT)");
    REQUIRE(d.ok);
    CHECK(d.offset_minutes == 0);
    CHECK((d.flags & flag_bad_offset) != 0);
    CHECK(format_iso8601(d.utc, 0) == "1997-09-30T18:02:51+00:00");

    for (const char* text : {"Mon, 5 Mar 2018 10:00:00 +1500", "Mon, 5 Mar 2018 10:00:00 -9999",
                             "Mon, 5 Mar 2018 10:00:00 +0199", "Mon, 5 Mar 2018 10:00:00 +123456",
                             "Mon, 5 Mar 2018 10:00:00 GMT+15:00"}) {
        INFO(text);
        const ParsedDate b = parse_rfc5322_date(text);
        REQUIRE(b.ok);
        CHECK(b.offset_minutes == 0);
        CHECK((b.flags & flag_bad_offset) != 0);
    }
    const ParsedDate edge = parse_rfc5322_date("Mon, 5 Mar 2018 10:00:00 +1400");
    CHECK(edge.ok);
    CHECK(edge.offset_minutes == 840);
    CHECK((edge.flags & flag_bad_offset) == 0);
    CHECK(parse_rfc5322_date("Mon, 5 Mar 2018 10:00:00 -1400").offset_minutes == -840);
}

TEST_CASE("day-month-year, month-day and asctime orders", "[date]") {
    CHECK(parsed_iso("Mon Apr 10 10:38:45 2006 +0200") == "2006-04-10T10:38:45+02:00");
    CHECK(parsed_iso("Mon Dec  1 00:00:18 2008") == "2008-12-01T00:00:18+00:00");
    CHECK(parsed_iso("Dec 1 2008 00:00:18") == "2008-12-01T00:00:18+00:00");
    CHECK(parsed_iso("March 5, 2018 10:00 AM EST") == "2018-03-05T10:00:00-05:00");
    CHECK(parsed_iso("5 March 2018, 10:00 PM") == "2018-03-05T22:00:00+00:00");
    CHECK(parsed_iso("18 Feb 01 12:29:13 AM") == "2001-02-18T00:29:13+00:00");
    CHECK(parsed_iso("18 Feb 01 12:29:13 PM") == "2001-02-18T12:29:13+00:00");
    CHECK(parsed_iso("2018 Mar 5 10:00:00") == "2018-03-05T10:00:00+00:00");
    CHECK(parsed_iso("5 Mar 2018 10pm") == "2018-03-05T22:00:00+00:00");
    CHECK(parsed_iso("5 Mar 2018 12am") == "2018-03-05T00:00:00+00:00");
    CHECK(parsed_iso("5 Mar 2018 10pm 11pm").empty());
    CHECK(parsed_iso("5 Mar 2018 1st").empty());
}

TEST_CASE("ISO 8601 and numeric dates", "[date]") {
    CHECK(parsed_iso("2024-01-01T10:00:00Z") == "2024-01-01T10:00:00+00:00");
    CHECK(parsed_iso("2024-01-01T10:00:00+01:00") == "2024-01-01T10:00:00+01:00");
    CHECK(parsed_iso("2024-01-01T10:00:00-0500") == "2024-01-01T10:00:00-05:00");
    CHECK(parsed_iso("2024-01-01T10:00:00.123Z") == "2024-01-01T10:00:00+00:00");
    CHECK(parsed_iso("2024-01-01 10:00:00 +0100") == "2024-01-01T10:00:00+01:00");
    CHECK(parsed_iso("2012-12-08 00:48") == "2012-12-08T00:48:00+00:00");
    CHECK(parsed_iso("2024-01-01") == "2024-01-01T00:00:00+00:00");
    CHECK(parsed_iso("13.06.2002 06:03:33 +0100") == "2002-06-13T06:03:33+01:00");
    CHECK(parsed_iso("06/13/2002 06:03") == "2002-06-13T06:03:00+00:00");
    CHECK(parsed_iso("13/06/2002 06:03") == "2002-06-13T06:03:00+00:00");
    CHECK(parsed_iso("2024-02-30T10:00:00Z").empty());
}

TEST_CASE("German and French dates, dots for colons", "[date]") {
    CHECK(parsed_iso("Donnerstag, 13 Juni 2002 06:03:33 0100") == "2002-06-13T06:03:33+01:00");
    CHECK(parsed_iso("Mi, 14 Mär 2018 10:00:00 +0100") == "2018-03-14T10:00:00+01:00");
    CHECK(parsed_iso("MI, 14 MÄR 2018 10:00:00 +0100") == "2018-03-14T10:00:00+01:00");
    CHECK(parsed_iso("Do, 5 Mrz 2015 10:00:00 +0100") == "2015-03-05T10:00:00+01:00");
    CHECK(parsed_iso("Fr, 3 Mai 2019 08:00:00 +0200") == "2019-05-03T08:00:00+02:00");
    CHECK(parsed_iso("Di, 1 Okt 2019 08:00:00 +0200") == "2019-10-01T08:00:00+02:00");
    CHECK(parsed_iso("So, 24 Dez 2017 18:00:00 +0100") == "2017-12-24T18:00:00+01:00");
    CHECK(parsed_iso("Mo, 5. Okt. 2015 10:00 MESZ") == "2015-10-05T10:00:00+02:00");
    CHECK(parsed_iso("lun., 8 janv. 2018 09:15:00 +0100") == "2018-01-08T09:15:00+01:00");
    CHECK(parsed_iso("mer. 7 févr. 2018 09:15:00 +0100") == "2018-02-07T09:15:00+01:00");
    CHECK(parsed_iso("mar., 5 mars 2019 09:15:00 +0100") == "2019-03-05T09:15:00+01:00");
    CHECK(parsed_iso("mar. 3 déc. 2019 09:15:00 +0100") == "2019-12-03T09:15:00+01:00");
    CHECK(parsed_iso("jeu. 15 août 2019 09:15:00 +0200") == "2019-08-15T09:15:00+02:00");
    CHECK(parsed_iso("Mar 5 2019 09:15:00") == "2019-03-05T09:15:00+00:00"); // English March
    CHECK(parsed_iso("Mon, 5 Mar 2018 10.00.00 +0100") == "2018-03-05T10:00:00+01:00");
    CHECK(parsed_iso("Mon, 5 Mar 2018 10.00 +0100") == "2018-03-05T10:00:00+01:00");
}

TEST_CASE("broken dates are not ok and flagged bad_date", "[date]") {
    for (const char* text : {
             "garbage",
             "Whenever",
             "Thu,",
             "Date: never",
             "Pn, 29 paX 2007 21:13:00 +0100",  // ruby-mail raw_email_with_bad_date
             "Wed, 15 Dec 2010    59:10 -0500", // ruby-mail bad_date_header2
             "Thu, 13 Feb 2003 27:00:00 +0000", // hour 27 (cpython msg_47)
             "Mon, 31 Feb 2003 10:00:00 +0000", // 31 Feb
             "Mon, 29 Feb 2023 10:00:00 +0000", // not a leap year
             "Mon, 29 Feb 1900 10:00:00 +0000", // century, not a leap year
             "Mon, 32 Jan 2003 10:00:00 +0000",
             "Mon, 5 Mar 2018 10:60:00 +0000",
             "Mon, 5 Mar 2018 24:00:00 +0000",
             "Tue, 7 Apr 2026 10:00:t <rimap-test@example.test>",
             "Thu Jan 01 00:00:10 +0000",       // no year
             "Mon, 5 2018 10:00:00 +0000",      // no month
             "Mon, 5 Mar 2018 Jan 10:00:00",    // two months
             "Mon, 5 Mar 12345 10:00:00 +0000", // 5-digit year
             "1-Jan-20195. 10:00",              // 5-digit year, VMS style
             "=?utf-8?Q?Mon=2C_5_Mar_2018_10=3A00=3A00_+0100?=",
             "Mon, 5 Mar 2018 =?iso-8859-1?q?10:00?= +0100",
         }) {
        INFO(text);
        const ParsedDate d = parse_rfc5322_date(text);
        CHECK_FALSE(d.ok);
        CHECK(d.flags == flag_bad_date);
        CHECK(d.utc == 0);
    }
    CHECK(parse_rfc5322_date("").flags == flag_no_date);
    CHECK(parse_rfc5322_date("   \t").flags == flag_no_date);
    CHECK_FALSE(parse_rfc5322_date("").ok);
}

TEST_CASE("dates that parse but are suspicious", "[date]") {
    const ParsedDate epoch = parse_rfc5322_date("Thu, 01 Jan 1970 00:00:00 +0000");
    REQUIRE(epoch.ok);
    CHECK(epoch.utc == 0);
    CHECK(is_suspicious(epoch.utc, kNow));

    const ParsedDate far =
        parse_rfc5322_date("Mon, 30 Jun 3609 15:33:50 +0600"); // raw_email_bad_time
    REQUIRE(far.ok);
    CHECK(format_date_utc(far.utc) == "3609-06-30");
    CHECK(is_suspicious(far.utc, kNow));

    const ParsedDate post2038 = parse_rfc5322_date("Tue, 19 Jan 2038 03:14:08 +0000");
    REQUIRE(post2038.ok);
    CHECK(post2038.utc == 2147483648LL);
    CHECK(is_suspicious(post2038.utc, kNow));
    CHECK_FALSE(is_suspicious(post2038.utc, post2038.utc));

    const ParsedDate y9999 = parse_rfc5322_date("Fri, 31 Dec 9999 23:59:59 +0000");
    REQUIRE(y9999.ok);
    CHECK(y9999.utc == 253402300799LL);

    const ParsedDate y1900 = parse_rfc5322_date("Mon, 1 Jan 1900 00:00:00 +0000");
    REQUIRE(y1900.ok);
    CHECK(y1900.utc == -2208988800LL);
    CHECK(is_suspicious(y1900.utc, kNow));

    CHECK_FALSE(is_suspicious(kSuspiciousBefore, kNow));
    CHECK(is_suspicious(kSuspiciousBefore - 1, kNow));
    CHECK_FALSE(is_suspicious(kNow + 86400, kNow));
    CHECK(is_suspicious(kNow + 86401, kNow));
}

TEST_CASE("round trip through format_iso8601", "[date]") {
    for (int64_t utc : {int64_t{0}, int64_t{951782400}, int64_t{1519894800}, int64_t{2147483648},
                        int64_t{-2208988800}, int64_t{4107542400}}) {
        for (int offset : {0, 60, -300, 330, 840, -840}) {
            const std::string iso = format_iso8601(utc, offset);
            INFO(iso);
            const ParsedDate d = parse_rfc5322_date(iso);
            REQUIRE(d.ok);
            CHECK(d.utc == utc);
            CHECK(d.offset_minutes == offset);
        }
    }
}

TEST_CASE("From_ line dates", "[date]") {
    CHECK(from_line_iso("From sender Mon Dec  1 00:00:18 2008") == "2008-12-01T00:00:18+00:00");
    CHECK(from_line_iso("From MAILER-DAEMON Fri Jul  8 12:08:34 2011") ==
          "2011-07-08T12:08:34+00:00");
    CHECK(from_line_iso("From user at host.org  Mon Dec  1 00:00:18 2008") ==
          "2008-12-01T00:00:18+00:00"); // pipermail
    CHECK(from_line_iso("From jan@example.org Mon Dec  1 00:00:18 2008") ==
          "2008-12-01T00:00:18+00:00");
    CHECK(from_line_iso("From may at example.org Mon Dec  1 00:00:18 2008") ==
          "2008-12-01T00:00:18+00:00"); // a sender named like a month
    CHECK(from_line_iso("From - Mon Dec 01 00:00:18 2008") == "2008-12-01T00:00:18+00:00");
    CHECK(from_line_iso("From sender Mon Dec  1 00:00:18 2008 +0100") ==
          "2008-12-01T00:00:18+01:00");
    CHECK(from_line_iso("From sender Mon Dec  1 00:00:18 CET 2008") == "2008-12-01T00:00:18+01:00");
    CHECK(from_line_iso("From sender Mon, 1 Dec 2008 00:00:18 +0000") ==
          "2008-12-01T00:00:18+00:00");
    CHECK(from_line_iso("From sender Mon Dec  1 00:00:18 2008 remote from uunet") ==
          "2008-12-01T00:00:18+00:00");
    CHECK(from_line_iso("From sender Dec  1 00:00:18 2008") == "2008-12-01T00:00:18+00:00");
    // linux-mips oddities.
    CHECK(from_line_iso("From MAILER-DAEMON Fri May 19 04:56:53 102") ==
          "2002-05-19T04:56:53+00:00");
    CHECK(from_line_iso("From MAILER-DAEMON Thu Jan 01 00:00:00 1970") ==
          "1970-01-01T00:00:00+00:00");
    // Not dates.
    CHECK(from_line_iso("From sender").empty());
    CHECK(from_line_iso("From sender Mon Dec 99 00:00:18 2008").empty());
    CHECK(from_line_iso("").empty());
    CHECK(parse_from_line_date("From x garbage").flags == flag_bad_date);
}

TEST_CASE("choose_date: a good header wins", "[date]") {
    const DateChoice c =
        choose_date("Mon, 5 Mar 2018 10:00:00 +0100", "From x Mon Mar  5 09:00:05 2018",
                    {"Mon, 5 Mar 2018 10:00:03 +0100"}, kNow);
    CHECK(c.source == "header");
    CHECK(format_iso8601(c.utc, c.offset_minutes) == "2018-03-05T10:00:00+01:00");
    CHECK(c.flags == 0);
    REQUIRE(c.header_utc);
    CHECK(*c.header_utc == c.utc);
}

TEST_CASE("choose_date: header offset out of range", "[date]") {
    const DateChoice c = choose_date("Tue, 30 Sep 1997 18:02:51 -3100 (PDT)",
                                     "From MAILER-DAEMON Thu Jan 01 00:00:00 1970", {}, kNow);
    CHECK(c.source == "header");
    CHECK(c.flags == flag_bad_offset);
    CHECK(format_iso8601(c.utc, c.offset_minutes) == "1997-09-30T18:02:51+00:00");
}

TEST_CASE("choose_date: missing header falls back in order", "[date]") {
    const std::vector<std::string> received{"Mon, 5 Mar 2018 10:00:07 +0100",
                                            "Mon, 5 Mar 2018 10:00:03 +0100"};
    // From_ line first.
    DateChoice c = choose_date("", "From x Mon Mar  5 09:00:05 2018", received, kNow);
    CHECK(c.source == "from_line");
    CHECK(format_iso8601(c.utc, 0) == "2018-03-05T09:00:05+00:00");
    CHECK(c.offset_minutes == 0);
    CHECK(c.flags == flag_no_date);
    CHECK_FALSE(c.header_utc);
    // Then the newest Received date.
    c = choose_date("", "", received, kNow);
    CHECK(c.source == "received");
    CHECK(format_iso8601(c.utc, 60) == "2018-03-05T10:00:07+01:00");
    CHECK(c.flags == flag_no_date);
    // An unparseable Received is skipped.
    c = choose_date("", "From x", {"junk", "Mon, 5 Mar 2018 10:00:03 +0100"}, kNow);
    CHECK(c.source == "received");
    CHECK(format_iso8601(c.utc, 60) == "2018-03-05T10:00:03+01:00");
    // Then the file mtime.
    c = choose_date("", "", {}, kNow, int64_t{1519894800});
    CHECK(c.source == "mtime");
    CHECK(c.utc == 1519894800);
    CHECK(c.flags == flag_no_date);
}

TEST_CASE("choose_date: unparseable header", "[date]") {
    DateChoice c =
        choose_date("Pn, 29 paX 2007 21:13:00 +0100", "From x Thu Mar 29 20:13:00 2007", {}, kNow);
    CHECK(c.source == "from_line");
    CHECK(c.flags == flag_bad_date);
    CHECK(format_date_utc(c.utc) == "2007-03-29");
    // Nothing else either: utc 0 but never silently.
    c = choose_date("garbage", "From x", {"junk"}, kNow);
    CHECK(c.source == "none");
    CHECK(c.utc == 0);
    CHECK(c.flags == flag_bad_date);
    c = choose_date("", "", {}, kNow);
    CHECK(c.source == "none");
    CHECK(c.utc == 0);
    CHECK(c.flags == flag_no_date);
}

TEST_CASE("choose_date: suspicious header prefers Received", "[date]") {
    // The linux-mips pattern: a 1970 Date (and From_ line copied from it), a real Received.
    DateChoice c = choose_date("Thu, 01 Jan 1970 00:00:00 +0000",
                               "From MAILER-DAEMON Thu Jan 01 00:00:00 1970",
                               {"Tue, 30 Sep 1997 18:07:11 -0700 (PDT)"}, kNow);
    CHECK(c.source == "received");
    CHECK(c.flags == flag_suspicious_date);
    CHECK(format_iso8601(c.utc, -420) == "1997-09-30T18:07:11-07:00");
    REQUIRE(c.header_utc);
    CHECK(*c.header_utc == 0);
    // From_ line when there is no usable Received.
    c = choose_date("Mon, 30 Jun 3609 15:33:50 +0600", "From x Sat Sep 20 17:04:30 2008",
                    {"Mon, 30 Jun 3609 15:33:50 +0600"}, kNow);
    CHECK(c.source == "from_line");
    CHECK(c.flags == flag_suspicious_date);
    CHECK(format_date_utc(c.utc) == "2008-09-20");
    // No fallback at all: keep the header, flagged.
    c = choose_date("Thu, 01 Jan 1970 00:00:00 +0000", "", {}, kNow);
    CHECK(c.source == "header");
    CHECK(c.utc == 0);
    CHECK(c.flags == flag_suspicious_date);
}

TEST_CASE("choose_date: only suspicious fallbacks", "[date]") {
    const DateChoice c = choose_date("", "From MAILER-DAEMON Thu Jan 01 00:00:00 1970",
                                     {"Thu, 01 Jan 1970 00:00:05 +0000"}, kNow);
    CHECK(c.source == "from_line");
    CHECK(c.utc == 0);
    CHECK(c.flags == (flag_no_date | flag_suspicious_date));
}

TEST_CASE("user dates: absolute forms and their ends", "[date]") {
    const auto start = [](const char* s) { return parse_user_date(s, kNow, false); };
    const auto end = [](const char* s) { return parse_user_date(s, kNow, true); };
    REQUIRE(start("2018"));
    CHECK(format_iso8601(*start("2018"), 0) == "2018-01-01T00:00:00+00:00");
    CHECK(format_iso8601(*end("2018"), 0) == "2018-12-31T23:59:59+00:00");
    CHECK(format_iso8601(*start("2018-03"), 0) == "2018-03-01T00:00:00+00:00");
    CHECK(format_iso8601(*end("2018-03"), 0) == "2018-03-31T23:59:59+00:00");
    CHECK(format_iso8601(*end("2018-12"), 0) == "2018-12-31T23:59:59+00:00");
    CHECK(format_iso8601(*end("2024-02"), 0) == "2024-02-29T23:59:59+00:00");
    CHECK(format_iso8601(*end("2023-02"), 0) == "2023-02-28T23:59:59+00:00");
    CHECK(format_iso8601(*start("2018-03-05"), 0) == "2018-03-05T00:00:00+00:00");
    CHECK(format_iso8601(*end("2018-03-05"), 0) == "2018-03-05T23:59:59+00:00");
    CHECK(format_iso8601(*end("2018-12-31"), 0) == "2018-12-31T23:59:59+00:00");
    CHECK(format_iso8601(*start("2018-03-05T10:00"), 0) == "2018-03-05T10:00:00+00:00");
    CHECK(format_iso8601(*end("2018-03-05T10:00"), 0) == "2018-03-05T10:00:59+00:00");
    CHECK(format_iso8601(*end("2018-03-05 23:59"), 0) == "2018-03-05T23:59:59+00:00");
    CHECK(format_iso8601(*start("2018-03-05T10:00:30"), 0) == "2018-03-05T10:00:30+00:00");
    CHECK(format_iso8601(*end("2018-03-05T10:00:30"), 0) == "2018-03-05T10:00:30+00:00");
    CHECK(*start("  2040-06-01 ") == utc_from_civil({2040, 6, 1, 0, 0, 0})); // after 2038
    CHECK(*start("1969") == utc_from_civil({1969, 1, 1, 0, 0, 0}));
}

TEST_CASE("user dates: today, yesterday, now and relative", "[date]") {
    const int64_t now = utc_from_civil({2024, 3, 31, 15, 30, 0});
    const auto at = [now](const char* s, bool end) { return parse_user_date(s, now, end); };
    CHECK(format_iso8601(*at("today", false), 0) == "2024-03-31T00:00:00+00:00");
    CHECK(format_iso8601(*at("TODAY", true), 0) == "2024-03-31T23:59:59+00:00");
    CHECK(format_iso8601(*at("yesterday", false), 0) == "2024-03-30T00:00:00+00:00");
    CHECK(format_iso8601(*at("yesterday", true), 0) == "2024-03-30T23:59:59+00:00");
    CHECK(*at("now", false) == now);
    CHECK(*at("now", true) == now);
    CHECK(format_iso8601(*at("3d", false), 0) == "2024-03-28T15:30:00+00:00");
    CHECK(*at("3d", true) == *at("3d", false));
    CHECK(format_iso8601(*at("2w", false), 0) == "2024-03-17T15:30:00+00:00");
    CHECK(format_iso8601(*at("1m", false), 0) == "2024-02-29T15:30:00+00:00"); // clamped
    CHECK(format_iso8601(*at("3m", false), 0) == "2023-12-31T15:30:00+00:00");
    CHECK(format_iso8601(*at("1y", false), 0) == "2023-03-31T15:30:00+00:00");
    CHECK(format_iso8601(*at("14m", false), 0) == "2023-01-31T15:30:00+00:00");
    CHECK(format_iso8601(*at("0d", false), 0) == "2024-03-31T15:30:00+00:00");
    const int64_t leap = utc_from_civil({2024, 2, 29, 0, 0, 0});
    CHECK(format_iso8601(*parse_user_date("1y", leap, false), 0) == "2023-02-28T00:00:00+00:00");
}

TEST_CASE("user dates: bad input is a usage error naming the forms", "[date]") {
    for (const char* s : {"", "garbage", "18", "2018-3", "2018-13", "2018-02-30",
                          "2018-03-05T25:00", "2018-03-05T10", "2018-03-05T10:00:61", "2018/03/05",
                          "3x", "d3", "-3d", "2018-03-05T10:00Z", "0000", "tomorrow"}) {
        INFO(s);
        const auto r = parse_user_date(s, kNow, false);
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().code == Errc::usage);
        CHECK(r.error().message.find("YYYY-MM-DD") != std::string::npos);
        CHECK(r.error().message.find("yesterday") != std::string::npos);
    }
}

TEST_CASE("the corpus files of FAILURE-MODES item 10", "[date][corpus]") {
    MLARC_SKIP_IF_NO_CORPUS(dir, "edge/ruby-mail");
    const std::vector<std::pair<std::string, bool>> files{
        {"error_emails/bad_date_header2.eml", false},
        {"plain_emails/raw_email_with_bad_date.eml", false},
        {"plain_emails/raw_email_bad_time.eml", true},
        {"plain_emails/raw_email_string_in_date_field.eml", true},
    };
    for (const auto& [name, ok] : files) {
        const std::string text = mlarc::test::read_file(dir / name);
        const size_t at = text.find("\nDate:");
        REQUIRE(at != std::string::npos);
        const size_t eol = text.find('\n', at + 1);
        const std::string value = text.substr(at + 6, eol - at - 6);
        INFO(name << ": " << value);
        CHECK(parse_rfc5322_date(value).ok == ok);
    }
}

// Hidden: registered on its own in tests/CMakeLists.txt with a TIMEOUT (a
// quadratic parser hangs this test rather than failing a timed assertion).
TEST_CASE("parse_from_line_date is linear in the line length", "[.linear]") {
    // 2 MB of day names: each name used to re-parse the rest of the line
    // (64 kB took 39 s, so this would take hours).
    std::string line = "From x";
    for (int i = 0; i < 500000; ++i)
        line += " Mon";
    CHECK_FALSE(parse_from_line_date(line).ok);
    CHECK(from_line_iso("From x Mon Mon Jan  1 10:00:00 2001") == "2001-01-01T10:00:00+00:00");
}
