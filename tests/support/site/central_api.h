#pragma once

#include <gtest/gtest.h>
#include <httplib.h>
#include <nlohmann/json.hpp>
#include <string>

namespace retour::test {

// A staff call (bearer `token`) to central's HTTP API on 127.0.0.1:`port`: GET, or POST of `body`
// as JSON. Returns the answer's body parsed as JSON (discarded when it is not JSON); a request
// that gets no answer, or an answer with another status than `expected`, fails the test.
// Header-only: it reports through gtest, which retour_test_support does not link.
inline nlohmann::json callCentralApi(int port, const std::string& token, const std::string& method,
                                     const std::string& path, const nlohmann::json& body = {},
                                     int expected = 200)
{
    httplib::Client client("127.0.0.1", port);
    client.set_read_timeout(20, 0);
    const httplib::Headers headers{{"Authorization", "Bearer " + token}};
    auto result = method == "GET" ? client.Get(path, headers)
                                  : client.Post(path, headers, body.dump(), "application/json");
    if (!result) {
        ADD_FAILURE() << method << " " << path << ": " << httplib::to_string(result.error());
        return {};
    }
    EXPECT_EQ(result->status, expected) << method << " " << path << ": " << result->body;
    return nlohmann::json::parse(result->body, nullptr, false);
}

} // namespace retour::test
