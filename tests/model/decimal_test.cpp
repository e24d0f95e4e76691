#include "facteur/model/decimal.h"

#include <gtest/gtest.h>

namespace facteur::model {
namespace {

Decimal parsed(std::string_view text) {
    auto d = parse_decimal(text);
    EXPECT_TRUE(d) << text;
    return d.value_or(Decimal{});
}

TEST(DecimalTest, ParsesTheXsDecimalLexicalForms) {
    EXPECT_TRUE(identical(parsed("12.50"), Decimal{1250, 2}));
    EXPECT_TRUE(identical(parsed("-3"), Decimal{-3, 0}));
    EXPECT_TRUE(identical(parsed("+.5"), Decimal{5, 1}));
    EXPECT_TRUE(identical(parsed("7."), Decimal{7, 0}));
    EXPECT_TRUE(identical(parsed("0007.0100"), Decimal{70100, 4}));
    EXPECT_TRUE(identical(parsed(" \t\n19.90\r\n "), Decimal{1990, 2}));
    EXPECT_TRUE(identical(parsed("-0.00"), Decimal{0, 2}));
}

TEST(DecimalTest, RejectsWhatIsNotAnXsDecimal) {
    for (const std::string_view bad : {"", "  ", "abc", "1,5", "1.2.3", "1e3", "+", "-.", ".",
                                       "12 50", "0x10", "1 000", "NaN", "INF", "--1", "1-", "١٢"}) {
        const auto d = parse_decimal(bad);
        ASSERT_FALSE(d) << bad;
        EXPECT_EQ(d.error().code, core::Errc::kInvalidInput) << bad;
        EXPECT_EQ(d.error().id, "DECIMAL-LEXICAL") << bad;
    }
}

TEST(DecimalTest, ReportsOverflowInsteadOfRounding) {
    EXPECT_TRUE(identical(parsed("9223372036854775807"), Decimal{INT64_MAX, 0}));
    EXPECT_TRUE(identical(parsed("-9223372036854775807"), Decimal{-INT64_MAX, 0}));
    EXPECT_TRUE(identical(parsed("0.000000000000000001"), Decimal{1, 18}));
    for (const std::string_view big :
         {"9223372036854775808", "-9223372036854775808", "99999999999999999999",
          "0.0000000000000000001", "1.0000000000000000000", "922337203685477580.8"}) {
        const auto d = parse_decimal(big);
        ASSERT_FALSE(d) << big;
        EXPECT_EQ(d.error().code, core::Errc::kResourceExhausted) << big;
        EXPECT_EQ(d.error().id, "DECIMAL-RANGE") << big;
    }
    // A malformed number is reported as malformed even when it is also too long.
    EXPECT_EQ(parse_decimal("99999999999999999999x").error().id, "DECIMAL-LEXICAL");
}

TEST(DecimalTest, ComparesNumbersNotRepresentations) {
    EXPECT_EQ(parsed("19.90"), parsed("19.9"));
    EXPECT_FALSE(identical(parsed("19.90"), parsed("19.9")));
    EXPECT_EQ(parsed("0"), parsed("-0.000"));
    EXPECT_LT(parsed("-1"), parsed("0.5"));
    EXPECT_LT(parsed("1.05"), parsed("1.1"));
    EXPECT_GT(parsed("2"), parsed("1.999999999999999999"));
    EXPECT_LT(parsed("-2"), parsed("-1.999999999999999999"));
    EXPECT_NE(parsed("0.1"), parsed("0.10000000001"));
}

TEST(DecimalTest, ComparesWithoutOverflowWhenScalesAreFarApart) {
    // Aligning 9e18 to scale 18 would overflow: the comparison must still be exact.
    const Decimal huge{INT64_MAX, 0};
    const Decimal tiny{1, 18};
    EXPECT_GT(huge, tiny);
    EXPECT_LT(tiny, huge);
    const Decimal huge_negative{-INT64_MAX, 0};
    EXPECT_LT(huge_negative, tiny);
    EXPECT_GT(tiny, huge_negative);
    EXPECT_LT((Decimal{INT64_MIN, 0}), (Decimal{INT64_MAX, 18}));
    EXPECT_NE((Decimal{INT64_MAX, 0}), (Decimal{INT64_MAX, 1}));
}

TEST(DecimalTest, PrintsWithItsScale) {
    EXPECT_EQ((Decimal{1250, 2}).to_string(), "12.50");
    EXPECT_EQ((Decimal{-5, 1}).to_string(), "-0.5");
    EXPECT_EQ((Decimal{0, 2}).to_string(), "0.00");
    EXPECT_EQ((Decimal{7, 0}).to_string(), "7");
    EXPECT_EQ((Decimal{-123456, 3}).to_string(), "-123.456");
    EXPECT_EQ((Decimal{INT64_MIN, 0}).to_string(), "-9223372036854775808");
    EXPECT_EQ((Decimal{1, 18}).to_string(), "0.000000000000000001");
    for (const std::string_view text :
         {"12.50", "-0.5", "0.00", "9223372036854775807", "0.000000000000000001"}) {
        EXPECT_EQ(parsed(text).to_string(), text);
    }
}

TEST(DecimalTest, AddsAndSubtractsExactly) {
    EXPECT_TRUE(identical(*add(parsed("19.90"), parsed("0.1")), Decimal{2000, 2}));
    EXPECT_TRUE(identical(*subtract(parsed("1"), parsed("0.005")), Decimal{995, 3}));
    EXPECT_TRUE(identical(*add(parsed("-1.5"), parsed("1.5")), Decimal{0, 1}));
    const auto overflow = add(Decimal{INT64_MAX, 0}, Decimal{1, 0});
    ASSERT_FALSE(overflow);
    EXPECT_EQ(overflow.error().id, "DECIMAL-RANGE");
    EXPECT_FALSE(add(Decimal{INT64_MAX, 0}, Decimal{1, 1}));  // alignment overflows
    EXPECT_FALSE(subtract(Decimal{-INT64_MAX, 0}, Decimal{2, 0}));
}

}  // namespace
}  // namespace facteur::model
