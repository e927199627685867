#include "tests/support/contract.h"

#include "tests/support/child_process.h"
#include "tests/support/paths.h"
#include "tests/support/temp_dir.h"

#include <fstream>
#include <nlohmann/json.hpp>
#include <unistd.h>

namespace retour::test {

ContractResult validateMessages(const std::vector<std::pair<std::string, std::string>>& topicAndPayload)
{
    ContractResult result;
    const std::string python = RETOUR_PYTHON3;
    if (python.empty() || ::access(python.c_str(), X_OK) != 0) {
        result.output = "python3 was not found at configure time";
        return result;
    }
    TempDir dir("retour-contract");
    {
        std::ofstream out(dir / "messages.jsonl");
        for (const auto& [topic, payload] : topicAndPayload) {
            out << nlohmann::json{{"topic", topic}, {"payload", payload}}.dump(
                       -1, ' ', false, nlohmann::json::error_handler_t::replace)
                << '\n';
        }
    }
    ChildProcess validator(ChildProcess::Options{
        {python, (sourceDir() / "tests/support/validate_messages.py").string(),
         (sourceDir() / "docs/asyncapi.yaml").string(), (dir / "messages.jsonl").string()},
        dir / "out.txt",
        dir / "out.txt",
        false,
        {}});
    const auto exit = validator.wait(std::chrono::seconds(60));
    result.output = readFile(dir / "out.txt");
    if (!exit) {
        result.available = true;
        result.output += "\n(validator timed out)";
        return result;
    }
    result.available = exit->code != 3;
    result.valid = exit->signal == 0 && exit->code == 0;
    return result;
}

} // namespace retour::test
