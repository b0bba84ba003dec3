-- "Current on D" reads only these columns: covering indexes let SQLite answer it from an index,
-- without visiting table rows. By account: the accounts list checks (and counts) accounts one by
-- one; by expiry: the outcomes API and later metrics walk the outcomes still running on D.
CREATE INDEX outcomes_current_on ON outcomes (expires_on, valid_from, retired_on, account_id);
CREATE INDEX outcomes_account_coverage ON outcomes (account_id, expires_on, valid_from, retired_on);
DROP INDEX outcomes_expires;
