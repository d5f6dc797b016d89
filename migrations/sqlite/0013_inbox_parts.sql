-- An inbox item's line as its form and values (JSON `{"form": "mention", "values":
-- {"author": …, "map": …, "quote": …}}`, see shared/src/api/comments.rs INBOX_FORMS),
-- so the web app words it in the language it shows. `text` keeps the English line;
-- items from before this migration have no parts and are shown by their text.
alter table inbox add column parts text;
