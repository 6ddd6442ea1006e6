-- A replay is told from a conflict by comparing payloads in the database
-- (jsonb equality: the same values under any key order), not by a sha256 of
-- each payload's key-sorted JSON kept beside it. Ingest no longer serialises
-- and hashes every event twice over for the rare replay
-- (createEventStore.insertEvents), and each row is 64 characters shorter.
--
-- jsonb compares numbers by value, so 1.0 and 1 are the same payload, as they
-- were under the hash (both parsed to the same JavaScript number). Dropping a
-- column only changes the catalogue; existing rows are not rewritten.
ALTER TABLE events DROP COLUMN payload_hash;
