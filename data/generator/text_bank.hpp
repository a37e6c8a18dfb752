// Purpose: the canned vocabulary of mlarc-sample-gen. It holds organisations
// and their mail domains, personal names by naming tradition (with native
// script where mail clients would show it), and the sentence, subject and
// signature templates that the renderer fills in.
//
// Template placeholders (expanded by render.cpp):
//   {ref}   a deliverable mention (kind id | spaced | word | output_doc | title)
//   {short} a short output-document mention such as "O-156" (templates put a
//           "see"/"in" context right before it)
//   {num}   the bare number of a deliverable ("3.2"), only in distractor
//           sentences that must NOT be read as deliverable mentions
//   {wg} {first} {date} {city} {mtg} {idoc} {year}
// The plain sentences contain no deliverable-like tokens. Tests rely on that,
// so keep "D<d>.<d>", "O-<ddd>" and deliverable titles out of them.
#pragma once

#include <cstdint>
#include <string_view>

namespace sample_gen::bank {

enum class Style : uint8_t { chinese, korean, japanese, arabic, german, french, english,
                             indian, iberian, russian, nordic, african };
enum class Dst : uint8_t { none, eu, us };
/// How an organisation forms local parts: first.last, flast, lastfirst (pinyin
/// style), first_last, lastfirst + digits, last + initials, f-last.
enum class AddrStyle : uint8_t { first_dot_last, flast, lastfirst, first_under_last,
                                 lastfirst_digits, last_initials, f_dash_last };

struct Org {
    std::string_view domain;
    std::string_view name;
    int tz_min; // standard-time offset east of UTC
    Dst dst;
    Style style;
    AddrStyle addr;
    uint16_t weight; // relative share of subscribers
};

inline constexpr Org k_orgs[] = {
    {"itu.int", "International Telecommunication Union", 60, Dst::eu, Style::english, AddrStyle::first_dot_last, 14},
    {"huawei.com", "Huawei Technologies Co., Ltd.", 480, Dst::none, Style::chinese, AddrStyle::lastfirst_digits, 60},
    {"chinatelecom.cn", "China Telecom", 480, Dst::none, Style::chinese, AddrStyle::lastfirst, 34},
    {"chinamobile.com", "China Mobile", 480, Dst::none, Style::chinese, AddrStyle::lastfirst, 30},
    {"chinaunicom.cn", "China Unicom", 480, Dst::none, Style::chinese, AddrStyle::lastfirst, 18},
    {"caict.ac.cn", "China Academy of Information and Communications Technology (CAICT)", 480, Dst::none, Style::chinese, AddrStyle::lastfirst, 40},
    {"zte.com.cn", "ZTE Corporation", 480, Dst::none, Style::chinese, AddrStyle::first_dot_last, 22},
    {"cesi.cn", "China Electronics Standardization Institute", 480, Dst::none, Style::chinese, AddrStyle::lastfirst, 14},
    {"bupt.edu.cn", "Beijing University of Posts and Telecommunications", 480, Dst::none, Style::chinese, AddrStyle::lastfirst, 14},
    {"etri.re.kr", "ETRI", 540, Dst::none, Style::korean, AddrStyle::last_initials, 36},
    {"kt.com", "KT Corporation", 540, Dst::none, Style::korean, AddrStyle::first_dot_last, 12},
    {"tta.or.kr", "TTA", 540, Dst::none, Style::korean, AddrStyle::lastfirst, 10},
    {"kaist.ac.kr", "KAIST", 540, Dst::none, Style::korean, AddrStyle::flast, 8},
    {"kddi.com", "KDDI Corporation", 540, Dst::none, Style::japanese, AddrStyle::f_dash_last, 12},
    {"ntt.com", "NTT Communications", 540, Dst::none, Style::japanese, AddrStyle::first_dot_last, 10},
    {"nec.com", "NEC Corporation", 540, Dst::none, Style::japanese, AddrStyle::f_dash_last, 7},
    {"fokus.fraunhofer.de", "Fraunhofer FOKUS", 60, Dst::eu, Style::german, AddrStyle::first_dot_last, 14},
    {"iosb.fraunhofer.de", "Fraunhofer IOSB", 60, Dst::eu, Style::german, AddrStyle::first_dot_last, 9},
    {"telekom.de", "Deutsche Telekom AG", 60, Dst::eu, Style::german, AddrStyle::first_dot_last, 9},
    {"du.ae", "Emirates Integrated Telecommunications Company (du)", 240, Dst::none, Style::arabic, AddrStyle::first_dot_last, 15},
    {"tra.gov.ae", "Telecommunications Regulatory Authority, UAE", 240, Dst::none, Style::arabic, AddrStyle::first_dot_last, 10},
    {"smartdubai.ae", "Smart Dubai Office", 240, Dst::none, Style::arabic, AddrStyle::first_dot_last, 10},
    {"stc.com.sa", "Saudi Telecom Company", 180, Dst::none, Style::arabic, AddrStyle::flast, 6},
    {"tra.gov.eg", "National Telecom Regulatory Authority, Egypt", 120, Dst::none, Style::arabic, AddrStyle::first_under_last, 6},
    {"orange.com", "Orange", 60, Dst::eu, Style::french, AddrStyle::first_dot_last, 14},
    {"etsi.org", "ETSI", 60, Dst::eu, Style::french, AddrStyle::first_dot_last, 6},
    {"unige.ch", "University of Geneva", 60, Dst::eu, Style::french, AddrStyle::first_dot_last, 4},
    {"ogc.org", "Open Geospatial Consortium", -300, Dst::us, Style::english, AddrStyle::flast, 8},
    {"nist.gov", "NIST", -300, Dst::us, Style::english, AddrStyle::first_dot_last, 4},
    {"bt.com", "BT", 0, Dst::eu, Style::english, AddrStyle::first_dot_last, 8},
    {"ericsson.com", "Ericsson", 60, Dst::eu, Style::nordic, AddrStyle::first_dot_last, 8},
    {"nokia.com", "Nokia", 120, Dst::eu, Style::nordic, AddrStyle::first_dot_last, 6},
    {"imda.gov.sg", "Infocomm Media Development Authority", 480, Dst::none, Style::english, AddrStyle::first_under_last, 12},
    {"ntu.edu.sg", "Nanyang Technological University", 480, Dst::none, Style::chinese, AddrStyle::flast, 6},
    {"cdot.in", "C-DOT", 330, Dst::none, Style::indian, AddrStyle::flast, 10},
    {"tec.gov.in", "Telecommunication Engineering Centre", 330, Dst::none, Style::indian, AddrStyle::first_dot_last, 8},
    {"rostelecom.ru", "Rostelecom", 180, Dst::none, Style::russian, AddrStyle::first_dot_last, 6},
    {"ncc.gov.ng", "Nigerian Communications Commission", 60, Dst::none, Style::african, AddrStyle::flast, 6},
    {"telefonica.com", "Telefonica", 60, Dst::eu, Style::iberian, AddrStyle::first_dot_last, 6},
    {"upm.es", "Universidad Politecnica de Madrid", 60, Dst::eu, Style::iberian, AddrStyle::first_dot_last, 4},
    {"cpqd.com.br", "CPqD", -180, Dst::none, Style::iberian, AddrStyle::flast, 5},
};

/// Personal mail providers: secondary addresses and independent experts.
struct Provider {
    std::string_view domain;
    Style style; // the tradition whose speakers mostly use it
};
inline constexpr Provider k_providers[] = {
    {"gmail.com", Style::english}, {"163.com", Style::chinese},   {"qq.com", Style::chinese},
    {"outlook.com", Style::french}, {"yahoo.com", Style::indian}, {"hotmail.com", Style::arabic},
    {"naver.com", Style::korean},   {"gmx.de", Style::german},
};

/// A name part: ASCII/Latin spelling plus native script ("" when the Latin
/// form is the native one).
struct NamePart {
    std::string_view latin;
    std::string_view native;
};

struct NameBank {
    Style style;
    const NamePart* given;
    size_t n_given;
    const NamePart* family;
    size_t n_family;
    bool family_first_native; // native script writes family name first, no space
};

inline constexpr NamePart k_cn_family[] = {
    {"Zhang", "张"}, {"Wang", "王"}, {"Li", "李"},   {"Liu", "刘"},   {"Chen", "陈"},  {"Yang", "杨"},
    {"Zhao", "赵"},  {"Huang", "黄"}, {"Zhou", "周"}, {"Wu", "吴"},    {"Xu", "徐"},    {"Sun", "孙"},
    {"Hu", "胡"},    {"Zhu", "朱"},   {"Gao", "高"},  {"Lin", "林"},   {"He", "何"},    {"Guo", "郭"},
    {"Ma", "马"},    {"Luo", "罗"},   {"Liang", "梁"}, {"Song", "宋"}, {"Zheng", "郑"}, {"Xie", "谢"},
    {"Han", "韩"},   {"Tang", "唐"},  {"Feng", "冯"}, {"Yu", "于"},    {"Dong", "董"},  {"Cao", "曹"},
};
inline constexpr NamePart k_cn_given[] = {
    {"Wei", "伟"},     {"Fang", "芳"},    {"Na", "娜"},      {"Min", "敏"},      {"Jing", "静"},
    {"Lei", "磊"},     {"Jun", "军"},     {"Yong", "勇"},    {"Yan", "艳"},      {"Jie", "杰"},
    {"Tao", "涛"},     {"Ming", "明"},    {"Chao", "超"},    {"Xiuying", "秀英"}, {"Hua", "华"},
    {"Ping", "平"},    {"Gang", "刚"},    {"Hui", "辉"},     {"Qiang", "强"},    {"Xin", "鑫"},
    {"Hao", "浩"},     {"Kai", "凯"},     {"Peng", "鹏"},    {"Bo", "波"},       {"Yi", "毅"},
    {"Dan", "丹"},     {"Xiaoming", "晓明"}, {"Jianguo", "建国"}, {"Haiyan", "海燕"}, {"Zhiqiang", "志强"},
    {"Lili", "丽丽"},  {"Yunfei", "云飞"}, {"Xiaodong", "晓东"}, {"Ying", "颖"},   {"Rui", "瑞"},
};
inline constexpr NamePart k_kr_family[] = {
    {"Kim", "김"},  {"Lee", "이"},   {"Park", "박"}, {"Choi", "최"}, {"Jung", "정"}, {"Kang", "강"},
    {"Cho", "조"},  {"Yoon", "윤"},  {"Jang", "장"}, {"Lim", "임"},  {"Shin", "신"}, {"Seo", "서"},
    {"Kwon", "권"}, {"Hwang", "황"}, {"Ahn", "안"},  {"Song", "송"}, {"Yoo", "유"},  {"Oh", "오"},
};
inline constexpr NamePart k_kr_given[] = {
    {"Minsu", "민수"},    {"Jiwon", "지원"},  {"Seungyun", "승윤"}, {"Hyunwoo", "현우"},
    {"Jaehoon", "재훈"},  {"Sunghoon", "성훈"}, {"Eunji", "은지"},  {"Youngjin", "영진"},
    {"Dongho", "동호"},   {"Sangwoo", "상우"}, {"Jinhee", "진희"},  {"Hyeonjeong", "현정"},
    {"Kyungmin", "경민"}, {"Taeho", "태호"},  {"Soyoung", "소영"}, {"Wonjae", "원재"},
};
inline constexpr NamePart k_jp_family[] = {
    {"Tanaka", ""}, {"Suzuki", ""},  {"Takahashi", ""}, {"Watanabe", ""}, {"Ito", ""},
    {"Yamamoto", ""}, {"Nakamura", ""}, {"Kobayashi", ""}, {"Kato", ""}, {"Yoshida", ""},
    {"Yamada", ""}, {"Sasaki", ""},  {"Matsumoto", ""}, {"Inoue", ""},   {"Kimura", ""},
};
inline constexpr NamePart k_jp_given[] = {
    {"Hiroshi", ""}, {"Takashi", ""}, {"Kenji", ""},  {"Yuki", ""},     {"Akira", ""},
    {"Naoki", ""},   {"Satoshi", ""}, {"Koji", ""},   {"Masahiro", ""}, {"Yoshiko", ""},
    {"Keiko", ""},   {"Tomoko", ""},  {"Daisuke", ""}, {"Shinji", ""},  {"Haruka", ""},
};
inline constexpr NamePart k_ar_given[] = {
    {"Mohammed", "محمد"}, {"Ahmed", "أحمد"},   {"Ali", "علي"},     {"Omar", "عمر"},
    {"Khalid", "خالد"},   {"Hassan", "حسن"},   {"Youssef", "يوسف"}, {"Fatima", "فاطمة"},
    {"Mariam", "مريم"},   {"Abdullah", "عبدالله"}, {"Saeed", "سعيد"}, {"Rashid", "راشد"},
    {"Nasser", "ناصر"},   {"Layla", "ليلى"},   {"Hamad", "حمد"},   {"Salem", "سالم"},
};
inline constexpr NamePart k_ar_family[] = {
    {"Al Mansouri", "المنصوري"}, {"Al Hashimi", "الهاشمي"}, {"Al Nuaimi", "النعيمي"},
    {"Al Suwaidi", "السويدي"},   {"Al Zaabi", "الزعابي"},   {"Haddad", "حداد"},
    {"Khalil", "خليل"},          {"Mahmoud", "محمود"},      {"Al Shamsi", "الشامسي"},
    {"Al Marzouqi", "المرزوقي"}, {"Ibrahim", "إبراهيم"},    {"El Sayed", "السيد"},
    {"Al Ali", "العلي"},
};
inline constexpr NamePart k_de_given[] = {
    {"Jürgen", ""}, {"Stefan", ""}, {"Thomas", ""}, {"Andreas", ""}, {"Katrin", ""},
    {"Matthias", ""}, {"Björn", ""}, {"Sabine", ""}, {"Michael", ""}, {"Frank", ""},
    {"Anja", ""}, {"Uwe", ""}, {"Jörg", ""}, {"Kathrin", ""}, {"Hauke", ""},
};
inline constexpr NamePart k_de_family[] = {
    {"Müller", ""}, {"Schäfer", ""}, {"Weber", ""}, {"Becker", ""}, {"Hoffmann", ""},
    {"Schulz", ""}, {"Krüger", ""}, {"Koch", ""},  {"Wagner", ""}, {"Schröder", ""},
    {"Neumann", ""}, {"Braun", ""}, {"Zimmermann", ""}, {"Groß", ""}, {"Lange", ""},
};
inline constexpr NamePart k_fr_given[] = {
    {"François", ""}, {"Élodie", ""}, {"Jean-Pierre", ""}, {"Hélène", ""}, {"Stéphane", ""},
    {"Cécile", ""},   {"Benoît", ""}, {"Frédéric", ""},    {"Amélie", ""}, {"Jérôme", ""},
    {"Marie", ""},    {"Olivier", ""}, {"Sébastien", ""},  {"Chloé", ""},  {"Nicolas", ""},
};
inline constexpr NamePart k_fr_family[] = {
    {"Dupont", ""}, {"Martin", ""}, {"Lefèvre", ""}, {"Moreau", ""},   {"Girard", ""},
    {"Bernard", ""}, {"Laurent", ""}, {"Rousseau", ""}, {"Fournier", ""}, {"Garnier", ""},
    {"Lambert", ""}, {"Fontaine", ""}, {"Mercier", ""}, {"Dubois", ""},  {"Chevalier", ""},
};
inline constexpr NamePart k_en_given[] = {
    {"John", ""},  {"Sarah", ""}, {"David", ""},   {"Emma", ""},   {"James", ""},  {"Laura", ""},
    {"Michael", ""}, {"Rachel", ""}, {"Peter", ""}, {"Helen", ""}, {"Robert", ""}, {"Claire", ""},
    {"Andrew", ""}, {"Susan", ""}, {"Mark", ""},    {"Kevin", ""},  {"Steve", ""},  {"Alison", ""},
};
inline constexpr NamePart k_en_family[] = {
    {"Smith", ""},  {"Johnson", ""}, {"Brown", ""},  {"Wilson", ""}, {"Taylor", ""},
    {"Evans", ""},  {"Clarke", ""},  {"Green", ""},  {"Hughes", ""}, {"Walker", ""},
    {"Mitchell", ""}, {"Robinson", ""}, {"Turner", ""}, {"Phillips", ""}, {"Davies", ""},
    {"O'Brien", ""}, {"Liang", ""},  {"Reed", ""},
};
inline constexpr NamePart k_in_given[] = {
    {"Rajesh", ""}, {"Priya", ""}, {"Anil", ""}, {"Sunita", ""}, {"Vikram", ""}, {"Deepak", ""},
    {"Kavita", ""}, {"Sanjay", ""}, {"Arun", ""}, {"Meera", ""}, {"Ramesh", ""}, {"Pooja", ""},
};
inline constexpr NamePart k_in_family[] = {
    {"Kumar", ""}, {"Sharma", ""}, {"Gupta", ""}, {"Reddy", ""}, {"Singh", ""}, {"Verma", ""},
    {"Iyer", ""},  {"Patel", ""},  {"Nair", ""},  {"Krishnan", ""}, {"Rao", ""}, {"Mehta", ""},
};
inline constexpr NamePart k_es_given[] = {
    {"José", ""}, {"María", ""}, {"Carlos", ""}, {"Lucía", ""}, {"Javier", ""},
    {"Ana", ""},  {"João", ""},  {"Pedro", ""},  {"Mariana", ""}, {"Luis", ""},
};
inline constexpr NamePart k_es_family[] = {
    {"García", ""}, {"Fernández", ""}, {"Rodríguez", ""}, {"Martínez", ""}, {"López", ""},
    {"Sánchez", ""}, {"Silva", ""},    {"Santos", ""},    {"Costa", ""},    {"González", ""},
};
inline constexpr NamePart k_ru_given[] = {
    {"Alexey", ""}, {"Dmitry", ""}, {"Elena", ""}, {"Sergey", ""},
    {"Olga", ""},   {"Andrey", ""}, {"Natalia", ""}, {"Igor", ""},
};
inline constexpr NamePart k_ru_family[] = {
    {"Ivanov", ""}, {"Petrov", ""}, {"Smirnova", ""}, {"Kuznetsov", ""},
    {"Popova", ""}, {"Sokolov", ""}, {"Volkova", ""}, {"Morozov", ""},
};
inline constexpr NamePart k_no_given[] = {
    {"Anders", ""}, {"Erik", ""}, {"Mikko", ""}, {"Lars", ""},
    {"Johanna", ""}, {"Kari", ""}, {"Ingrid", ""}, {"Sven", ""},
};
inline constexpr NamePart k_no_family[] = {
    {"Nilsson", ""}, {"Johansson", ""}, {"Virtanen", ""}, {"Andersson", ""},
    {"Lindqvist", ""}, {"Korhonen", ""}, {"Berg", ""},    {"Olsson", ""},
};
inline constexpr NamePart k_af_given[] = {
    {"Chinedu", ""}, {"Amina", ""}, {"Oluwaseun", ""}, {"Ngozi", ""},
    {"Ibrahim", ""}, {"Funmilayo", ""}, {"Emeka", ""}, {"Aisha", ""},
};
inline constexpr NamePart k_af_family[] = {
    {"Okafor", ""}, {"Bello", ""}, {"Adeyemi", ""}, {"Eze", ""},
    {"Musa", ""},   {"Adebayo", ""}, {"Nwosu", ""}, {"Abubakar", ""},
};

#define SG_BANK(style, g, f, ff) NameBank{Style::style, g, std::size(g), f, std::size(f), ff}
inline constexpr NameBank k_name_banks[] = {
    SG_BANK(chinese, k_cn_given, k_cn_family, true),  SG_BANK(korean, k_kr_given, k_kr_family, true),
    SG_BANK(japanese, k_jp_given, k_jp_family, true), SG_BANK(arabic, k_ar_given, k_ar_family, false),
    SG_BANK(german, k_de_given, k_de_family, false),  SG_BANK(french, k_fr_given, k_fr_family, false),
    SG_BANK(english, k_en_given, k_en_family, false), SG_BANK(indian, k_in_given, k_in_family, false),
    SG_BANK(iberian, k_es_given, k_es_family, false), SG_BANK(russian, k_ru_given, k_ru_family, false),
    SG_BANK(nordic, k_no_given, k_no_family, false),  SG_BANK(african, k_af_given, k_af_family, false),
};
#undef SG_BANK

// ---------------------------------------------------------------------------
// Message text

inline constexpr std::string_view k_greetings[] = {
    "Dear all,", "Dear colleagues,", "Dear {first},", "Hi {first},", "Hello all,",
    "Dear {wg} colleagues,", "Dear experts,", "Hi all,",
};
inline constexpr std::string_view k_closings[] = {
    "Best regards,", "Kind regards,", "Thanks,", "Regards,", "Many thanks,", "BR,",
    "Best,", "Thank you and best regards,",
};

/// Topic sentences per working group (index 0 = plenary), without mentions.
inline constexpr std::string_view k_topic_wg0[] = {
    "We need to agree on a common set of terms before the drafts go further.",
    "The management team will review the progress of all working groups at the next meeting.",
    "Please make sure that terms are aligned with the existing ITU-T Y-series definitions.",
    "The plenary will decide which texts are mature enough to be forwarded to SG20.",
    "Several contributions overlap, so the editors should coordinate before the meeting.",
    "I suggest we keep a single living list of open issues for the whole focus group.",
    "The liaison statement from ISO/IEC JTC 1/SC 41 asks for our view on data terms.",
};
inline constexpr std::string_view k_topic_wg1[] = {
    "The smart parking use case still lacks a clear description of the data flows.",
    "We received three new use cases on smart water management from the last call.",
    "The requirements should be traceable to at least one use case.",
    "Could the contributors of the health monitoring use case add the actors and the data sources?",
    "I propose to merge the two smart lighting use cases into one.",
    "The gap analysis against other SDOs needs input from oneM2M and ISO/IEC JTC 1.",
};
inline constexpr std::string_view k_topic_wg2[] = {
    "The functional view of the framework should separate data collection from data processing.",
    "We need a clearer definition of the data lifecycle stages in the reference model.",
    "The trusted data enablers should include provenance tracking and data lineage.",
    "I am not sure the capability framework needs a separate layer for analytics.",
    "The architecture figure still uses the old names of the functional entities.",
    "Edge processing deserves its own clause with examples from the use cases.",
};
inline constexpr std::string_view k_topic_wg3[] = {
    "The data model for observations should stay compatible with the OGC specification.",
    "Interoperability testing results from the last plugfest would be a useful annex.",
    "The tasking capability needs a clearer description of the task parameters.",
    "For the blockchain overview, we should distinguish permissioned from public ledgers.",
    "The MQTT extension is optional, so the conformance classes have to say so.",
    "Semantic annotation of the datastreams is still an open issue.",
};
inline constexpr std::string_view k_topic_wg4[] = {
    "The threat model should cover insider attacks on the data processing platform.",
    "We need to align the privacy terms with ISO/IEC 29100.",
    "The governance part should say who is accountable for data quality incidents.",
    "Risk assessment examples from the smart city pilots would help the readers.",
    "The PII management system should support consent withdrawal at any time.",
    "Pseudonymisation and anonymisation are still used as synonyms in the draft.",
};
inline constexpr std::string_view k_topic_wg5[] = {
    "The pricing models section should describe both subscription and pay-per-use schemes.",
    "Data quality dimensions need measurable indicators, not only definitions.",
    "Open data and monetised data can coexist in the same city platform.",
    "The role of the data broker is not yet clear in the value chain.",
    "We should add an example of revenue sharing between a city and its data providers.",
    "Market surveys from the UAE and Korea could support the economic analysis.",
};
inline constexpr const std::string_view* k_topic_by_wg[] = {k_topic_wg0, k_topic_wg1, k_topic_wg2,
                                                            k_topic_wg3, k_topic_wg4, k_topic_wg5};
inline constexpr size_t k_topic_size[] = {std::size(k_topic_wg0), std::size(k_topic_wg1),
                                          std::size(k_topic_wg2), std::size(k_topic_wg3),
                                          std::size(k_topic_wg4), std::size(k_topic_wg5)};

/// Generic discussion sentences (no mentions).
inline constexpr std::string_view k_generic[] = {
    "Thank you for the update.",
    "I support this proposal.",
    "I have a few comments, please see below.",
    "Please find my comments in the attached file.",
    "Could we discuss this at the next conference call?",
    "I agree with the previous comments.",
    "Let us keep the discussion on the list so that everybody can follow.",
    "The editors will prepare a revised version before the deadline.",
    "We should avoid duplicating work that is already done in SG20.",
    "Sorry for the late reply, I was travelling last week.",
    "I will check with my colleagues and come back to you.",
    "Please send your comments by {date}.",
    "The next conference call is scheduled for {date} at 13:00 UTC.",
    "Contributions for the {mtg} meeting in {city} are welcome.",
    "This is a good starting point, but the scope needs more work.",
    "Remote participation will be available as usual.",
    "The Q&A session at the workshop raised similar questions.",
    "The R&D teams in our company are interested in this topic.",
    "I will present our contribution {idoc} at the meeting.",
    "Our contribution {idoc} proposes new text for this part.",
    "Thanks a lot for your efforts on this.",
    "Could you please upload the document to the FG-DPM SharePoint?",
};

/// Sentences carrying a deliverable mention through {ref}.
inline constexpr std::string_view k_ref_sentences[] = {
    "I have some comments on {ref}.",
    "Please find attached the updated draft of {ref}.",
    "The editors of {ref} propose to hold an editing session next week.",
    "We would like to contribute text to {ref}.",
    "Could the editors clarify the scope of {ref}?",
    "The latest version of {ref} is now on the SharePoint.",
    "{ref} should be ready for approval at the next meeting.",
    "I think this material belongs in {ref} rather than here.",
    "Our company supports the progress of {ref}.",
    "The comments received on {ref} have been resolved.",
    "There is some overlap between this text and {ref}.",
    "As agreed in the last call, {ref} will be restructured.",
};

/// Sentences with a short output-document reference ("see O-156").
inline constexpr std::string_view k_short_sentences[] = {
    "The baseline text is the output of the last meeting (see {short}).",
    "For the agreed structure, see {short}.",
    "The definitions are already in {short}, so we can reuse them.",
    "Please base your comments on the text in {short}.",
    "This was discussed at the last meeting, see {short} for the outcome.",
};

/// Distractors: numbers that look like deliverable numbers but are not.
inline constexpr std::string_view k_distractors[] = {
    "The template we used is v{num}, please use the same one.",
    "We tested with version {num} of the reference software.",
    "The scripts require Python {num} or later.",
    "As explained in section {num} of the contribution, the model has three layers.",
    "I suggest to move clause {num} to an annex.",
    "The definition in \xC2\xA7{num} of the ISO text is slightly different.",
    "The minutes of the call on {num}.{year} are attached.",
    "The test server is reachable at 10.{num}.1 from the meeting network.",
};

/// Lines that start with "From " (exercise mboxrd escaping; no mentions).
inline constexpr std::string_view k_from_lines[] = {
    "From my side, the proposal is fine.",
    "From the minutes of the last call:",
    "From what I understand, the editors agree.",
};

/// Short non-English lines written by authors of a given tradition.
inline constexpr std::string_view k_native_lines_cn[] = {"谢谢！", "此致敬礼", "请查收附件。",
                                                         "我们同意这个修改建议。"};
inline constexpr std::string_view k_native_lines_ar[] = {"مع التحية", "شكرا جزيلا",
                                                         "مع خالص التحيات"};
inline constexpr std::string_view k_native_lines_fr[] = {
    "Cordialement,", "Bien à vous,", "Merci d'avance pour vos réponses.",
    "Je serai présent à la réunion de Genève."};
inline constexpr std::string_view k_native_lines_de[] = {"Viele Grüße,", "Mit freundlichen Grüßen,",
                                                         "Schöne Grüße aus Berlin,"};

/// Thread subjects with a mention, without a mention, and non-English ones.
inline constexpr std::string_view k_subjects_ref[] = {
    "Comments on {ref}",
    "Updated draft of {ref}",
    "{ref}: editing session",
    "Proposed text for {ref}",
    "Question on the scope of {ref}",
    "Call for contributions to {ref}",
    "{ref} - resolution of comments",
    "Living list for {ref}",
};
inline constexpr std::string_view k_subjects_plain[] = {
    "{wg} conference call on {date}",
    "Draft minutes of the {wg} conference call",
    "Terminology alignment",
    "Editing session schedule",
    "Question about the document template",
    "Liaison statement from ISO/IEC JTC 1/SC 41",
    "Contribution deadline for the {mtg} meeting",
    "New use case proposal",
    "Volunteers for the next editing session",
    "Workshop on data processing and management",
    "Input documents for {city}",
    "Call for co-editors",
};
inline constexpr std::string_view k_subjects_cn[] = {"关于{ref}草案的意见", "{ref}的修改建议",
                                                     "会议通知", "请查收附件"};
inline constexpr std::string_view k_subjects_ar[] = {"ملاحظات حول {ref}", "اجتماع الفريق"};
inline constexpr std::string_view k_subjects_fr[] = {"Remarques sur {ref}", "Réunion {wg} : ordre du jour",
                                                     "Contribution d'Orange à {ref}"};
inline constexpr std::string_view k_subjects_de[] = {"Anmerkungen zu {ref}", "Telefonkonferenz {wg} - Rückfragen"};

/// Job titles for signatures.
inline constexpr std::string_view k_titles[] = {
    "Senior Engineer", "Standardization Manager", "Principal Researcher", "Project Manager",
    "Director, Standards", "Research Fellow", "Technical Expert", "Programme Officer",
};

/// Non-ASCII attachment name words (RFC 2231 filenames).
inline constexpr std::string_view k_attach_words[] = {"意见", "Réponse", "Änderungen", "提案", "ملاحظات"};

/// Replies to meeting invitations and announcements.
inline constexpr std::string_view k_logistics_replies[] = {
    "Could the secretariat please send me a visa support letter?",
    "Will remote participation be available for all sessions?",
    "Is there a recommended hotel close to the venue?",
    "Please note that our delegation will arrive one day late.",
    "Thank you, I have registered for the meeting.",
    "Could you please confirm the room for the working group sessions?",
};

/// Replies to farewell and closing messages.
inline constexpr std::string_view k_farewell_replies[] = {
    "Thank you for the excellent leadership over the last two years.",
    "It was a pleasure to work with all of you.",
    "Many thanks to the secretariat for the support.",
    "I hope we continue this work in SG20.",
};

} // namespace sample_gen::bank
