#include "workflow/operator_input.h"

#include <algorithm>
#include <cctype>

namespace retour::station {

namespace {

std::string upper(std::string_view text)
{
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    return out;
}

std::string lower(std::string_view text)
{
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

std::vector<std::string_view> split(std::string_view text)
{
    std::vector<std::string_view> parts;
    std::size_t start = 0;
    while (true) {
        const auto colon = text.find(':', start);
        if (colon == std::string_view::npos) {
            parts.push_back(text.substr(start));
            return parts;
        }
        parts.push_back(text.substr(start, colon - start));
        start = colon + 1;
    }
}

std::unexpected<std::string> invalid(std::string_view text, std::string_view usage)
{
    return std::unexpected("invalid command \"" + std::string(text) + "\": use " + std::string(usage));
}

} // namespace

bool validToken(std::string_view token)
{
    if (token.empty() || token.size() > 40) {
        return false;
    }
    return std::all_of(token.begin(), token.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    });
}

bool isOperatorInput(std::string_view text)
{
    return text.size() >= kOperatorInputPrefix.size() &&
           upper(text.substr(0, kOperatorInputPrefix.size())) == kOperatorInputPrefix;
}

std::string redactCredential(std::string_view text)
{
    constexpr std::string_view signIn = "CMD:SIGNIN";
    if (text.size() > signIn.size() && upper(text.substr(0, signIn.size())) == signIn &&
        text[signIn.size()] == ':') {
        return std::string(text.substr(0, signIn.size() + 1)) + "***";
    }
    return std::string(text);
}

std::string_view toString(cmd::Answer answer)
{
    switch (answer) {
    case cmd::Answer::Yes:
        return "yes";
    case cmd::Answer::No:
        return "no";
    case cmd::Answer::NotApplicable:
        return "na";
    }
    return "?";
}

std::expected<OperatorInput, std::string> parseOperatorInput(std::string_view text)
{
    if (!isOperatorInput(text)) {
        return std::unexpected("\"" + std::string(text) + "\" is not a command (CMD:…)");
    }
    const auto parts = split(text.substr(kOperatorInputPrefix.size()));
    const std::string keyword = upper(parts[0]);
    const std::size_t args = parts.size() - 1;
    auto noArgs = [&](OperatorInput command) -> std::expected<OperatorInput, std::string> {
        if (args != 0) {
            return invalid(text, "CMD:" + keyword + " (no arguments)");
        }
        return command;
    };

    if (keyword == "ACCEPT") {
        return noArgs(cmd::Accept{});
    }
    if (keyword == "SKIP") {
        return noArgs(cmd::SkipWeight{});
    }
    if (keyword == "CONFIRM") {
        return noArgs(cmd::Confirm{});
    }
    if (keyword == "NEXT") {
        return noArgs(cmd::Next{});
    }
    if (keyword == "UNDO") {
        return noArgs(cmd::Undo{});
    }
    if (keyword == "REPRINT") {
        return noArgs(cmd::Reprint{});
    }
    if (keyword == "CANCEL") {
        return noArgs(cmd::Cancel{});
    }
    if (keyword == "CLOSE") {
        return noArgs(cmd::Close{});
    }
    if (keyword == "SIGNOUT") {
        return noArgs(cmd::SignOut{});
    }
    if (keyword == "GRADE") {
        constexpr std::string_view usage = "CMD:GRADE:<function 0-3>:<cosmetic A-D>, e.g. CMD:GRADE:0:A";
        if (args != 2 || parts[1].size() != 1 || parts[2].size() != 1) {
            return invalid(text, usage);
        }
        const int function = parts[1][0] - '0';
        const char cosmetic = upper(parts[2])[0];
        if (function < 0 || function > 3 || cosmetic < 'A' || cosmetic > 'D') {
            return invalid(text, usage);
        }
        return cmd::Grade{function, cosmetic};
    }
    if (keyword == "OVERRIDE") {
        constexpr std::string_view usage =
            "CMD:OVERRIDE:<grade A-E>:<reason code>, e.g. CMD:OVERRIDE:C:hidden_damage";
        if (args != 2 || parts[1].size() != 1) {
            return invalid(text, usage);
        }
        const char grade = upper(parts[1])[0];
        const std::string reason = lower(parts[2]);
        if (grade < 'A' || grade > 'E' || !validToken(reason)) {
            return invalid(text, usage);
        }
        return cmd::Override{grade, reason};
    }
    if (keyword == "CHECK") {
        constexpr std::string_view usage = "CMD:CHECK:<item>:<YES|NO|NA>, e.g. CMD:CHECK:powers_on:YES";
        if (args != 2) {
            return invalid(text, usage);
        }
        const std::string item = lower(parts[1]);
        const std::string answer = upper(parts[2]);
        if (!validToken(item)) {
            return invalid(text, usage);
        }
        if (answer == "YES" || answer == "Y") {
            return cmd::Check{item, cmd::Answer::Yes};
        }
        if (answer == "NO" || answer == "N") {
            return cmd::Check{item, cmd::Answer::No};
        }
        if (answer == "NA" || answer == "N/A") {
            return cmd::Check{item, cmd::Answer::NotApplicable};
        }
        return invalid(text, usage);
    }
    if (keyword == "SKIPPHOTO") {
        constexpr std::string_view usage = "CMD:SKIPPHOTO:<reason code> or CMD:SKIPPHOTO:<view>:<reason "
                                           "code>, e.g. CMD:SKIPPHOTO:item_too_large";
        if (args == 1 && validToken(lower(parts[1]))) {
            return cmd::SkipPhoto{{}, lower(parts[1])};
        }
        if (args == 2 && validToken(lower(parts[1])) && validToken(lower(parts[2]))) {
            return cmd::SkipPhoto{lower(parts[1]), lower(parts[2])};
        }
        return invalid(text, usage);
    }
    if (keyword == "SIGNIN") {
        constexpr std::string_view usage = "CMD:SIGNIN:<badge or PIN>";
        // The credential keeps its case and may itself hold colons (badge payloads do).
        const auto rest = text.substr(kOperatorInputPrefix.size() + keyword.size());
        // The error never repeats the credential: it may be a PIN.
        if (rest.size() < 2 || rest.size() > 65) {
            return invalid(redactCredential(text), usage);
        }
        const std::string credential(rest.substr(1));
        if (!std::all_of(credential.begin(), credential.end(),
                         [](unsigned char c) { return c > 0x20 && c < 0x7f; })) {
            return invalid(redactCredential(text), usage);
        }
        return cmd::SignIn{credential};
    }
    return std::unexpected("unknown command \"" + std::string(text) + "\"");
}

std::string formatOperatorInput(const OperatorInput& command)
{
    return std::visit(
        [](const auto& c) -> std::string {
            using T = std::decay_t<decltype(c)>;
            if constexpr (std::is_same_v<T, cmd::Accept>) {
                return "CMD:ACCEPT";
            } else if constexpr (std::is_same_v<T, cmd::SkipWeight>) {
                return "CMD:SKIP";
            } else if constexpr (std::is_same_v<T, cmd::Grade>) {
                return "CMD:GRADE:" + std::to_string(c.function) + ":" + std::string(1, c.cosmetic);
            } else if constexpr (std::is_same_v<T, cmd::Override>) {
                return "CMD:OVERRIDE:" + std::string(1, c.grade) + ":" + c.reason;
            } else if constexpr (std::is_same_v<T, cmd::Check>) {
                return "CMD:CHECK:" + c.item + ":" + upper(toString(c.answer));
            } else if constexpr (std::is_same_v<T, cmd::SkipPhoto>) {
                return "CMD:SKIPPHOTO:" + (c.view.empty() ? std::string{} : c.view + ":") + c.reason;
            } else if constexpr (std::is_same_v<T, cmd::Confirm>) {
                return "CMD:CONFIRM";
            } else if constexpr (std::is_same_v<T, cmd::Next>) {
                return "CMD:NEXT";
            } else if constexpr (std::is_same_v<T, cmd::Undo>) {
                return "CMD:UNDO";
            } else if constexpr (std::is_same_v<T, cmd::Reprint>) {
                return "CMD:REPRINT";
            } else if constexpr (std::is_same_v<T, cmd::Cancel>) {
                return "CMD:CANCEL";
            } else if constexpr (std::is_same_v<T, cmd::Close>) {
                return "CMD:CLOSE";
            } else if constexpr (std::is_same_v<T, cmd::SignIn>) {
                return "CMD:SIGNIN:" + c.credential;
            } else {
                return "CMD:SIGNOUT";
            }
        },
        command);
}

} // namespace retour::station
