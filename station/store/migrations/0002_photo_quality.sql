-- Photo quality gate: scores and the retake reason of each photo (vision/include/retour/vision/
-- photo_quality.h).
ALTER TABLE photo ADD COLUMN focus REAL;
ALTER TABLE photo ADD COLUMN clipped REAL;
ALTER TABLE photo ADD COLUMN crushed REAL;
ALTER TABLE photo ADD COLUMN frame_change REAL;
ALTER TABLE photo ADD COLUMN retake_reason TEXT;
