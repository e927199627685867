#pragma once

#include <string>
#include <utility>
#include <vector>

namespace retour::test {

// Validate real messages against docs/asyncapi.yaml and docs/schemas/*.json with
// tests/support/validate_messages.py (python3-jsonschema, python3-yaml).
struct ContractResult
{
    bool available = false; // python3 and its modules were found (tests GTEST_SKIP otherwise)
    bool valid = false;
    std::string output; // the validator's report: every invalid message with its reason
};
ContractResult validateMessages(const std::vector<std::pair<std::string, std::string>>& topicAndPayload);

} // namespace retour::test
