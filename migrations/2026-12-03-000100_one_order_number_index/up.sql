-- One index on order_number, not two. A text_pattern_ops b-tree serves
-- equality (its = is text's =), uniqueness (ON CONFLICT infers it) and prefix
-- search alike, so the collation-ordered UNIQUE constraint beside it was a
-- second b-tree to write for every order. Built before the constraint is
-- dropped, so uniqueness never lapses.
CREATE UNIQUE INDEX orders_order_number_idx ON orders (order_number text_pattern_ops);
ALTER TABLE orders DROP CONSTRAINT orders_order_number_key;
DROP INDEX orders_number_prefix_idx;
