// Shared building blocks: text templates, decimal and time formatting, the record sort used for report
// sections, and the allocator every nmscds program links.
#include <gtest/gtest.h>
#include <mimalloc.h>

#include <algorithm>
#include <cstdlib>
#include <string>
#include <vector>

#include "cds/uuid.h"
#include "common/sort.h"
#include "common/text.h"
#include "common/time_util.h"
#include "nmscds/fixed.h"

namespace nmscds {
namespace {

Fixed F(const char* text) { return *Fixed::Parse(text); }

TEST(FillTemplate, TableOfTemplates) {
  struct Row {
    const char* tmpl;
    const char* out;
  };
  const Row rows[] = {
      {"", ""},
      {"no placeholders", "no placeholders"},
      {"{drug}", "haloperidol"},
      {"Stop {drug} now ({dose} mg).", "Stop haloperidol now (5 mg)."},
      {"{drug}{dose}", "haloperidol5"},
      {"{unknown} stays", "{unknown} stays"},
      {"{a{drug}", "{ahaloperidol"},
      {"open { only", "open { only"},
      {"close } only", "close } only"},
      {"{}", "{}"},
      {"{drug", "{drug"},
      {"{dose}/{dose}", "5/5"},
  };
  for (const Row& r : rows) {
    EXPECT_EQ(FillTemplate(r.tmpl, {{"drug", "haloperidol"}, {"dose", "5"}}), r.out) << r.tmpl;
    const std::vector<TemplatePart> parts = SplitTemplate(r.tmpl);
    EXPECT_EQ(FillTemplate(r.tmpl, parts, {{"drug", "haloperidol"}, {"dose", "5"}}), r.out) << r.tmpl;
  }
}

// WordPhraseIndex must find exactly what ContainsWord finds, phrase by phrase (it replaces one ContainsWord
// scan per knowledge-base synonym when a medication name is identified, interfaces.md §4.8).
TEST(WordPhraseIndex, FindsExactlyWhatContainsWordFinds) {
  const std::vector<std::string> phrases = {
      "haloperidol", "haloperidol decanoate", "Haldol", "long-acting injectable", "depot", "5-HT3", "(depot)",
      "co-trimoxazole", "IM", "a", "\xc3\xa9pine", "x y", "decanoate"};
  const std::vector<std::string> texts = {
      "",                          "haloperidol",            "HALOPERIDOL 5 mg",        "haloperidol-x",
      "xhaloperidol",              "haloperidolx",           "Haloperidol Decanoate",   "haloperidol  decanoate",
      "haldol decanoate 100 mg/mL IM", "a long-acting injectable", "long-acting injectables", "5-ht3 antagonist",
      "see (depot) form",          "(depot)",                "depot(depot)",            "co-trimoxazole",
      "co trimoxazole",            "im",                     "aim",                     "a",
      "b a c",                     "\xc3\xa9pine",           "x\xc3\xa9pine",           "x y z",
      "x  y",                      "decanoate haloperidol",  "haloperidol decanoatex",  "ha"};
  WordPhraseIndex index;
  for (std::size_t i = 0; i < phrases.size(); ++i) index.Add(phrases[i], static_cast<int>(i));
  index.Add("", 99);  // ContainsWord finds no empty phrase
  for (const std::string& text : texts) {
    std::vector<int> expected, found;
    for (std::size_t i = 0; i < phrases.size(); ++i) {
      if (ContainsWord(text, phrases[i])) expected.push_back(static_cast<int>(i));
    }
    index.ForEachMatch(text, [&](int v) { found.push_back(v); });
    std::sort(found.begin(), found.end());
    found.erase(std::unique(found.begin(), found.end()), found.end());
    EXPECT_EQ(found, expected) << "text: " << text;
    EXPECT_EQ(index.AnyMatch(text), !expected.empty()) << "text: " << text;
  }
}

TEST(FixedToString, TableOfValuesAndRounding) {
  struct Row {
    const char* in;
    int decimals;
    const char* out;
  };
  const Row rows[] = {
      {"0", 6, "0"},           {"38.3", 6, "38.3"},        {"38.30", 6, "38.3"},     {"-0.5", 6, "-0.5"},
      {"0.000001", 6, "0.000001"}, {"1.05", 1, "1.1"},  {"-1.05", 1, "-1.1"},
      {"1.04", 1, "1"},        {"700", 0, "700"},          {"699.95", 1, "700"},     {"0.1", 0, "0"},
      {"123456789.123456", 6, "123456789.123456"},         {"10.000100", 6, "10.0001"},
  };
  for (const Row& r : rows) EXPECT_EQ(F(r.in).ToString(r.decimals), r.out) << r.in << " to " << r.decimals;
}

TEST(FixedToString, ExtremesDoNotOverflow) {
  EXPECT_EQ(Fixed::FromMicros(INT64_MIN).ToString(6), "-9223372036854.775808");
  EXPECT_EQ(Fixed::FromMicros(INT64_MAX).ToString(6), "9223372036854.775807");
}

TEST(TimeFormat, TableOfInstants) {
  struct Row {
    const char* in;
    const char* date_time;
    const char* short_form;
    const char* clock;
    const char* date;
  };
  const Row rows[] = {
      {"2026-11-20T06:00:00Z", "2026-11-20T06:00:00Z", "2026-11-20 06:00", "06:00", "2026-11-20"},
      {"2026-11-19T23:59:59Z", "2026-11-19T23:59:59Z", "2026-11-19 23:59", "23:59", "2026-11-19"},
      {"2026-11-20T01:30:00+02:00", "2026-11-19T23:30:00Z", "2026-11-19 23:30", "23:30", "2026-11-19"},
      {"1969-12-31T23:00:05Z", "1969-12-31T23:00:05Z", "1969-12-31 23:00", "23:00", "1969-12-31"},
      {"0001-01-01T00:00:00Z", "0001-01-01T00:00:00Z", "0001-01-01 00:00", "00:00", "0001-01-01"},
      {"2024-02-29T12:07:09Z", "2024-02-29T12:07:09Z", "2024-02-29 12:07", "12:07", "2024-02-29"},
  };
  for (const Row& r : rows) {
    auto t = ParseDateTime(r.in);
    ASSERT_TRUE(t) << r.in;
    EXPECT_EQ(FormatDateTime(*t), r.date_time) << r.in;
    EXPECT_EQ(FormatDateTimeShort(*t), r.short_form) << r.in;
    EXPECT_EQ(FormatClock(*t), r.clock) << r.in;
    EXPECT_EQ(FormatDate(*t), r.date) << r.in;
  }
}

TEST(TimeFormat, YearsBeyondFourDigitsAreStillWritten) {
  auto t = ParseDateTime("9999-12-31T23:59:59Z");
  ASSERT_TRUE(t);
  EXPECT_EQ(FormatDateTime(*t + 1), "10000-01-01T00:00:00Z");
  EXPECT_EQ(FormatDate(*t + 1), "10000-01-01");
}

TEST(StableSortByKey, SortsByKeyKeepingInputOrderForTies) {
  struct Item {
    int key;
    std::string tag;
  };
  std::vector<Item> v = {{2, "a"}, {1, "b"}, {2, "c"}, {0, "d"}, {1, "e"}};
  StableSortByKey(v, [](const Item& i) { return i.key; });
  std::string order;
  for (const Item& i : v) order += i.tag;
  EXPECT_EQ(order, "dbeac");
}

TEST(StableSortByKey, EmptyAndSortedInputsAreUnchanged) {
  std::vector<std::string> empty;
  StableSortByKey(empty, [](const std::string& s) { return s.size(); });
  EXPECT_TRUE(empty.empty());
  std::vector<std::string> sorted = {"a", "bb", "ccc"};
  StableSortByKey(sorted, [](const std::string& s) { return s.size(); });
  EXPECT_EQ(sorted, (std::vector<std::string>{"a", "bb", "ccc"}));
}

// The build links mimalloc so that it replaces malloc and operator new (CMakeLists.txt); if the link order
// or the package changes and glibc malloc comes back silently, this fails.
TEST(Allocator, MallocAndNewAreServedByMimalloc) {
  void* p = std::malloc(64);
  auto* q = new std::string(100, 'x');
  EXPECT_TRUE(mi_is_in_heap_region(p));
  EXPECT_TRUE(mi_is_in_heap_region(q->data()));
  delete q;
  std::free(p);
}

}  // namespace
}  // namespace nmscds

// interfaces.md §8.10: card uuids are RFC 4122 v5 names in the nmscds namespace (oracle: Python's uuid.uuid5).
TEST(UuidV5, MatchesRfc4122Version5) {
  EXPECT_EQ(nmscds::UuidV5(nmscds::kCardUuidNamespace, "abc|nms-assessment|card|nms"),
            "31a7efb7-4824-5645-80f4-e624b00cd8fb");
  // RFC 4122 appendix B example (DNS namespace, "www.example.com").
  EXPECT_EQ(nmscds::UuidV5("6ba7b810-9dad-11d1-80b4-00c04fd430c8", "www.example.com"),
            "2ed6657d-e927-568b-95e1-2665a8aea6a2");
}
