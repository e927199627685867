#include "catalogue.h"
#include "tests/support/temp_dir.h"

#include <filesystem>
#include <gtest/gtest.h>

namespace {

using retour::hwconfig::Catalogue;
namespace fs = std::filesystem;

fs::path catalogueFile(const std::string& name, const std::string& text)
{
    static const retour::test::TempDir dir("retour-hwconfig");
    return dir.write(name + ".toml", text);
}

std::string loadError(const fs::path& path)
{
    try {
        Catalogue::load(path);
    } catch (const std::exception& e) {
        return e.what();
    }
    return "";
}

TEST(Catalogue, ShippedCatalogueKnowsTheDymoM10)
{
    const Catalogue catalogue = Catalogue::load(Catalogue::defaultFile());
    const auto* entry = catalogue.find(0x0922, 0x8003);
    ASSERT_NE(entry, nullptr);
    EXPECT_EQ(entry->kind, "scale");
    EXPECT_EQ(entry->driver, "hid-pos-scale");
    EXPECT_EQ(catalogue.find(0x0922, 0x9999), nullptr);
}

TEST(Catalogue, UnknownKeyIsReportedWithItsPosition)
{
    const auto path =
        catalogueFile("cat-unknown", "[[device]]\nvid = \"0922\"\npid = \"8003\"\nname = \"x\"\n"
                                     "kind = \"scale\"\ndriver = \"d\"\ncolour = \"red\"\n");
    const std::string error = loadError(path);
    EXPECT_NE(error.find(path.string() + ":7:"), std::string::npos) << error;
    EXPECT_NE(error.find("colour"), std::string::npos) << error;
    fs::remove(path);
}

TEST(Catalogue, BadVendorIdIsRefused)
{
    const auto path = catalogueFile("cat-vid", "[[device]]\nvid = \"92\"\npid = \"8003\"\nname = \"x\"\n"
                                               "kind = \"scale\"\ndriver = \"d\"\n");
    const std::string error = loadError(path);
    EXPECT_NE(error.find(":2:"), std::string::npos) << error;
    EXPECT_NE(error.find("four hex digits"), std::string::npos) << error;
    fs::remove(path);
}

TEST(Catalogue, SyntaxErrorNamesTheLine)
{
    const auto path = catalogueFile("cat-syntax", "[[device]]\nvid = \"0922\n");
    const std::string error = loadError(path);
    EXPECT_NE(error.find(path.string() + ":2:"), std::string::npos) << error;
    fs::remove(path);
}

} // namespace
