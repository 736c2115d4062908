-- The knowledgebase and news (issue 15).
--
-- Categories nest one level: a category's parent is a top-level category
-- (the service checks it; the schema only keeps the reference). What a
-- reader may see is the article's visibility and its categories': an
-- article is for logged-in readers when it, its category or that
-- category's parent says `logged_in`.

CREATE TABLE kb_categories (
    id          INTEGER PRIMARY KEY,
    parent_id   INTEGER REFERENCES kb_categories (id),
    name        TEXT NOT NULL,
    -- Lower case letters, digits and hyphens; never all digits, so a path
    -- segment is an id or a slug, never both.
    slug        TEXT NOT NULL UNIQUE,
    -- Markdown, rendered and sanitized like an article's body.
    description TEXT NOT NULL DEFAULT '',
    sort_order  INTEGER NOT NULL DEFAULT 0,
    visibility  TEXT NOT NULL DEFAULT 'public'
                CHECK (visibility IN ('public', 'logged_in')),
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
) STRICT;
CREATE INDEX kb_categories_by_parent ON kb_categories (parent_id, sort_order);

CREATE TABLE kb_articles (
    id          INTEGER PRIMARY KEY,
    category_id INTEGER NOT NULL REFERENCES kb_categories (id),
    title       TEXT NOT NULL,
    -- Markdown as staff wrote it; rendered and sanitized when shown.
    body        TEXT NOT NULL,
    sort_order  INTEGER NOT NULL DEFAULT 0,
    visibility  TEXT NOT NULL DEFAULT 'public'
                CHECK (visibility IN ('public', 'logged_in')),
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
) STRICT;
CREATE INDEX kb_articles_by_category ON kb_articles (category_id, sort_order);

-- Full-text search over titles and bodies, kept by triggers (an external
-- content table: the text lives once, in kb_articles).
CREATE VIRTUAL TABLE kb_articles_fts USING fts5 (
    title, body,
    content = 'kb_articles', content_rowid = 'id',
    tokenize = 'porter unicode61 remove_diacritics 2'
);
CREATE TRIGGER kb_articles_fts_insert AFTER INSERT ON kb_articles BEGIN
    INSERT INTO kb_articles_fts (rowid, title, body) VALUES (new.id, new.title, new.body);
END;
CREATE TRIGGER kb_articles_fts_delete AFTER DELETE ON kb_articles BEGIN
    INSERT INTO kb_articles_fts (kb_articles_fts, rowid, title, body)
    VALUES ('delete', old.id, old.title, old.body);
END;
CREATE TRIGGER kb_articles_fts_update AFTER UPDATE OF title, body ON kb_articles BEGIN
    INSERT INTO kb_articles_fts (kb_articles_fts, rowid, title, body)
    VALUES ('delete', old.id, old.title, old.body);
    INSERT INTO kb_articles_fts (rowid, title, body) VALUES (new.id, new.title, new.body);
END;

-- "Was this helpful": one row per vote. A logged-in user has one vote per
-- article (changing it rewrites the row); anonymous votes have no user
-- and are limited per address by the rate limiter.
CREATE TABLE kb_votes (
    id          INTEGER PRIMARY KEY,
    article_id  INTEGER NOT NULL REFERENCES kb_articles (id) ON DELETE CASCADE,
    -- A removed login keeps its vote, as an anonymous one.
    user_id     INTEGER REFERENCES users (id) ON DELETE SET NULL,
    helpful     INTEGER NOT NULL CHECK (helpful IN (0, 1)),
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX kb_votes_one_per_user ON kb_votes (article_id, user_id)
    WHERE user_id IS NOT NULL;

-- Announcements. A `published_at` in the future is scheduled: nobody but
-- staff sees it until then (by the app's clock).
CREATE TABLE news_items (
    id           INTEGER PRIMARY KEY,
    title        TEXT NOT NULL,
    -- Markdown, rendered and sanitized when shown.
    body         TEXT NOT NULL,
    published_at TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
) STRICT;
CREATE INDEX news_items_by_published ON news_items (published_at, id);
