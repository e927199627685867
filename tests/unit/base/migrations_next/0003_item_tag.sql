-- A comment, and a statement over two lines.
ALTER TABLE item
    ADD COLUMN tag TEXT NOT NULL DEFAULT 'none';
