#pragma once

#include "app/source_error.h"

#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace retour::central {

// A customer message template (config/central/templates/<stage>.txt): the first line is
// "Subject: …", then an empty line, then the body. Placeholders are {name} (letters, digits,
// '_'); a placeholder the stage does not know is refused at load with FILE:LINE:COL.
struct MessageTemplate
{
    std::string stage;
    std::string file;
    std::string subject;
    std::string body;
};

// The stages a return's customer hears about, in order: requested, authorised, received,
// inspected, refunded.
const std::vector<std::string>& messageStages();
// The placeholders every template may use.
const std::vector<std::string>& messagePlaceholders();

// Parse one template's text (file names it in errors). Pure.
SourceResult<MessageTemplate> parseTemplate(std::string_view stage, std::string_view file,
                                            std::string_view text);
// Every stage's template from `directory`/<stage>.txt; a missing file is an error naming it.
SourceResult<std::vector<MessageTemplate>> loadTemplates(const std::filesystem::path& directory);

// Replace every {name} by its value ("" when absent from `values`). Pure.
std::string fill(std::string_view text, const std::map<std::string, std::string>& values);

struct MailMessage
{
    std::string from, to, subject, body;
    std::string messageId; // without <>
    std::string date;      // RFC 5322 date-time
};
// RFC 5322 text with CRLF line ends, UTF-8 plain text (8bit); CR and LF are removed from header
// values so a placeholder cannot add headers. Pure.
std::string formatMail(const MailMessage& mail);

} // namespace retour::central
