// Unit tests of html_to_text (FAILURE-MODES C.27): tags and attribute values
// dropped, script/style/comments dropped, entities decoded, block elements as
// line breaks, linear time on hostile markup.
#include "mime_test.hpp"

#include <chrono>
#include <string>

using namespace mlarc;
using mlarc::test::has;

TEST_CASE("HTML: tags, blocks and whitespace", "[mime][html]") {
    CHECK(html_to_text("<p>Hello <b>big</b>   world</p><p>Second</p>") == "Hello big world\nSecond");
    CHECK(html_to_text("line one<br>line two<br/><br />line four") == "line one\nline two\n\nline four");
    CHECK(html_to_text("<ul><li>one</li><li>two</li></ul>") == "one\ntwo");
    CHECK(html_to_text("<table><tr><td>a</td><td>b</td></tr></table>") == "a b");
    CHECK(html_to_text("a < b and c > d") == "a < b and c > d");
    CHECK(html_to_text("<o:p>office</o:p> tags").find("office tags") != std::string::npos);
    CHECK(html_to_text("").empty());
}

TEST_CASE("HTML: attribute values are never text", "[mime][html]") {
    const std::string t = html_to_text(
        "<a href=\"http://secret.example/?q=needle1\" title='needle2 > still attr'>link</a>"
        "<img alt=\"needle3\" src=x.png><div data-x=needle4 class=\"c\">shown</div>");
    CHECK(has(t, "link"));
    CHECK(has(t, "shown"));
    for (const char* hidden : {"needle1", "needle2", "still attr", "needle3", "needle4", "secret"})
        CHECK_FALSE(has(t, hidden));
}

TEST_CASE("HTML: script, style, comments and declarations are dropped", "[mime][html]") {
    const std::string t = html_to_text(
        "<!DOCTYPE html><html><head><title>Title</title><style>p { color: red }</style>"
        "<script type=\"text/javascript\">var hidden = '</p>';</script></head>"
        "<body><!-- a comment with <p>tags</p> --><p>Body text</p>"
        "<SCRIPT>more()</SCRIPT ><![CDATA[x]]><?php echo 1; ?>end</body></html>");
    CHECK(has(t, "Title"));
    CHECK(has(t, "Body text"));
    CHECK(has(t, "end"));
    for (const char* hidden : {"color", "hidden", "comment", "more()", "echo"}) CHECK_FALSE(has(t, hidden));
    CHECK(html_to_text("before<script>never closed") == "before");
    CHECK(html_to_text("before<!-- never closed") == "before");
}

TEST_CASE("HTML: entities", "[mime][html]") {
    CHECK(html_to_text("&lt;tag&gt; &amp; &quot;q&quot; &apos;") == "<tag> & \"q\" '");
    CHECK(html_to_text("caf&eacute; &Auml;rger &szlig; &euro;5 &hellip;") == "café Ärger ß €5 …");
    CHECK(html_to_text("&#233;&#xE9;&#XE9; &#128512; &#x1F600;") == "ééé 😀 😀");
    CHECK(html_to_text("&#150;") == "\u2013");                // windows-1252 remap
    CHECK(html_to_text("&#0; &#xD800; &#99999999999;") == "\uFFFD \uFFFD \uFFFD");
    CHECK(html_to_text("a&nbsp;b") == "a b");
    CHECK(html_to_text("AT&T &unknown; &amp &#;") == "AT&T &unknown; &amp &#;");
}

TEST_CASE("HTML: invalid input stays valid UTF-8, hostile markup is linear", "[mime][html]") {
    CHECK(is_valid_utf8(html_to_text("<p>caf\xE9</p>")));
    CHECK(html_to_text(std::string("a\0b", 3)) == "a\uFFFDb");
    const auto t0 = std::chrono::steady_clock::now();
    for (const std::string& s : {std::string(200000, '<'), std::string(200000, '&'),
                                 std::string(100000, '<') + std::string(100000, 'a'),
                                 "<a " + std::string(200000, '"'), std::string(50000, '<') + "script>",
                                 [] { std::string r; for (int i = 0; i < 20000; ++i) r += "<script></scrip"; return r; }(),
                                 [] { std::string r; for (int i = 0; i < 20000; ++i) r += "<!-- -- >"; return r; }()})
        CHECK(is_valid_utf8(html_to_text(s)));
    CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(1));
}

TEST_CASE("HTML: blockquote content comes out as quoted lines", "[mime][html]") {
    CHECK(html_to_text("<p>My answer</p><blockquote type=\"cite\">Their text<br>line two</blockquote>"
                       "<p>After</p>") == "My answer\n> Their text\n> line two\nAfter");
    // Nested quotes get one '>' per level; a blank line inside stays quoted.
    CHECK(html_to_text("Top<blockquote>outer<blockquote>inner<br><br>deep</blockquote>back</blockquote>") ==
          "Top\n> outer\n>> inner\n>>\n>> deep\n> back");
    // Gmail wraps the quote in a div; a quote at the very start is prefixed too.
    CHECK(html_to_text("<div class=\"gmail_quote\"><blockquote class=\"gmail_quote\" style=\"x\">"
                       "<div>quoted</div></blockquote></div>reply") == "> quoted\nreply");
    // A stray close tag does not make the depth negative; a self-closing one is no quote.
    CHECK(html_to_text("a</blockquote>b<blockquote/>c") == "a\nb\nc");
    // Hostile nesting is capped: prefixes never exceed the cap.
    std::string deep;
    for (int i = 0; i < 10000; ++i) deep += "<blockquote>";
    const std::string t = html_to_text(deep + "x");
    CHECK(t == std::string(8, '>') + " x");
}
