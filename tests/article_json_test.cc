// article_to_json writes the article's JSON directly; its bytes are stored and hashed by the
// archive, so they must stay exactly what nlohmann::ordered_json's dump wrote before. These tests
// compare the two on hand-picked and on random articles (control characters, quotes, invalid
// UTF-8, every indent), and check that what is written reads back.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <random>
#include <string>

#include "parsers/article.h"

namespace provarc {
namespace {

// The former article_to_json, built on nlohmann: the reference for the bytes.
std::string nlohmann_json_of(const Article& a, int indent) {
  using Json = nlohmann::ordered_json;
  auto optional_string = [](const std::optional<std::string>& s) {
    return s ? Json(*s) : Json(nullptr);
  };
  Json j;
  j["site"] = a.site.empty() ? Json(nullptr) : Json(a.site);
  j["url"] = a.url.empty() ? Json(nullptr) : Json(a.url);
  j["title"] = a.title.empty() ? Json(nullptr) : Json(a.title);
  j["published"] = optional_string(a.published);
  j["updated"] = optional_string(a.updated);
  j["author"] = optional_string(a.author);
  j["blocks"] = Json::array();
  for (const Block& b : a.blocks) j["blocks"].push_back({{"kind", b.kind}, {"text", b.text}});
  j["text"] = a.text();
  j["images"] = Json::array();
  for (const Image& i : a.images) j["images"].push_back({{"url", i.url}, {"caption", i.caption}});
  j["attachments"] = Json::array();
  for (const Attachment& t : a.attachments) {
    j["attachments"].push_back({{"url", t.url}, {"text", t.text}});
  }
  j["parser_version"] = a.parser_version;
  const Provenance& p = a.provenance;
  auto or_null = [](const std::string& s) { return s.empty() ? Json() : Json(s); };
  j["provenance"] = {{"body", or_null(p.body)},       {"title", or_null(p.title)},
                     {"published", or_null(p.published)}, {"updated", or_null(p.updated)},
                     {"author", or_null(p.author)},   {"lead", or_null(p.lead)}};
  return j.dump(indent, ' ', false, Json::error_handler_t::replace);
}

Article sample_article() {
  Article a;
  a.site = "bac-kan";
  a.url = "https://sotttt.backan.gov.vn/Pages/tin.aspx?a=1&b=\"2\"";
  a.title = "Hội nghị \"sơ kết\" công tác quý I/2023\\";
  a.published = "2023-04-12";
  a.author = "Bế Thị Thanh Hoài";
  a.blocks = {{"paragraph", "Ngày 06/4/2023,\ttab\nnewline\r\b\f\x01\x1f\x7f end"},
              {"heading", "Tiêu đề — “quoted” …"},
              {"table_row", "a | b | c"}};
  a.images = {{"https://example.gov.vn/a.jpg", "Ảnh: Hội nghị"}, {"https://example.gov.vn/b.jpg", ""}};
  a.attachments = {{"https://example.gov.vn/x.pdf", "Kế hoạch số 12"}};
  a.parser_version = "0.1.0+3f2a0123abcd";
  return a;
}

TEST(ArticleJson, OneLineIsExactlyWhatNlohmannWrote) {
  Article a = sample_article();
  EXPECT_EQ(article_to_json(a, -1), nlohmann_json_of(a, -1));
  std::string json = article_to_json(a, -1);
  EXPECT_EQ(json.find('\n'), std::string::npos);
  EXPECT_NE(json.find(R"("text":"Ngày 06/4/2023,\ttab\nnewline\r\b\f\u0001\u001f)" "\x7f"),
            std::string::npos)
      << json;
  EXPECT_EQ(json.rfind(R"({"site":"bac-kan","url":"https://sotttt.backan.gov.vn/Pages/tin.aspx?a=1&b=\"2\"",)", 0),
            0u)
      << json;
}

TEST(ArticleJson, IndentedIsExactlyWhatNlohmannWrote) {
  Article a = sample_article();
  for (int indent : {0, 1, 2, 4}) {
    EXPECT_EQ(article_to_json(a, indent), nlohmann_json_of(a, indent)) << "indent " << indent;
  }
  Article empty;
  for (int indent : {-1, 0, 2}) {
    EXPECT_EQ(article_to_json(empty, indent), nlohmann_json_of(empty, indent))
        << "indent " << indent;
  }
  EXPECT_NE(article_to_json(empty, 2).find("\n  \"blocks\": [],\n"), std::string::npos);
}

TEST(ArticleJson, InvalidUtf8BecomesOneReplacementPerMaximalSubpart) {
  Article a;
  // A lone continuation byte, a truncated 3-byte sequence before ASCII, an overlong form, a
  // surrogate, a code point above U+10FFFF, and a truncated sequence at the very end.
  a.title = "a\x80" "b\xE1\xBA" "c\xC0\xAF" "d\xED\xA0\x80" "e\xF4\x90\x80\x80" "f\xF0\x9F\x98";
  std::string json = article_to_json(a, -1);
  EXPECT_EQ(json, nlohmann_json_of(a, -1));
  EXPECT_NE(json.find("\"title\":\"a\xEF\xBF\xBD" "b\xEF\xBF\xBD" "c"), std::string::npos) << json;
}

// Random strings over an alphabet rich in what a JSON writer can get wrong.
std::string random_text(std::mt19937& rng) {
  static const std::vector<std::string> kPieces = {
      "a", "Z", " ", "\"", "\\", "/", "\n", "\t", "\r", "\b", "\f", std::string(1, '\0'), "\x01",
      "\x1f", "\x7f", "é", "ệ", "\xCC\x81", "—", "😀", "\x80", "\xBF", "\xC2", "\xE1", "\xE1\xBA",
      "\xED\xA0\x80", "\xF0\x9F", "\xF4\x90", "\xF5", "\xFF", "\xC0\xAF", "\xE0\x80\x80", "{}[],:"};
  std::uniform_int_distribution<size_t> length(0, 12), piece(0, kPieces.size() - 1);
  std::string text;
  for (size_t n = length(rng); n > 0; --n) text += kPieces[piece(rng)];
  return text;
}

TEST(ArticleJson, RandomArticlesMatchNlohmannByteForByte) {
  std::mt19937 rng(20240611);
  for (int round = 0; round < 3000; ++round) {
    Article a;
    a.site = random_text(rng);
    a.url = random_text(rng);
    a.title = random_text(rng);
    if (rng() % 2) a.published = random_text(rng);
    if (rng() % 2) a.updated = random_text(rng);
    if (rng() % 2) a.author = random_text(rng);
    for (size_t n = rng() % 4; n > 0; --n) a.blocks.push_back({random_text(rng), random_text(rng)});
    for (size_t n = rng() % 3; n > 0; --n) a.images.push_back({random_text(rng), random_text(rng)});
    for (size_t n = rng() % 3; n > 0; --n) {
      a.attachments.push_back({random_text(rng), random_text(rng)});
    }
    a.parser_version = random_text(rng);
    if (rng() % 2) a.provenance.title = random_text(rng);
    if (rng() % 2) a.provenance.body = random_text(rng);
    int indent = round % 5 == 0 ? 2 : -1;
    ASSERT_EQ(article_to_json(a, indent), nlohmann_json_of(a, indent)) << "round " << round;
  }
}

TEST(ArticleJson, WhatIsWrittenReadsBack) {
  Article a = sample_article();
  auto back = article_from_json(article_to_json(a, -1));
  ASSERT_TRUE(back.ok()) << back.error();
  EXPECT_EQ(*back, a);
  auto pretty = article_from_json(article_to_json(a, 2));
  ASSERT_TRUE(pretty.ok()) << pretty.error();
  EXPECT_EQ(*pretty, a);
}

}  // namespace
}  // namespace provarc
