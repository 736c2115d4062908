-- 0011: shopping carts (reference 003): a guest's cart is known by its
-- random id alone; a logged-in user's cart is theirs (a guest cart is
-- claimed when its holder logs in). Checking out turns one into an order.

CREATE TABLE carts (
    id          INTEGER PRIMARY KEY,
    -- 16 random letters and digits: the guest's handle on the cart.
    public_id   TEXT NOT NULL UNIQUE CHECK (length(public_id) = 16),
    user_id     INTEGER REFERENCES users (id) ON DELETE CASCADE,
    -- The account it is priced for and ordered by (set for a user's cart).
    client_id   INTEGER REFERENCES clients (id) ON DELETE CASCADE,
    promo_code  TEXT,
    status      TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'ordered')),
    order_id    INTEGER REFERENCES orders (id),
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
) STRICT;
CREATE INDEX carts_by_user ON carts (user_id, id);
CREATE INDEX carts_by_update ON carts (updated_at);

CREATE TABLE cart_items (
    id         INTEGER PRIMARY KEY,
    cart_id    INTEGER NOT NULL REFERENCES carts (id) ON DELETE CASCADE,
    -- 12 random letters and digits (reference 003 CartItemId).
    item_id    TEXT NOT NULL UNIQUE,
    -- What was asked for (product, cycle, domain, options, addons) as JSON;
    -- priced from the catalog each time the cart is shown.
    request    TEXT NOT NULL,
    created_at TEXT NOT NULL
) STRICT;
CREATE INDEX cart_items_by_cart ON cart_items (cart_id, id);
