// Customer confirmations queued from the ledger's audit rows (see messages.h).
#include "notify/messages.h"

#include "ledger/try.h"
#include "retour/contract/message.h"

#include <chrono>
#include <ctime>
#include <spdlog/spdlog.h>

namespace retour::central {

namespace {

std::string money(std::int64_t cents)
{
    const std::int64_t part = cents % 100;
    return std::to_string(cents / 100) + "." + (part < 10 ? "0" : "") + std::to_string(part);
}

// RFC 5322 §3.3 date-time in UTC.
std::string mailDate(std::chrono::system_clock::time_point t)
{
    const std::time_t seconds = std::chrono::system_clock::to_time_t(t);
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char buffer[64];
    std::strftime(buffer, sizeof buffer, "%a, %d %b %Y %H:%M:%S +0000", &utc);
    return buffer;
}

} // namespace

std::string_view stageOf(std::string_view state)
{
    if (state == "requested" || state == "authorised" || state == "received" || state == "inspected") {
        return state;
    }
    if (state == "refunded" || state == "partially_refunded") {
        return "refunded";
    }
    return "";
}

Messages::Messages(MessagesConfig config, std::vector<MessageTemplate> templates, std::string site,
                   Storage& storage)
    : config_(std::move(config)), templates_(std::move(templates)), site_(std::move(site)), storage_(storage)
{}

Result<std::int64_t> Messages::catchUp(std::string_view now)
{
    CENTRAL_TRY_ASSIGN(changes, storage_.ledger().changesAfter(watermark_, 500));
    std::vector<std::pair<std::string, std::string>> due;
    std::int64_t highest = watermark_;
    for (const LedgerChange& change : changes) {
        highest = change.position;
        const std::string_view stage = stageOf(change.to);
        if (!stage.empty()) {
            due.emplace_back(change.rmaId, std::string(stage));
        }
    }
    std::int64_t queued = 0;
    for (const auto& [rmaId, stage] : due) {
        CENTRAL_TRY_ASSIGN(sent, queue(rmaId, stage, now));
        queued += sent ? 1 : 0;
    }
    watermark_ = highest;
    return queued;
}

Result<std::map<std::string, std::string>> Messages::values(const Return& ret, const std::string& stage)
{
    std::map<std::string, std::string> v{{"rma_id", ret.rmaId},
                                         {"channel", ret.channel},
                                         {"state", std::string(toString(ret.state))},
                                         {"order_id", ret.orderId.value_or("")},
                                         {"customer", ret.customer.value_or("")},
                                         {"label_barcode", ret.labelBarcode},
                                         {"site", site_}};
    std::string items;
    for (const ReturnLine& line : ret.lines) {
        items += "- " + std::to_string(line.quantity) + " x " +
                 (line.description.empty() ? line.sku : line.description) + " (" + line.sku + ")\n";
    }
    v["items"] = items;
    if (stage == "inspected" || stage == "refunded") {
        CENTRAL_TRY_ASSIGN(inspections, storage_.ledger().inspections(ret.rmaId));
        std::string result;
        for (const Inspection& inspection : inspections) {
            result += "- " + inspection.description.value_or(inspection.sku.value_or("item")) + ": grade " +
                      inspection.grade + ", " + inspection.dispositionCode + "\n";
        }
        v["result"] = result;
    }
    if (!config_.evidenceUrl.empty()) {
        v["evidence_url"] = fill(config_.evidenceUrl, {{"rma_id", ret.rmaId}});
    }
    CENTRAL_TRY_ASSIGN(refund, storage_.refunds().byRma(ret.rmaId));
    if (refund) {
        v["amount"] = money(refund->amountCents);
        v["currency"] = refund->currency;
    }
    return v;
}

Result<bool> Messages::queue(const std::string& rmaId, const std::string& stage, std::string_view now)
{
    CENTRAL_TRY_ASSIGN(contact, storage_.orders().contact(rmaId));
    CENTRAL_TRY_ASSIGN(ret, storage_.ledger().findReturn(rmaId));
    if (!ret) {
        return false;
    }
    // A return a bench opened from a pre-printed label holds its order's e-mail as the customer.
    const bool customerIsAddress = ret->customer && ret->customer->find('@') != std::string::npos;
    if (!contact && !customerIsAddress) {
        return false;
    }
    const std::string email = contact ? *contact : *ret->customer;
    const MessageTemplate* tmpl = nullptr;
    for (const MessageTemplate& t : templates_) {
        tmpl = t.stage == stage ? &t : tmpl;
    }
    if (tmpl == nullptr) {
        return false;
    }
    CENTRAL_TRY_ASSIGN(v, values(*ret, stage));
    MailMessage mail;
    mail.from = config_.from;
    mail.to = email;
    mail.subject = fill(tmpl->subject, v);
    mail.body = fill(tmpl->body, v);
    mail.messageId = "message-" + rmaId + "-" + stage + "@" + site_ + ".retour";
    mail.date = mailDate(std::chrono::system_clock::now());
    bool added = false;
    CENTRAL_TRY(storage_.transaction([&]() -> Result<void> {
        CENTRAL_TRY_ASSIGN(recorded, storage_.messages().record(CustomerMessage{
                                         rmaId, stage, email, mail.subject, std::string(now)}));
        if (!recorded) {
            return {};
        }
        added = true;
        Delivery delivery;
        delivery.key = "message-" + rmaId + "-" + stage;
        delivery.kind = "message";
        delivery.transport = "smtp";
        delivery.target = config_.smtpUrl;
        delivery.recipient = email;
        delivery.body = formatMail(mail);
        CENTRAL_TRY(storage_.deliveries().enqueue(delivery, now));
        return {};
    }));
    if (added) {
        spdlog::info("message {} for {} queued to {}", stage, rmaId, email);
    }
    return added;
}

} // namespace retour::central
