# jq program (jq -r -f demo/report.jq --slurpfile central CENTRAL.json STATION.json):
# One row per item of each parcel (tab-separated): the station's report joined with central's
# state of the return. Input: `retour-station report --json`; $central: `retour-central returns --json`.
def central_state($p):
  [$central[0][] | select((.rma_id == $p.rma_id and $p.rma_id != null)
                          or ((.parcel_ids // []) | index($p.parcel_id)))][0].state // "-";
(["parcel", "identified by", "return", "item", "weight", "grade", "disposition", "location", "label", "central"] | @tsv),
(to_entries[] | .key as $n | .value as $p | ($p.items | if length == 0 then [null] else . end)[] as $i |
  [ ("#" + ($n + 1 | tostring)),
    $p.identified_by,
    ($p.rma_id // (if $p.channel == "preprinted" then "(new " + $p.scanned + ")" else "(unannounced)" end)),
    (if $i then (if ($i.sku // "") != "" then $i.sku else "GTIN " + ($i.gtin // "?") end) else "(no item)" end),
    (if $i then ($i.weight.result + (if $i.weight.measured_g then " " + ($i.weight.measured_g | tostring) + "g" else "" end)) else "-" end),
    (if $i then ($i.grade // "-") else "-" end),
    (if $i then ($i.disposition // "-") else "-" end),
    (if $i then ($i.location // "-") else "-" end),
    (if $i then ((if $i.voided then "voided " elif $i.label_printed then "printed " else "pending " end)
                 + ($i.lpn // "")) else "-" end),
    (central_state($p) + (if $i and $i.acked then " (ack)" else "" end))
  ] | @tsv)
