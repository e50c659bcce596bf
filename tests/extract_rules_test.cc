// html/extract_rules.h: the one table of extraction rules, and the digest made from it. The digest
// is in every stored parser_version, so its text must not drift, and it must cover every rule.
#include "html/extract_rules.h"

#include <gtest/gtest.h>

#include <set>

namespace provarc {
namespace {

// Changes the value of the rule `field` in `rules` (adds to a list, flips a flag or an order,
// moves a count within its bounds).
void change(const RuleField& field, ExtractRules& rules) {
  switch (field.kind) {
    case RuleKind::kFieldElements:
    case RuleKind::kChromeElements:
    case RuleKind::kBodyElements:
      (rules.*field.selectors).push_back(Selector::parse("p.changed").value());
      break;
    case RuleKind::kPatterns:
      (rules.*field.patterns).push_back(Pattern::compile("changed").value());
      break;
    case RuleKind::kLines:
    case RuleKind::kExtensions:
      (rules.*field.strings).push_back("changed");
      break;
    case RuleKind::kDateOrder:
      rules.*field.date_order = rules.*field.date_order == DateOrder::kDayFirst
                                    ? DateOrder::kMonthFirst
                                    : DateOrder::kDayFirst;
      break;
    case RuleKind::kFlag:
      rules.*field.flag = !(rules.*field.flag);
      break;
    case RuleKind::kCount:
      rules.*field.count = rules.*field.count == field.max ? field.min : rules.*field.count + 1;
      break;
  }
}

TEST(ExtractRules, TheTableNamesEachRuleOnceWithTheMemberOfItsKind) {
  std::set<std::string_view> keys;
  for (const RuleField& field : kExtractRules) {
    EXPECT_TRUE(keys.insert(field.key).second) << field.key << " twice";
    EXPECT_EQ(find_rule(field.key), &field);
    bool selectors = field.kind == RuleKind::kFieldElements ||
                     field.kind == RuleKind::kChromeElements ||
                     field.kind == RuleKind::kBodyElements;
    bool strings = field.kind == RuleKind::kLines || field.kind == RuleKind::kExtensions;
    EXPECT_EQ(field.selectors != nullptr, selectors) << field.key;
    EXPECT_EQ(field.patterns != nullptr, field.kind == RuleKind::kPatterns) << field.key;
    EXPECT_EQ(field.strings != nullptr, strings) << field.key;
    EXPECT_EQ(field.date_order != nullptr, field.kind == RuleKind::kDateOrder) << field.key;
    EXPECT_EQ(field.flag != nullptr, field.kind == RuleKind::kFlag) << field.key;
    EXPECT_EQ(field.count != nullptr, field.kind == RuleKind::kCount) << field.key;
    if (field.kind == RuleKind::kCount) EXPECT_LT(field.min, field.max) << field.key;
  }
  EXPECT_EQ(find_rule("platform"), nullptr);
  EXPECT_EQ(find_rule("digest"), nullptr);
  EXPECT_EQ(find_rule("append"), nullptr);
}

// Fails when a rule of the table is left out of the digest: a config change that would then not
// be a parser change.
TEST(ExtractRules, TheDigestCoversEveryRuleOfTheTable) {
  const ExtractRules base;
  const std::string base_digest = rules_digest(base);
  EXPECT_EQ(base_digest.size(), 64u);
  for (const RuleField& field : kExtractRules) {
    ExtractRules changed = base;
    change(field, changed);
    EXPECT_NE(rules_digest(changed), base_digest) << field.key << " is not in the digest";
    EXPECT_NE(canonical_rules(changed).find(std::string(field.key) + "="), std::string::npos)
        << field.key;
  }
  ExtractRules other_platform = base;
  other_platform.platform = "liferay";
  EXPECT_NE(rules_digest(other_platform), base_digest);
  // The order of a list is part of the rules (the first selector that matches wins).
  ExtractRules ab = base, ba = base;
  ab.body = {Selector::parse("a").value(), Selector::parse("b").value()};
  ba.body = {Selector::parse("b").value(), Selector::parse("a").value()};
  EXPECT_NE(rules_digest(ab), rules_digest(ba));
}

// Every stored parser_version was made from this text: the table may be reordered or grow, but a
// rule's lines stand where they always stood (config/loader.cc wrote them by hand until the
// table, `lead` included, after `date`).
TEST(ExtractRules, TheCanonicalTextIsTheOneStoredDigestsWereMadeOf) {
  ExtractRules rules;
  rules.platform = "p";
  for (const RuleField& field : kExtractRules) {
    if (field.selectors != nullptr) {
      rules.*field.selectors = {Selector::parse("." + std::string(field.key)).value()};
    }
  }
  rules.chrome_lines = {"Chrome"};
  rules.stop_lines = {"Tin khác"};
  rules.chrome_patterns = {Pattern::compile("^x$").value()};
  rules.title_strip = {Pattern::compile("\\s-\\s.*$").value()};
  rules.attachment_extensions = {"pdf", "doc"};
  rules.date_order = DateOrder::kMonthFirst;
  rules.author_from_last_block = false;
  rules.author_max_words = 3;
  rules.generic_fallback = false;
  EXPECT_EQ(canonical_rules(rules),
            "attachment_extensions=pdf\n"
            "attachment_extensions=doc\n"
            "author=.author\n"
            "author_from_last_block=false\n"
            "author_max_words=3\n"
            "body=.body\n"
            "captions=.captions\n"
            "chrome_lines=Chrome\n"
            "chrome_patterns=^x$\n"
            "date=.date\n"
            "lead=.lead\n"
            "date_order=month-first\n"
            "generic_fallback=false\n"
            "platform=p\n"
            "remove=.remove\n"
            "stop_lines=Tin khác\n"
            "title=.title\n"
            "title_strip=\\\\s-\\\\s.*$\n"
            "updated=.updated\n");
  // Backslashes and newlines are escaped, so that no value can forge another line.
  rules = ExtractRules();
  rules.platform = "a\nbody=x\\";
  EXPECT_NE(canonical_rules(rules).find("platform=a\\nbody=x\\\\\n"), std::string::npos);
}

}  // namespace
}  // namespace provarc
