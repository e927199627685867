#pragma once

#include "workflow/rma.h"

namespace retour::station::testing {

// RMAs shared by the identification, workflow and store tests. GTINs carry valid check digits.
inline Rma portalRma()
{
    Rma rma;
    rma.rmaId = "RMA-000101";
    rma.site = "demo-site";
    rma.channel = "portal";
    rma.state = "authorised";
    rma.orderId = "SO-10001";
    rma.customer = "Ada Lovelace";
    rma.tracking = "1Z999AA10123456784";
    rma.labelBarcode = "RMA-000101";
    RmaLine line;
    line.lineId = "1";
    line.sku = "HEAD-BT-200";
    line.gtin = "4006381333931";
    line.description = "Bluetooth headphones BT-200";
    line.category = "electronics";
    line.unitPrice = 129.9;
    line.expectedWeightG = 512;
    line.serials = {"SN-BT200-0001"};
    line.reason = "does_not_fit";
    rma.lines.push_back(line);
    return rma;
}

inline Rma preprintedRma()
{
    Rma rma;
    rma.rmaId = "RMA-000102";
    rma.site = "demo-site";
    rma.state = "authorised";
    rma.channel = "preprinted";
    rma.orderId = "SO-10002";
    rma.labelBarcode = "PP-7700001";
    RmaLine line;
    line.lineId = "1";
    line.sku = "TSHIRT-M-BLUE";
    line.gtin = "96385074";
    line.description = "T-shirt blue M";
    line.category = "apparel";
    line.unitPrice = 19.9;
    line.expectedWeightG = 180;
    line.reason = "too_small";
    rma.lines.push_back(line);
    return rma;
}

// Two lines: a shoe pair and a belt.
inline Rma multiLineRma()
{
    Rma rma;
    rma.rmaId = "RMA-000103";
    rma.site = "demo-site";
    rma.state = "authorised";
    rma.channel = "customer_service";
    rma.orderId = "SO-10003";
    rma.labelBarcode = "RMA-000103";
    RmaLine shoes;
    shoes.lineId = "1";
    shoes.sku = "SHOE-42";
    shoes.gtin = "036000291452";
    shoes.description = "Running shoes 42";
    shoes.category = "apparel";
    shoes.unitPrice = 89.0;
    shoes.expectedWeightG = 900;
    RmaLine belt;
    belt.lineId = "2";
    belt.sku = "BELT-L";
    belt.gtin = "10614141000415";
    belt.description = "Leather belt L";
    belt.category = "generic";
    belt.unitPrice = 29.0;
    belt.expectedWeightG = 250;
    rma.lines = {shoes, belt};
    return rma;
}

inline Rma tradeInRma()
{
    Rma rma;
    rma.rmaId = "RMA-000104";
    rma.site = "demo-site";
    rma.state = "authorised";
    rma.channel = "tradein";
    rma.orderId = "TI-20001";
    rma.labelBarcode = "RMA-000104";
    rma.tradeInValue = 80.0;
    RmaLine line;
    line.lineId = "1";
    line.sku = "PHONE-X1";
    line.gtin = "5901234123457";
    line.description = "Phone X1 64 GB";
    line.category = "electronics";
    line.unitPrice = 299.0;
    line.expectedWeightG = 400;
    line.reason = "trade_in";
    rma.lines.push_back(line);
    return rma;
}

inline MemoryRmaDirectory demoDirectory()
{
    MemoryRmaDirectory directory;
    directory.put(portalRma());
    directory.put(preprintedRma());
    directory.put(multiLineRma());
    directory.put(tradeInRma());
    return directory;
}

// A valid GTIN in none of the RMAs above.
inline constexpr const char* kUnannouncedGtin = "4012345678901";

} // namespace retour::station::testing
