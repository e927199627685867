// Store operations on label jobs beyond the first print: reprints (CMD:REPRINT).
#include "store/store.h"

namespace retour::station {

Result<void> Store::addReprint(const LabelRecord& label, const std::string& originalJobId,
                               const std::string& actor)
{
    auto tx = base::sqlite::Transaction::begin(db_);
    if (!tx) {
        return std::unexpected(databaseError(db_.error("begin (reprint)")));
    }
    auto job =
        db_.prepare("INSERT INTO label (job_id, inspection_id, lpn, zpl, created_at) VALUES (?, ?, ?, ?, ?)");
    if (!job) {
        return std::unexpected(databaseError(job.error()));
    }
    job->bind(1, label.jobId)
        .bind(2, label.inspectionId)
        .bind(3, label.lpn)
        .bind(4, label.zpl)
        .bind(5, nowTimestamp());
    if (!job->run()) {
        return std::unexpected(databaseError(db_.error("insert reprint job " + label.jobId)));
    }
    if (auto ok = audit(actor, "label.reprinted", label.inspectionId,
                        {{"lpn", label.lpn}, {"job_id", label.jobId}, {"original_job_id", originalJobId}});
        !ok) {
        return ok;
    }
    return commit(*tx);
}

} // namespace retour::station
