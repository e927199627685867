// config/rules/grade_terms.toml: the two-axis grade in retailer, Amazon, eBay and CTIA terms.
#include "rules/grade_terms.h"
#include "tests/unit/station/fixtures.h"
#include "workflow/workflow.h"

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

// The workflow carries the terms in the inspection (inspection.completed data grade.terms).
TEST(GradeTerms, TheConfirmedInspectionCarriesTheTerms)
{
    auto rules = loadRules(std::filesystem::path(RETOUR_SOURCE_DIR) / "config/rules/disposition.toml");
    ASSERT_TRUE(rules.has_value()) << rules.error().message;
    auto terms = loadGradeTerms(kTerms);
    ASSERT_TRUE(terms.has_value());
    rules->gradeTerms = std::move(*terms);
    auto directory = testing::demoDirectory();
    int ids = 0;
    WorkflowSettings settings;
    settings.stationId = "bench-01";
    settings.operatorId = "op-17";
    settings.hasCamera = false;
    Workflow workflow(settings, std::make_shared<const RuleSet>(std::move(*rules)), directory,
                      WorkflowServices{[&] { return "id-" + std::to_string(++ids); },
                                       [] { return std::string("2026-11-26T11:29:56.123Z"); }},
                      0);
    workflow.handle(ScanInput{"RMA-000103", ""});
    workflow.handle(ScanInput{"036000291452", ""});
    workflow.handle(WeightInput{900.0, true});
    workflow.handle(ScanInput{"CMD:GRADE:1:B", ""});
    for (const auto& command : workflow.handle(ScanInput{"CMD:CONFIRM", ""})) {
        if (const auto* commit = std::get_if<CommitInspection>(&command)) {
            const auto data = toEventData(commit->inspection);
            EXPECT_EQ(data["grade"]["terms"]["ctia"], "CTIA functional 1, cosmetic B");
            EXPECT_TRUE(data["grade"]["terms"]["ebay_id"].is_number_integer()) << data["grade"].dump();
            EXPECT_TRUE(data["grade"]["terms"]["retailer"].is_string());
            return;
        }
    }
    FAIL() << "no CommitInspection";
}

} // namespace
} // namespace retour::station
