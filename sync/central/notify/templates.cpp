// Customer message templates and the RFC 5322 text of a message (see templates.h).
#include "notify/templates.h"

#include <algorithm>
#include <fstream>
#include <optional>
#include <sstream>

namespace retour::central {

namespace {

bool isNameChar(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

std::string headerValue(std::string_view text)
{
    std::string out;
    for (const char c : text) {
        if (c != '\r' && c != '\n') {
            out += c;
        }
    }
    return out;
}

// Every {name} of `text` must be known; line and column are 1-based, counted from `firstLine`.
std::optional<SourceError> checkPlaceholders(std::string_view file, std::string_view text,
                                             std::int64_t firstLine)
{
    const auto& known = messagePlaceholders();
    std::int64_t line = firstLine;
    std::int64_t column = 1;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\n') {
            ++line;
            column = 1;
            continue;
        }
        if (text[i] == '{') {
            std::size_t end = i + 1;
            while (end < text.size() && isNameChar(text[end])) {
                ++end;
            }
            if (end < text.size() && text[end] == '}' && end > i + 1) {
                const std::string name(text.substr(i + 1, end - i - 1));
                if (std::find(known.begin(), known.end(), name) == known.end()) {
                    std::string list;
                    for (const std::string& k : known) {
                        list += (list.empty() ? "" : ", ") + k;
                    }
                    return SourceError{std::string(file), line, column,
                                       "unknown placeholder {" + name + "}; use one of " + list};
                }
            }
        }
        ++column;
    }
    return std::nullopt;
}

} // namespace

const std::vector<std::string>& messageStages()
{
    static const std::vector<std::string> stages = {"requested", "authorised", "received", "inspected",
                                                    "refunded"};
    return stages;
}

const std::vector<std::string>& messagePlaceholders()
{
    static const std::vector<std::string> names = {"rma_id",   "channel",       "state",        "order_id",
                                                   "customer", "label_barcode", "items",        "amount",
                                                   "currency", "result",        "evidence_url", "site"};
    return names;
}

SourceResult<MessageTemplate> parseTemplate(std::string_view stage, std::string_view file,
                                            std::string_view text)
{
    MessageTemplate out;
    out.stage = std::string(stage);
    out.file = std::string(file);
    const std::size_t end = text.find('\n');
    std::string_view first = text.substr(0, end);
    if (first.ends_with('\r')) {
        first.remove_suffix(1);
    }
    constexpr std::string_view prefix = "Subject:";
    if (!first.starts_with(prefix)) {
        return std::unexpected(
            SourceError{std::string(file), 1, 1,
                        "the first line must be \"Subject: …\", then an empty line, then the body"});
    }
    out.subject = std::string(first.substr(prefix.size()));
    out.subject.erase(0, out.subject.find_first_not_of(' '));
    if (out.subject.empty()) {
        return std::unexpected(SourceError{std::string(file), 1, static_cast<std::int64_t>(prefix.size()) + 1,
                                           "the subject is empty; write one after \"Subject:\""});
    }
    if (auto error = checkPlaceholders(file, first, 1)) {
        return std::unexpected(*error);
    }
    std::string_view rest = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
    std::int64_t bodyLine = 2;
    if (rest.starts_with("\r\n")) {
        rest.remove_prefix(2);
        ++bodyLine;
    } else if (rest.starts_with('\n')) {
        rest.remove_prefix(1);
        ++bodyLine;
    } else {
        return std::unexpected(
            SourceError{std::string(file), 2, 1, "line 2 must be empty (it ends the headers)"});
    }
    if (auto error = checkPlaceholders(file, rest, bodyLine)) {
        return std::unexpected(*error);
    }
    out.body = std::string(rest);
    return out;
}

SourceResult<std::vector<MessageTemplate>> loadTemplates(const std::filesystem::path& directory)
{
    std::vector<MessageTemplate> out;
    for (const std::string& stage : messageStages()) {
        const std::filesystem::path file = directory / (stage + ".txt");
        std::ifstream in(file, std::ios::binary);
        if (!in) {
            return std::unexpected(SourceError{
                file.string(), 1, 1, "cannot read the " + stage + " template; create " + file.string()});
        }
        std::stringstream text;
        text << in.rdbuf();
        auto parsed = parseTemplate(stage, file.string(), text.str());
        if (!parsed) {
            return std::unexpected(parsed.error());
        }
        out.push_back(std::move(*parsed));
    }
    return out;
}

std::string fill(std::string_view text, const std::map<std::string, std::string>& values)
{
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '{') {
            std::size_t end = i + 1;
            while (end < text.size() && isNameChar(text[end])) {
                ++end;
            }
            if (end < text.size() && text[end] == '}' && end > i + 1) {
                const auto it = values.find(std::string(text.substr(i + 1, end - i - 1)));
                out += it == values.end() ? "" : it->second;
                i = end;
                continue;
            }
        }
        out += text[i];
    }
    return out;
}

std::string formatMail(const MailMessage& mail)
{
    std::string out;
    out += "From: " + headerValue(mail.from) + "\r\n";
    out += "To: " + headerValue(mail.to) + "\r\n";
    out += "Subject: " + headerValue(mail.subject) + "\r\n";
    out += "Date: " + headerValue(mail.date) + "\r\n";
    out += "Message-ID: <" + headerValue(mail.messageId) + ">\r\n";
    out += "MIME-Version: 1.0\r\n";
    out += "Content-Type: text/plain; charset=utf-8\r\n";
    out += "Content-Transfer-Encoding: 8bit\r\n\r\n";
    // RFC 5322 §2.3: lines end in CRLF; a bare LF or CR becomes CRLF.
    for (std::size_t i = 0; i < mail.body.size(); ++i) {
        const char c = mail.body[i];
        if (c == '\r') {
            if (i + 1 < mail.body.size() && mail.body[i + 1] == '\n') {
                ++i;
            }
            out += "\r\n";
        } else if (c == '\n') {
            out += "\r\n";
        } else {
            out += c;
        }
    }
    if (!out.ends_with("\r\n")) {
        out += "\r\n";
    }
    return out;
}

} // namespace retour::central
