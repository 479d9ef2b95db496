-- Keyset walks without silent caps.

-- The delay scan and the simulated carrier walk every open parcel oldest
-- first in (created_at, id) batches (`Shipment::unfinished_after`).
CREATE INDEX shipments_open_idx ON shipments (created_at, id)
    WHERE tracking_status NOT IN ('delivered', 'return_to_sender', 'cancelled');

-- GET /admin/carrier-receipts pages each status newest first by (received_at, id).
CREATE INDEX carrier_receipts_status_idx ON carrier_receipts (status, received_at, id);

-- GET /requests pages the open requests oldest first by (created_at, id).
DROP INDEX customer_requests_open_idx;
CREATE INDEX customer_requests_open_idx ON customer_requests (created_at, id) WHERE status = 'open';
