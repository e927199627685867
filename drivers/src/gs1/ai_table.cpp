#include "retour/drivers/protocol/gs1.h"

#include <array>

namespace retour::drivers::protocol {

namespace {

// One AI or a family of AIs: 'd' in the pattern stands for any digit (310d = 3100..3109).
struct Entry
{
    std::string_view pattern;
    unsigned char minLength;
    unsigned char maxLength;
    unsigned char numericPrefix;
    unsigned char checkedLength;
    bool date;
};

constexpr unsigned char kAll = 255; // numericPrefix: every character is a digit

constexpr Entry n(std::string_view ai, unsigned char length, unsigned char checked = 0)
{
    return {ai, length, length, kAll, checked, false};
}
constexpr Entry nVar(std::string_view ai, unsigned char min, unsigned char max)
{
    return {ai, min, max, kAll, 0, false};
}
constexpr Entry an(std::string_view ai, unsigned char max, unsigned char min = 1)
{
    return {ai, min, max, 0, 0, false};
}
constexpr Entry mixed(std::string_view ai, unsigned char min, unsigned char max, unsigned char digits,
                      unsigned char checked = 0)
{
    return {ai, min, max, digits, checked, false};
}
constexpr Entry date(std::string_view ai)
{
    return {ai, 6, 6, kAll, 0, true};
}

// GS1 General Specifications AI table (lengths as in zxing-cpp HRI.cpp, docs/protocols/scanners.md §5). The
// first matching pattern wins, so exact AIs come before families that would also match them.
constexpr auto kTable = std::to_array<Entry>({
    n("00", 18, 18),
    n("01", 14, 14),
    n("02", 14, 14),
    n("03", 14, 14),
    an("10", 20),
    date("11"),
    date("12"),
    date("13"),
    date("15"),
    date("16"),
    date("17"),
    n("20", 2),
    an("21", 20),
    an("22", 20),
    an("235", 28),
    an("240", 30),
    an("241", 30),
    nVar("242", 1, 6),
    an("243", 20),
    an("250", 30),
    an("251", 30),
    mixed("253", 14, 30, 13, 13),
    an("254", 20),
    nVar("255", 14, 25),
    nVar("30", 1, 8),
    nVar("37", 1, 8),
    n("310d", 6),
    n("311d", 6),
    n("312d", 6),
    n("313d", 6),
    n("314d", 6),
    n("315d", 6),
    n("316d", 6),
    n("32dd", 6),
    n("330d", 6),
    n("331d", 6),
    n("332d", 6),
    n("333d", 6),
    n("334d", 6),
    n("335d", 6),
    n("336d", 6),
    n("337d", 6),
    n("34dd", 6),
    n("350d", 6),
    n("351d", 6),
    n("352d", 6),
    n("353d", 6),
    n("354d", 6),
    n("355d", 6),
    n("356d", 6),
    n("357d", 6),
    n("36dd", 6),
    nVar("390d", 1, 15),
    nVar("391d", 4, 18),
    nVar("392d", 1, 15),
    nVar("393d", 4, 18),
    n("394d", 4),
    n("395d", 6),
    an("400", 30),
    an("401", 30),
    n("402", 17, 17),
    an("403", 30),
    n("410", 13, 13),
    n("411", 13, 13),
    n("412", 13, 13),
    n("413", 13, 13),
    n("414", 13, 13),
    n("415", 13, 13),
    n("416", 13, 13),
    n("417", 13, 13),
    an("420", 20),
    mixed("421", 4, 12, 3),
    n("422", 3),
    nVar("423", 4, 15),
    n("424", 3),
    nVar("425", 4, 15),
    n("426", 3),
    an("427", 3),
    an("4300", 35),
    an("4301", 35),
    an("4302", 70),
    an("4303", 70),
    an("4304", 70),
    an("4305", 70),
    an("4306", 70),
    an("4307", 2, 2),
    an("4308", 30),
    n("4309", 20),
    an("4310", 35),
    an("4311", 35),
    an("4312", 70),
    an("4313", 70),
    an("4314", 70),
    an("4315", 70),
    an("4316", 70),
    an("4317", 2, 2),
    an("4318", 20),
    an("4319", 30),
    an("4320", 35),
    n("4321", 1),
    n("4322", 1),
    n("4323", 1),
    n("4324", 10),
    n("4325", 10),
    date("4326"),
    mixed("4330", 6, 7, 6),
    mixed("4331", 6, 7, 6),
    mixed("4332", 6, 7, 6),
    mixed("4333", 6, 7, 6),
    n("7001", 13),
    an("7002", 30),
    n("7003", 10),
    nVar("7004", 1, 4),
    an("7005", 12),
    date("7006"),
    nVar("7007", 6, 12),
    an("7008", 3),
    an("7009", 10),
    an("7010", 2),
    mixed("7011", 4, 10, 4),
    an("7020", 20),
    an("7021", 20),
    an("7022", 20),
    an("7023", 30),
    mixed("703d", 4, 30, 3),
    an("7040", 4, 4),
    an("710", 20),
    an("711", 20),
    an("712", 20),
    an("713", 20),
    an("714", 20),
    an("715", 20),
    an("716", 20),
    an("723d", 30, 3),
    an("7240", 20),
    n("7241", 2),
    an("7242", 25),
    n("8001", 14),
    an("8002", 20),
    mixed("8003", 15, 30, 14, 14),
    an("8004", 30),
    n("8005", 6),
    n("8006", 18, 14),
    an("8007", 34),
    nVar("8008", 9, 12),
    an("8009", 50),
    an("8010", 30),
    nVar("8011", 1, 12),
    an("8012", 20),
    an("8013", 25),
    n("8017", 18, 18),
    n("8018", 18, 18),
    nVar("8019", 1, 10),
    an("8020", 25),
    n("8026", 18, 14),
    an("8030", 90),
    an("8110", 70),
    n("8111", 4),
    an("8112", 70),
    an("8200", 70),
    an("90", 30),
    an("9d", 90),
});

bool matches(std::string_view pattern, std::string_view digits)
{
    if (digits.size() < pattern.size()) {
        return false;
    }
    for (std::size_t i = 0; i < pattern.size(); ++i) {
        const char d = digits[i];
        if (d < '0' || d > '9' || (pattern[i] != 'd' && pattern[i] != d)) {
            return false;
        }
    }
    return true;
}

} // namespace

std::optional<Gs1AiFormat> gs1AiFormat(std::string_view digits)
{
    for (const Entry& e : kTable) {
        if (matches(e.pattern, digits)) {
            const std::size_t numeric = e.numericPrefix == kAll ? e.maxLength : e.numericPrefix;
            return Gs1AiFormat{e.pattern.size(), e.minLength, e.maxLength, numeric, e.checkedLength, e.date};
        }
    }
    return std::nullopt;
}

bool gs1PredefinedLength(std::string_view ai)
{
    if (ai.size() < 2 || ai[0] < '0' || ai[0] > '9' || ai[1] < '0' || ai[1] > '9') {
        return false;
    }
    const int two = (ai[0] - '0') * 10 + (ai[1] - '0');
    return two <= 4 || (two >= 11 && two <= 20) || (two >= 31 && two <= 36) || two == 41;
}

} // namespace retour::drivers::protocol
