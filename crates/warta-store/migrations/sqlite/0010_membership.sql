-- The "+" membership: plans an admin sets, each reader's membership (until when, renewing or
-- not, and where it came from), and payments by order id, so a provider's repeated
-- notification is recognised and its amount checked against what was asked.
CREATE TABLE plans (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    price_idr BIGINT NOT NULL,
    period TEXT NOT NULL,
    active BIGINT NOT NULL DEFAULT 1,
    created_at BIGINT NOT NULL
);

CREATE TABLE memberships (
    user_id BIGINT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    plan_id BIGINT REFERENCES plans (id),
    until BIGINT NOT NULL,
    renews BIGINT NOT NULL DEFAULT 1,
    source TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE payments (
    order_id TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    plan_id BIGINT NOT NULL REFERENCES plans (id),
    amount_idr BIGINT NOT NULL,
    provider TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    paid_at BIGINT
);
CREATE INDEX payments_by_user ON payments (user_id, created_at);
