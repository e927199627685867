// Store operations on label jobs beyond the first print: reprints (CMD:REPRINT).
#include "store/sqlite_util.h"
#include "store/store.h"

namespace retour::station {

using sql::dbError;
using sql::Statement;
using sql::Transaction;

Result<void> Store::addReprint(const LabelRecord& label, const std::string& originalJobId,
                               const std::string& actor)
{
    Transaction tx(db_, false);
    if (!tx.active()) {
        return std::unexpected(dbError(db_, "begin (reprint)"));
    }
    Statement job(db_,
                  "INSERT INTO label (job_id, inspection_id, lpn, zpl, created_at) VALUES (?, ?, ?, ?, ?)");
    job.bind(1, label.jobId)
        .bind(2, label.inspectionId)
        .bind(3, label.lpn)
        .bind(4, label.zpl)
        .bind(5, nowTimestamp());
    if (!job.run()) {
        return std::unexpected(dbError(db_, "insert reprint job " + label.jobId));
    }
    if (auto ok = audit(actor, "label.reprinted", label.inspectionId,
                        {{"lpn", label.lpn}, {"job_id", label.jobId}, {"original_job_id", originalJobId}});
        !ok) {
        return ok;
    }
    return tx.commit();
}

} // namespace retour::station
