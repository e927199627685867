-- Every event up to sent_through was accepted by the broker (Outbox::markSent; reporting only).
ALTER TABLE outbox_meta ADD COLUMN sent_through INTEGER NOT NULL DEFAULT 0;
