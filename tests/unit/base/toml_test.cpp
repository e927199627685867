#include "retour/base/toml.h"
#include "tests/support/temp_dir.h"

#include <fstream>
#include <gtest/gtest.h>

namespace retour::base {
namespace {

toml::table parsed(const TomlReader& reader, std::string_view text)
{
    auto table = reader.parseText(text);
    EXPECT_TRUE(table) << table.error().format();
    return table ? std::move(*table) : toml::table{};
}

TEST(TomlReaderTest, ASyntaxErrorNamesFileLineAndColumn)
{
    const TomlReader reader("conf/station.toml");
    auto table = reader.parseText("[station]\nid = \"A\"\nsite = \n");
    ASSERT_FALSE(table);
    EXPECT_EQ(table.error().file, "conf/station.toml");
    EXPECT_EQ(table.error().line, 3);
    EXPECT_TRUE(table.error().format().starts_with("conf/station.toml:3:")) << table.error().format();
    EXPECT_NE(table.error().message.find("TOML syntax error"), std::string::npos);
    EXPECT_NE(table.error().message.find("fix the TOML syntax"), std::string::npos);
}

TEST(TomlReaderTest, FilesAreParsedAndAMissingOneIsNamedAt1_1)
{
    retour::test::TempDir dir("retour-base-toml");
    {
        std::ofstream(dir / "ok.toml") << "[broker]\nport = 1883\n";
    }
    const TomlReader reader(dir / "ok.toml");
    auto table = reader.parse();
    ASSERT_TRUE(table) << table.error().format();
    EXPECT_EQ((*table)["broker"]["port"].value<std::int64_t>(), 1883);

    const TomlReader missing(dir / "nope.toml");
    auto none = missing.parse();
    ASSERT_FALSE(none);
    EXPECT_TRUE(none.error().format().starts_with((dir / "nope.toml").string() + ":1:1: file not found"))
        << none.error().format();

    auto directory = TomlReader(dir.path()).parse();
    ASSERT_FALSE(directory);
    EXPECT_NE(directory.error().message.find("is not a regular file"), std::string::npos);
}

TEST(TomlReaderTest, TypedGettersReadValuesAndLocateWrongTypes)
{
    const TomlReader reader("t.toml");
    const auto table = parsed(reader, "s = \"x\"\ni = 7\nf = 2.5\nb = true\n"
                                      "ss = [\"a\", \"b\"]\nis = [1, 2]\nsub = { k = 1 }\n[[step]]\nk = 1\n");
    EXPECT_EQ(reader.optString(table, "s", "[t]")->value(), "x");
    EXPECT_EQ(reader.string(table, "s", "[t]").value(), "x");
    EXPECT_EQ(reader.optInteger(table, "i", "[t]")->value(), 7);
    EXPECT_EQ(reader.optNumber(table, "i", "[t]")->value(), 7.0) << "an integer where a number is expected";
    EXPECT_EQ(reader.optNumber(table, "f", "[t]")->value(), 2.5);
    EXPECT_EQ(reader.optBool(table, "b", "[t]")->value(), true);
    EXPECT_EQ(reader.optStringArray(table, "ss", "[t]")->value(), (std::vector<std::string>{"a", "b"}));
    EXPECT_EQ(reader.optIntegerArray(table, "is", "[t]")->value(), (std::vector<std::int64_t>{1, 2}));
    EXPECT_NE(reader.optTable(table, "sub", "[t]").value(), nullptr);
    EXPECT_EQ(reader.optTableArray(table, "step", "[t]").value()->size(), 1U);
    EXPECT_EQ(reader.optString(table, "absent", "[t]").value(), std::nullopt);
    EXPECT_EQ(reader.optTable(table, "absent", "[t]").value(), nullptr);

    auto wrong = reader.optInteger(table, "s", "[t]");
    ASSERT_FALSE(wrong);
    EXPECT_EQ(wrong.error().format(), "t.toml:1:5: [t] \"s\" must be an integer, not a string");
    auto element = reader.optStringArray(table, "is", "[t]");
    ASSERT_FALSE(element);
    EXPECT_EQ(element.error().format(), "t.toml:6:7: [t] \"is\" must be an array of strings, not an integer");
    auto single = reader.optStringArray(table, "s", "[t]");
    ASSERT_FALSE(single);
    EXPECT_NE(single.error().message.find("must be an array of strings, not a string"), std::string::npos);
    EXPECT_FALSE(reader.optBool(table, "i", "[t]"));
    EXPECT_FALSE(reader.optTable(table, "i", "[t]"));
    EXPECT_FALSE(reader.optTableArray(table, "sub", "[t]"));
}

TEST(TomlReaderTest, MissingEmptyAndUnknownKeysSayWhatToWrite)
{
    const TomlReader reader("c.toml");
    const auto table = parsed(reader, "[central]\nsite = \"\"\nsiet = 1\n");
    const auto& central = *table["central"].as_table();
    auto empty = reader.string(central, "site", "[central]");
    ASSERT_FALSE(empty);
    EXPECT_EQ(empty.error().format(), "c.toml:2:8: [central] \"site\" is empty; give it a value");
    auto missing = reader.string(central, "name", "[central]");
    ASSERT_FALSE(missing);
    EXPECT_NE(missing.error().message.find("missing key \"name\" in [central]; add name = \"…\""),
              std::string::npos)
        << missing.error().message;
    auto unknown = reader.unknownKey(central, {"site", "name"}, "[central]");
    ASSERT_TRUE(unknown);
    EXPECT_EQ(unknown->format(), "c.toml:3:1: unknown key \"siet\" in [central] (allowed: site, name)");
    EXPECT_FALSE(reader.unknownKey(central, {"site", "siet"}, "[central]"));
}

} // namespace
} // namespace retour::base
