-- The method's progress per map, so the maps list shows it without loading documents.
--
-- Bit i is set when the map's document passes step i+1 of the method (objectives,
-- personas, touchpoints, pains and emotions, journey; see shared/src/method.rs),
-- as of its last written edit. Validation (step 6) is not stored: the list reads it
-- from review_rounds and datasets. Null until the map is first assessed (maps made
-- before this migration are assessed at startup).
alter table maps add column method_steps bigint;
