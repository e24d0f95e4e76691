#include "facteur/model/date.h"

#include <gtest/gtest.h>

namespace facteur::model {
namespace {

TEST(DateTest, ParsesUblAndCiiForms) {
    EXPECT_EQ(parse_date("2015-01-09", DateFormat::kIso8601), (Date{2015, 1, 9}));
    EXPECT_EQ(parse_date(" 2015-01-09\n", DateFormat::kIso8601), (Date{2015, 1, 9}));
    EXPECT_EQ(parse_date("2015-01-09Z", DateFormat::kIso8601), (Date{2015, 1, 9}));
    EXPECT_EQ(parse_date("2015-01-09+01:00", DateFormat::kIso8601), (Date{2015, 1, 9}));
    EXPECT_EQ(parse_date("20150109", DateFormat::kCompact), (Date{2015, 1, 9}));
    EXPECT_EQ(parse_date("20240229", DateFormat::kCompact), (Date{2024, 2, 29}));
    EXPECT_EQ(parse_date("2000-02-29", DateFormat::kIso8601), (Date{2000, 2, 29}));
}

TEST(DateTest, RejectsMalformedAndImpossibleDates) {
    for (const std::string_view bad :
         {"", "2015-1-9", "20150109", "2015/01/09", "2015-01-09T10:00:00", "2015-01-09+25:00",
          "abcd-ef-gh", "2015-01-0x"}) {
        const auto d = parse_date(bad, DateFormat::kIso8601);
        ASSERT_FALSE(d) << bad;
        EXPECT_EQ(d.error().id, "DATE-LEXICAL") << bad;
    }
    for (const std::string_view bad : {"2015-01-09", "2015019", "201501090", "2015O109"}) {
        EXPECT_FALSE(parse_date(bad, DateFormat::kCompact)) << bad;
    }
    for (const std::string_view bad : {"2023-02-29", "1900-02-29", "2015-13-01", "2015-00-10",
                                       "2015-04-31", "0000-01-01", "2015-01-00"}) {
        const auto d = parse_date(bad, DateFormat::kIso8601);
        ASSERT_FALSE(d) << bad;
        EXPECT_EQ(d.error().id, "DATE-RANGE") << bad;
    }
}

TEST(DateTest, OrdersChronologicallyAndPrintsIso) {
    EXPECT_LT((Date{2015, 1, 31}), (Date{2015, 2, 1}));
    EXPECT_LT((Date{2014, 12, 31}), (Date{2015, 1, 1}));
    EXPECT_EQ((Date{2015, 1, 9}).to_string(), "2015-01-09");
    EXPECT_EQ((Date{999, 12, 1}).to_string(), "0999-12-01");
}

}  // namespace
}  // namespace facteur::model
