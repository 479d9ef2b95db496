-- Staff search matches order numbers by prefix (LIKE 'SO-12%'). The unique
-- index's collation-aware ordering cannot serve LIKE; text_pattern_ops can,
-- so a rare prefix is an index range instead of a walk over every order.
CREATE INDEX IF NOT EXISTS orders_number_prefix_idx ON orders (order_number text_pattern_ops);
