#include "rules/checklist.h"

#include "config/toml_source.h"
#include "workflow/operator_input.h"

#include <algorithm>

namespace retour::station {

namespace {

constexpr ErrorCode kCode = ErrorCode::Rules;

Result<std::vector<std::string>> reasons(const toml::table& root, std::string_view key,
                                         const std::filesystem::path& file)
{
    auto values = located(kCode, base::TomlReader(file).optStringArray(root, key, "the checklists file"));
    if (!values) {
        return std::unexpected(values.error());
    }
    std::vector<std::string> out = values->value_or(std::vector<std::string>{});
    for (std::size_t i = 0; i < out.size(); ++i) {
        if (!validToken(out[i])) {
            return std::unexpected(
                located(kCode, base::TomlReader(file).at(root.get(key)->as_array()->get(i)->source(),
                                                         "reason code \"" + out[i] +
                                                             "\" must be 1-40 characters of a-z 0-9 _ -")));
        }
    }
    return out;
}

Result<Checklists> build(const toml::table& root, const std::filesystem::path& file)
{
    Checklists lists;
    lists.file = file;
    if (auto ok = located(
            kCode, base::TomlReader(file).unknownKey(
                       root, {"override_reasons", "skip_photo_reasons", "question"}, "the checklists file"));
        !ok) {
        return std::unexpected(ok.error());
    }
    auto overrideReasons = reasons(root, "override_reasons", file);
    if (!overrideReasons) {
        return std::unexpected(overrideReasons.error());
    }
    lists.overrideReasons = std::move(*overrideReasons);
    auto skipReasons = reasons(root, "skip_photo_reasons", file);
    if (!skipReasons) {
        return std::unexpected(skipReasons.error());
    }
    lists.skipPhotoReasons = std::move(*skipReasons);

    const toml::node* node = root.get("question");
    if (node == nullptr) {
        return lists;
    }
    const toml::array* array = node->as_array();
    if (array == nullptr) {
        return std::unexpected(
            located(kCode, base::TomlReader(file).at(node->source(),
                                                     "question must be an array of tables ([[question]])")));
    }
    for (const auto& element : *array) {
        const toml::table* table = element.as_table();
        if (table == nullptr) {
            return std::unexpected(
                located(kCode, base::TomlReader(file).at(element.source(), "[[question]] must be a table")));
        }
        if (auto ok =
                located(kCode, base::TomlReader(file).unknownKey(
                                   *table, {"category", "id", "text", "required", "finding_if", "finding"},
                                   "[[question]]"));
            !ok) {
            return std::unexpected(ok.error());
        }
        ChecklistQuestion question;
        question.line = static_cast<int>(table->source().begin.line);
        for (auto [key, target] :
             {std::pair{"category", &question.category}, std::pair{"id", &question.id},
              std::pair{"text", &question.text}, std::pair{"finding_if", &question.findingIf},
              std::pair{"finding", &question.finding}}) {
            auto value = located(kCode, base::TomlReader(file).optString(*table, key, "[[question]]"));
            if (!value) {
                return std::unexpected(value.error());
            }
            *target = value->value_or("");
        }
        if (const toml::node* required = table->get("required")) {
            if (!required->is_boolean()) {
                return std::unexpected(located(
                    kCode, base::TomlReader(file).at(required->source(), "required must be true or false")));
            }
            question.required = required->value_or(false);
        }
        if (!validToken(question.id) || !validToken(question.category) || question.text.empty()) {
            return std::unexpected(located(
                kCode,
                base::TomlReader(file).at(
                    table->source(),
                    "[[question]] needs category and id (1-40 characters of a-z 0-9 _ -) and a text")));
        }
        if (question.findingIf != "" && question.findingIf != "yes" && question.findingIf != "no") {
            return std::unexpected(
                located(kCode, base::TomlReader(file).at(table->get("finding_if")->source(),
                                                         "finding_if must be \"yes\" or \"no\"")));
        }
        if (question.findingIf.empty() != question.finding.empty() ||
            (!question.finding.empty() && !validToken(question.finding))) {
            return std::unexpected(located(
                kCode, base::TomlReader(file).at(table->source(),
                                                 "finding_if and finding go together; finding is a code "
                                                 "of a-z 0-9 _ -")));
        }
        if (lists.find(question.category, question.id) != nullptr &&
            lists.find(question.category, question.id)->category == question.category) {
            return std::unexpected(located(
                kCode, base::TomlReader(file).at(table->source(), "question \"" + question.id +
                                                                      "\" appears twice in category " +
                                                                      question.category)));
        }
        lists.questions.push_back(std::move(question));
    }
    return lists;
}

} // namespace

std::vector<const ChecklistQuestion*> Checklists::forCategory(std::string_view category) const
{
    std::vector<const ChecklistQuestion*> out;
    for (const auto& q : questions) {
        if (q.category == category) {
            out.push_back(&q);
        }
    }
    if (out.empty() && category != "generic") {
        return forCategory("generic");
    }
    return out;
}

const ChecklistQuestion* Checklists::find(std::string_view category, std::string_view id) const
{
    for (const auto* q : forCategory(category)) {
        if (q->id == id) {
            return q;
        }
    }
    return nullptr;
}

Result<Checklists> parseChecklists(std::string_view text, const std::filesystem::path& file)
{
    auto root = located(kCode, base::TomlReader(file).parseText(text));
    if (!root) {
        return std::unexpected(root.error());
    }
    return build(*root, file);
}

Result<Checklists> loadChecklists(const std::filesystem::path& file)
{
    auto root = located(kCode, base::TomlReader(file).parse());
    if (!root) {
        return std::unexpected(root.error());
    }
    return build(*root, file);
}

} // namespace retour::station
