-- Events are pruned as a prefix of their ids (`OrderEvent::prune`), never by a
-- range of `created_at`: that is the writer's transaction time, not the order
-- the sequencer numbered them in, so pruning by it could leave a hole in the
-- ids that a resuming client (`pruned_after`: the oldest id kept) cannot see.
-- The prune now walks the primary key, and this index, two entries for every
-- status change, has no reader left.
DROP INDEX order_events_created_idx;
