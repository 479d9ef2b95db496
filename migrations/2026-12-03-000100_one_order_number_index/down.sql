CREATE INDEX orders_number_prefix_idx ON orders (order_number text_pattern_ops);
ALTER TABLE orders ADD CONSTRAINT orders_order_number_key UNIQUE (order_number);
DROP INDEX orders_order_number_idx;
