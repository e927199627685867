#pragma once

#include "retour/drivers/events.h"

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace retour::drivers::detail {

// What a serial / TCP scale driver needs from one protocol: the commands to send and the meaning
// of the bytes that come back. Implementations wrap the pure parsers (mt_sics.h, sma.h, nci.h).
//
// Thread contract: thread-bound (one per device).
class ScaleProtocol
{
public:
    virtual ~ScaleProtocol() = default;

    // One reply of the scale, as the driver sees it.
    struct Reply
    {
        std::optional<Weight> weight;        // a reading (not yet through the stable policy)
        std::optional<std::string> identity; // serial number or model from the identify command
        std::string problem;                 // why the reply was not a reading ("" when it was)
        bool answer = false;                 // a well-formed reply (even "busy" or "?"): the scale is there
    };

    virtual const char* name() const = 0;            // "MT-SICS"
    virtual std::string identifyCommand() const = 0; // "" when the protocol has none
    virtual std::string pollCommand() const = 0;
    virtual std::string streamCommand() const = 0; // "" when the protocol cannot stream
    virtual std::string zeroCommand() const = 0;

    // Feed received bytes; appends one Reply per complete reply. Garbage gives a Reply with only a
    // problem and answer = false: noise on the line does not prove the scale is there.
    virtual void feed(std::string_view bytes, std::vector<Reply>& out) = 0;
    virtual void reset() = 0;
};

std::unique_ptr<ScaleProtocol> makeMtSicsProtocol();
std::unique_ptr<ScaleProtocol> makeSmaProtocol();
std::unique_ptr<ScaleProtocol> makeNciProtocol();

} // namespace retour::drivers::detail
