-- V7: the outbox of events for the host. An event is appended in the unit of work that made it happen
-- (seq: the order of appends) without a place in the order of delivery (pos NULL); a sequencing unit
-- of work places committed events after the last placed one while it holds the row of event_sequencer
-- (its one row, id 1, is inserted by the first sequencing), so places are contiguous and never appear
-- behind a reader's cursor. event_cursors keeps, per
-- consumer, the place of the last event it handled.

CREATE TABLE IF NOT EXISTS events (
    seq         BIGINT GENERATED ALWAYS AS IDENTITY,
    id          VARCHAR(255)  NOT NULL,
    pos         BIGINT,
    event_type  VARCHAR(64)   NOT NULL,
    namespace   VARCHAR(255)  NOT NULL,
    subject     VARCHAR(255)  NOT NULL,
    occurred_at TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    attributes  CHARACTER LARGE OBJECT NOT NULL,
    CONSTRAINT events_pk PRIMARY KEY (seq),
    CONSTRAINT events_id_uk UNIQUE (id),
    CONSTRAINT events_pos_uk UNIQUE (pos)
);

CREATE INDEX IF NOT EXISTS events_namespace_pos_ix ON events (namespace, pos);

CREATE TABLE IF NOT EXISTS event_sequencer (
    id            INT    NOT NULL,
    last_position BIGINT NOT NULL,
    CONSTRAINT event_sequencer_pk PRIMARY KEY (id)
);

CREATE TABLE IF NOT EXISTS event_cursors (
    consumer VARCHAR(255) NOT NULL,
    pos      BIGINT       NOT NULL,
    CONSTRAINT event_cursors_pk PRIMARY KEY (consumer)
);
