-- "Has a current outcome on D" (the accounts list filter and the metrics) reads only these
-- columns: covering indexes let SQLite answer it from the index, without visiting table rows.
-- Counting walks the outcomes still current on D (by expiry); a page checks accounts one by one.
CREATE INDEX outcomes_current_on ON outcomes (expires_on, valid_from, retired_on, account_id);
CREATE INDEX outcomes_account_coverage ON outcomes (account_id, expires_on, valid_from, retired_on);
DROP INDEX outcomes_expires;
