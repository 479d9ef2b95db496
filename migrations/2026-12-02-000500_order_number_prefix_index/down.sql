DROP INDEX IF EXISTS orders_number_prefix_idx;
