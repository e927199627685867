#pragma once

#include "desk/desk.h"

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace retour::central {

// One HTTP request as the API sees it (the transport's types stay in http_server.cpp).
struct ApiRequest
{
    std::string method;
    std::string path; // without the query
    std::map<std::string, std::string> query;
    std::string authorization; // the Authorization header
    std::string body;
};

struct ApiResponse
{
    int status = 200;
    std::string contentType = "application/json";
    std::string body;
};

// The HTTP JSON API of docs/openapi.yaml over the returns desk: routes, input checks (a 4xx
// JSON {"error": {"status", "message"}} whose message names the field), authentication (staff
// endpoints: "Authorization: Bearer <token>"; portal endpoints: the order number and e-mail, or the
// return number and e-mail) and the JSON of returns. No sockets: http_server.cpp feeds it.
//
// Thread contract: thread-bound (the central loop: the Desk's thread).
class Api
{
public:
    // label: the PNG of a return's label (renderLabelPng in the service).
    using LabelFn = std::function<Result<std::string>(const Return&)>;

    Api(Desk& desk, std::string token, std::string site, LabelFn label)
        : desk_(desk), token_(std::move(token)), site_(std::move(site)), label_(std::move(label))
    {}

    ApiResponse handle(const ApiRequest& request);

    // Further staff routes served by other parts of the service (refunds, stock, reports): asked,
    // after authentication, for a path none of the desk's routes takes; nothing: 404.
    using ExtraRoutes =
        std::function<std::optional<ApiResponse>(const ApiRequest&, const std::vector<std::string>& parts)>;
    void setExtraRoutes(ExtraRoutes extra) { extra_ = std::move(extra); }

private:
    ApiResponse staff(const ApiRequest& request, const std::vector<std::string>& parts);
    ApiResponse portal(const ApiRequest& request, const std::vector<std::string>& parts);

    Desk& desk_;
    std::string token_;
    std::string site_;
    LabelFn label_;
    ExtraRoutes extra_;
};

// The label PNG: a Code 128 of the label barcode value and a QR code of the same, with the return
// number and site written under them. Reentrant.
Result<std::string> renderLabelPng(const Return& ret, std::string_view site);

} // namespace retour::central
