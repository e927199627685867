#include "retour/drivers/protocol/mt_sics.h"

#include "retour/drivers/protocol/weight_units.h"
#include "scale/text_util.h"

#include <algorithm>
#include <array>
#include <optional>
#include <span>

namespace retour::drivers::protocol {

namespace {

Error lineError(std::string_view line, std::string_view what)
{
    return Error{ErrorCode::Protocol,
                 "MT-SICS line \"" + detail::printable(line) + "\": " + std::string(what)};
}

bool isCommandChar(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '@';
}

// Tokens separated by runs of spaces; a token starting with '"' runs to the closing quote (quotes
// removed, `quoted` set).
struct Token
{
    std::string_view text;
    bool quoted = false;
};

// At most this many tokens: the longest level-0/1 reply (I1 A "levels" "v0" "v1" "v2" "v3") has 7.
constexpr std::size_t kMaxTokens = 16;

struct Tokens
{
    std::array<Token, kMaxTokens> items{};
    std::size_t size = 0;
    const Token& operator[](std::size_t i) const { return items[i]; }
    bool empty() const { return size == 0; }
};

// Fixed storage: parsing a reply line allocates nothing but the reply's own strings.
std::optional<Tokens> tokenize(std::string_view line)
{
    Tokens tokens;
    std::size_t i = 0;
    while (i < line.size()) {
        if (line[i] == ' ') {
            ++i;
            continue;
        }
        if (tokens.size == kMaxTokens) {
            return std::nullopt;
        }
        if (line[i] == '"') {
            const auto close = line.find('"', i + 1);
            if (close == std::string_view::npos) {
                return std::nullopt;
            }
            tokens.items[tokens.size++] = {line.substr(i + 1, close - i - 1), true};
            i = close + 1;
            continue;
        }
        const auto end = std::min(line.find(' ', i), line.size());
        tokens.items[tokens.size++] = {line.substr(i, end - i), false};
        i = end;
    }
    return tokens;
}

} // namespace

std::string_view mtSicsCommandText(MtSicsCommand command)
{
    switch (command) {
    case MtSicsCommand::Reset:
        return "@\r\n";
    case MtSicsCommand::Stable:
        return "S\r\n";
    case MtSicsCommand::Immediate:
        return "SI\r\n";
    case MtSicsCommand::Repeat:
        return "SIR\r\n";
    case MtSicsCommand::Zero:
        return "Z\r\n";
    case MtSicsCommand::ZeroImmediate:
        return "ZI\r\n";
    case MtSicsCommand::Tare:
        return "T\r\n";
    case MtSicsCommand::TareImmediate:
        return "TI\r\n";
    case MtSicsCommand::ClearTare:
        return "TAC\r\n";
    case MtSicsCommand::SerialNumber:
        return "I4\r\n";
    }
    return "";
}

const char* toString(MtSicsReply::Kind kind)
{
    using K = MtSicsReply::Kind;
    switch (kind) {
    case K::Weight:
        return "weight";
    case K::Done:
        return "done";
    case K::Info:
        return "info";
    case K::More:
        return "more";
    case K::NotExecutable:
        return "not-executable";
    case K::Overload:
        return "overload";
    case K::Underload:
        return "underload";
    case K::AlreadyInState:
        return "already-in-state";
    case K::SyntaxError:
        return "syntax-error";
    case K::TransmissionError:
        return "transmission-error";
    case K::LogicalError:
        return "logical-error";
    }
    return "unknown";
}

Result<MtSicsReply> parseMtSicsLine(std::string_view line)
{
    using K = MtSicsReply::Kind;
    for (const char c : line) {
        const auto u = static_cast<unsigned char>(c);
        if (u < 0x20 || u == 0x7F) {
            return std::unexpected(lineError(line, "control byte in a reply line"));
        }
    }
    const auto tokens = tokenize(line);
    if (!tokens) {
        return std::unexpected(lineError(line, "unterminated quoted string or more than 16 fields"));
    }
    if (tokens->empty()) {
        return std::unexpected(lineError(line, "empty line"));
    }
    const std::string_view head = (*tokens)[0].text;
    MtSicsReply reply;
    if (tokens->size == 1 && !(*tokens)[0].quoted) {
        if (head == "ES") {
            reply.kind = K::SyntaxError;
            return reply;
        }
        if (head == "ET") {
            reply.kind = K::TransmissionError;
            return reply;
        }
        if (head == "EL") {
            reply.kind = K::LogicalError;
            return reply;
        }
        return std::unexpected(lineError(line, "no status after the command"));
    }
    if ((*tokens)[0].quoted || head.size() > 8 ||
        std::find_if_not(head.begin(), head.end(), isCommandChar) != head.end()) {
        return std::unexpected(lineError(line, "not a command echo"));
    }
    reply.command = std::string(head);
    const Token& status = (*tokens)[1];
    if (status.quoted || status.text.size() != 1) {
        return std::unexpected(lineError(line, "status is not one character"));
    }
    const char s = status.text[0];
    const std::span<const Token> args(tokens->items.data() + 2, tokens->size - 2);

    // A value and a unit after S, D or A: a weight (S S 100.00 g, TA A 10.00 g).
    if ((s == 'S' || s == 'D' || s == 'A') && !args.empty() && !args[0].quoted) {
        std::string_view valueText = args[0].text;
        std::size_t unitIndex = 1;
        std::string joined;
        // "-   12.3": a sign set apart from the digits by the right alignment.
        if ((valueText == "-" || valueText == "+") && args.size() > 1) {
            joined = std::string(valueText) + std::string(args[1].text);
            valueText = joined;
            unitIndex = 2;
        }
        if (const auto value = detail::parseDecimal(valueText)) {
            if (args.size() <= unitIndex || args[unitIndex].quoted) {
                return std::unexpected(lineError(line, "weight without a unit"));
            }
            reply.kind = K::Weight;
            reply.stable = s != 'D';
            reply.value = *value;
            reply.unit = std::string(args[unitIndex].text);
            return reply;
        }
        if (s != 'A') {
            return std::unexpected(lineError(line, "weight value is not a number"));
        }
    }
    for (const auto& arg : args) {
        if (!reply.text.empty()) {
            reply.text += ' ';
        }
        reply.text += arg.text;
    }
    switch (s) {
    case 'S':
    case 'D':
        reply.kind = K::Done; // ZI S / ZI D
        return reply;
    case 'A':
        reply.kind = args.empty() ? K::Done : K::Info;
        return reply;
    case 'B':
        reply.kind = K::More;
        return reply;
    case 'I':
        reply.kind = K::NotExecutable;
        return reply;
    case '+':
        reply.kind = K::Overload;
        return reply;
    case '-':
        reply.kind = K::Underload;
        return reply;
    case 'L':
        reply.kind = K::AlreadyInState;
        return reply;
    default:
        return std::unexpected(lineError(line, "unknown status '" + std::string(1, s) + "'"));
    }
}

Result<Weight> mtSicsWeight(const MtSicsReply& reply)
{
    using K = MtSicsReply::Kind;
    Weight weight;
    switch (reply.kind) {
    case K::Weight: {
        const auto perUnit = gramsPerUnitSymbol(reply.unit);
        if (!perUnit) {
            return std::unexpected(
                Error{ErrorCode::Protocol, "MT-SICS weight in unknown unit '" + reply.unit + "'"});
        }
        weight.deviceValue = reply.value;
        weight.deviceUnit = canonicalUnitSymbol(reply.unit);
        weight.grams = reply.value * *perUnit;
        if (reply.value < 0) {
            weight.status = WeightStatus::UnderZero;
        } else {
            weight.stable = reply.stable;
            weight.status = reply.stable ? WeightStatus::Stable : WeightStatus::InMotion;
        }
        return weight;
    }
    case K::Overload:
        weight.status = WeightStatus::Overload;
        return weight;
    case K::Underload:
        weight.status = WeightStatus::UnderZero;
        return weight;
    default:
        return std::unexpected(Error{ErrorCode::Protocol, "MT-SICS reply '" + reply.command + "' (" +
                                                              toString(reply.kind) + ") carries no weight"});
    }
}

namespace {

Error overlongLine()
{
    return Error{ErrorCode::Protocol, "MT-SICS: line longer than " + std::to_string(MtSicsParser::kMaxLine) +
                                          " bytes without CR LF dropped"};
}

// A completed line: parsed, unless it is longer than a reply can be. The limit applies whether the
// line arrived in one read or in pieces, so the replies never depend on how the bytes were split.
void completeLine(std::string_view line, std::vector<Result<MtSicsReply>>& out)
{
    if (line.empty()) {
        return;
    }
    if (line.size() > MtSicsParser::kMaxLine) {
        out.push_back(std::unexpected(overlongLine()));
        return;
    }
    out.push_back(parseMtSicsLine(line));
}

} // namespace

void MtSicsParser::feed(std::string_view bytes, std::vector<Result<MtSicsReply>>& out)
{
    std::size_t start = 0;
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        const char c = bytes[i];
        if (c != '\r' && c != '\n') {
            continue;
        }
        const std::string_view piece = bytes.substr(start, i - start);
        start = i + 1;
        if (overflow_) {
            overflow_ = false;
            line_.clear();
            continue;
        }
        if (line_.empty()) {
            completeLine(piece, out); // the common case: no copy
            continue;
        }
        line_.append(piece);
        completeLine(line_, out);
        line_.clear();
    }
    if (overflow_) {
        return;
    }
    line_.append(bytes.substr(start));
    if (line_.size() > kMaxLine) {
        out.push_back(std::unexpected(overlongLine()));
        line_.clear();
        overflow_ = true;
    }
}

void MtSicsParser::reset()
{
    line_.clear();
    overflow_ = false;
}

std::optional<std::string> mtSicsControlProblem(const MtSicsReply& reply)
{
    using K = MtSicsReply::Kind;
    const std::string& c = reply.command;
    const bool zero = c == "Z" || c == "ZI";
    const bool tare = c == "T" || c == "TI" || c == "TA" || c == "TAC";
    if (!zero && !tare) {
        return std::nullopt;
    }
    const char* range = zero ? "zero" : "tare";
    switch (reply.kind) {
    case K::Done:
    case K::Weight:
        return std::string();
    case K::NotExecutable:
        return std::string("not executable (balance busy or not stable)");
    case K::Overload:
        return std::string("above the ") + range + " range";
    case K::Underload:
        return std::string("below the ") + range + " range";
    default:
        return std::string("unexpected reply ") + toString(reply.kind);
    }
}

} // namespace retour::drivers::protocol
