-- Async comment rounds: threads anchored on map elements, their comments and
-- mentions, review rounds with their reviewers, and each account's inbox.
--
-- Comments are relational data, not part of the map's Yrs document: the server owns
-- authorship and permissions. A thread whose element is deleted from the document is
-- kept (shown as detached), so nothing here points into the document by foreign key.

-- A conversation anchored on one element of a map, or on the map as a whole.
create table threads (
    seq         bigserial primary key, -- creation order (ids are random)
    id          text not null unique,      -- 16 random [a-z0-9] chars
    map_id      text not null,
    anchor_kind text not null,             -- card | stage | lane | cell | map
    anchor_id   text,                      -- element id; cell: 'stage_id|lane_id'; map: null
    round_id    text,                      -- the review round it was opened for, if any
    created_by  text not null,
    created_at  bigint not null,           -- ms since epoch
    resolved_at bigint,                    -- null while open
    resolved_by text
);
create index threads_by_map on threads (map_id, seq);

-- One message of a thread. A deleted comment keeps its row (and its place in the
-- thread) with an empty body.
create table comments (
    seq        bigserial primary key, -- order within a thread
    id         text not null unique,
    thread_id  text not null,
    map_id     text not null,
    author_id  text not null,
    body       text not null,
    created_at bigint not null,
    edited_at  bigint,
    deleted_at bigint
);
create index comments_by_thread on comments (thread_id, seq);
create index comments_by_map on comments (map_id);

-- Members a comment mentions (`@name`); non-members are never stored.
create table comment_mentions (
    comment_id text not null,
    user_id    text not null,
    primary key (comment_id, user_id)
);

-- A review round: reviewers are asked to review the map by a due date.
create table review_rounds (
    id           text primary key,
    map_id       text not null,
    title        text not null,
    instructions text not null,
    due_at       bigint not null,
    opened_by    text not null,
    opened_at    bigint not null,
    closed_at    bigint,                   -- null while open
    closed_by    text,                     -- null on a closed round: auto-closed at due_at
    start_state  bytea not null            -- Yrs update v1 of the document at opening
);
create index review_rounds_by_map on review_rounds (map_id, opened_at);
create index review_rounds_open on review_rounds (closed_at, due_at);

-- Who is asked to review a round, and their verdict once done.
create table round_reviewers (
    round_id    text not null,
    user_id     text not null,
    done_at     bigint,
    verdict     text,                      -- approve | changes_requested
    summary     text,
    reminded_at bigint,                    -- when the 'due soon' reminder went out (once)
    primary key (round_id, user_id)
);
create index round_reviewers_by_user on round_reviewers (user_id);

-- What each account is told: mentions, replies, review requests, reminders, closings.
create table inbox (
    id         bigserial primary key,
    user_id    text not null,
    map_id     text not null,
    kind       text not null,              -- mention | reply | review_request | round_due_soon | round_closed
    ref_thread text,
    ref_round  text,
    text       text not null,
    created_at bigint not null,
    read_at    bigint                      -- null while unread
);
create index inbox_by_user on inbox (user_id, id);
create index inbox_by_map on inbox (map_id);
