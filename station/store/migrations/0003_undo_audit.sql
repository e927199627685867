-- Undo and the audit trail: a voided inspection keeps its row (and its LPN, never reused) with when
-- and by whom it was voided; its label jobs are marked void (a void job that was not printed yet
-- is retired: printed = 1 with printed_at NULL, so that it never reaches the printer); each audit
-- row may say what a change replaced (before) and what it made (after), as JSON.
ALTER TABLE inspection ADD COLUMN voided_at TEXT;
ALTER TABLE inspection ADD COLUMN voided_by TEXT;
ALTER TABLE label ADD COLUMN void INTEGER NOT NULL DEFAULT 0;
ALTER TABLE audit ADD COLUMN before TEXT;
ALTER TABLE audit ADD COLUMN after TEXT;
