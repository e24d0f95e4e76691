#include <gtest/gtest.h>

#include "facteur/core/result.h"

namespace facteur::core {
namespace {

Result<int> half(int value) {
    if (value % 2 != 0) {
        return fail(Errc::kInvalidInput, "ODD", "odd value", "valeur impaire", 7);
    }
    return value / 2;
}

Result<int> quarter(int value) {
    FACTEUR_TRY_ASSIGN(const int h, half(value));
    FACTEUR_TRY_ASSIGN(const int q, half(h));
    return q;
}

Result<void> check_even(int value) {
    FACTEUR_TRY(half(value));
    return {};
}

TEST(ResultTest, TryAssignPropagatesTheFirstError) {
    EXPECT_EQ(*quarter(8), 2);
    const auto r = quarter(6);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().id, "ODD");
    EXPECT_EQ(r.error().line, 7U);
    EXPECT_EQ(r.error().code, Errc::kInvalidInput);
}

TEST(ResultTest, TryReturnsErrorFromVoidFunction) {
    EXPECT_TRUE(check_even(4));
    EXPECT_FALSE(check_even(5));
}

TEST(ResultTest, TextPicksFrenchWhenPresent) {
    const Error both{Errc::kNotFound, "missing", "X", "absent", 0};
    const Error english_only{Errc::kNotFound, "missing", "X", "", 0};
    EXPECT_EQ(both.text(true), "absent");
    EXPECT_EQ(both.text(false), "missing");
    EXPECT_EQ(english_only.text(true), "missing");
}

TEST(ResultTest, ErrcNamesAreStable) {
    EXPECT_STREQ(errc_name(Errc::kInvalidInput), "invalid_input");
    EXPECT_STREQ(errc_name(Errc::kResourceExhausted), "resource_exhausted");
    EXPECT_STREQ(errc_name(Errc::kDataLoss), "data_loss");
}

}  // namespace
}  // namespace facteur::core
