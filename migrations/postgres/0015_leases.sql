-- Named leases held by one replica at a time (the Discord gateway, the clocks, the sweeps): the holder
-- renews before `expires_at`; once it has passed, another replica may take the lease.
CREATE TABLE leases (
    name       TEXT PRIMARY KEY,
    holder     TEXT NOT NULL,
    expires_at BIGINT NOT NULL
);
