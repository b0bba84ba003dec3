-- The day a cohort started (a pilot's own start date): its report runs from that day.
ALTER TABLE cohorts ADD COLUMN started_on TEXT CHECK (started_on IS NULL OR date(started_on) = started_on);
