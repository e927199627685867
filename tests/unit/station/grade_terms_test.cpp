// config/rules/grade_terms.toml: the two-axis grade in retailer, Amazon, eBay and CTIA terms.
#include "retour/station/grade_terms.h"

#include <gtest/gtest.h>

namespace retour::station {
namespace {

const std::filesystem::path kTerms =
    std::filesystem::path(RETOUR_SOURCE_DIR) / "config/rules/grade_terms.toml";

TEST(GradeTerms, TheShippedTableMapsEveryGradeAndTheDispositionsThatChangeTheTerms)
{
    auto table = loadGradeTerms(kTerms);
    ASSERT_TRUE(table.has_value()) << table.error().message;
    const auto b = table->terms('B', 1, 'B', "resale_second_hand");
    EXPECT_EQ(b.amazon, "Used – Very Good");
    EXPECT_EQ(b.ebayId, 4000);
    EXPECT_EQ(b.ctia, "CTIA functional 1, cosmetic B");
    EXPECT_NE(b.retailer.find("B"), std::string::npos);
    // Restocked as new: sold as New, whatever the letter.
    const auto fresh = table->terms('A', 0, 'A', "restock_new");
    EXPECT_EQ(fresh.amazon, "New");
    EXPECT_EQ(fresh.ebayId, 1000);
    EXPECT_EQ(table->terms('C', 0, 'C', "refurbish").amazon, "Renewed");
    const auto e = table->terms('E', 3, 'D', "recycle");
    EXPECT_EQ(e.amazon, ""); // not listable
    EXPECT_EQ(e.ebayId, 7000);
    for (char grade = 'A'; grade <= 'E'; ++grade) {
        EXPECT_NE(table->terms(grade, 0, 'A', "donate").ebayId, 0) << grade;
    }
}

TEST(GradeTerms, ErrorsNameFileLineAndColumn)
{
    const auto badGrade = parseGradeTerms("[grade.F]\namazon = \"New\"\n", "t.toml");
    ASSERT_FALSE(badGrade);
    EXPECT_NE(badGrade.error().message.find("t.toml:"), std::string::npos) << badGrade.error().message;
    EXPECT_NE(badGrade.error().message.find("A..E"), std::string::npos) << badGrade.error().message;
    const auto badId = parseGradeTerms("[grade.A]\n\nebay_id = 12\n", "t.toml");
    ASSERT_FALSE(badId);
    EXPECT_NE(badId.error().message.find("t.toml:3:"), std::string::npos) << badId.error().message;
    const auto unknown = parseGradeTerms("[disposition.donate]\nwalmart = \"x\"\n", "t.toml");
    ASSERT_FALSE(unknown);
    EXPECT_NE(unknown.error().message.find("walmart"), std::string::npos) << unknown.error().message;
    EXPECT_FALSE(loadGradeTerms("/nonexistent/terms.toml"));
}

TEST(GradeTerms, AnEmptyTableStillGivesTheLetterAndTheCtiaTerms)
{
    auto table = parseGradeTerms("", "t.toml");
    ASSERT_TRUE(table.has_value());
    const auto terms = table->terms('B', 2, 'C', "refurbish");
    EXPECT_EQ(terms.retailer, "B");
    EXPECT_EQ(terms.ctia, "CTIA functional 2, cosmetic C");
    EXPECT_EQ(terms.ebayId, 0);
}

} // namespace
} // namespace retour::station
