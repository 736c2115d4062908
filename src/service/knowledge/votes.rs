//! "Was this helpful": a logged-in customer has one vote per article (a
//! second vote changes the first); a reader who is not logged in may vote
//! too, limited per address (the rate limiter, timed by the Clock): a few
//! votes an hour, and one per article a day.

use jiff::{SignedDuration, Timestamp};

use super::Reader;
use crate::{
    auth::{
        principal::RequestMeta,
        rate_limit::{self, RateLimiter, Rule},
    },
    db::Db,
    domain::time::stamp,
    error::{AppError, Result},
    store::knowledge::{articles, votes},
};

/// Votes from one address without a login, on any articles.
pub const ANONYMOUS_VOTES_PER_IP: Rule = Rule {
    name: "kb-vote-ip",
    max: 20,
    per: SignedDuration::from_hours(1),
};
/// Votes from one address without a login on one article.
pub const ANONYMOUS_VOTES_PER_IP_ARTICLE: Rule = Rule {
    name: "kb-vote-ip-article",
    max: 1,
    per: SignedDuration::from_hours(24),
};

/// The counts after a vote, and the voter's own vote when logged in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tally {
    pub helpful_yes: i64,
    pub helpful_no: i64,
    pub my_vote: Option<bool>,
}

/// Record that the article was (or was not) helpful to this reader. An
/// article the reader may not see is a 404; staff do not vote.
pub fn vote(
    db: &Db,
    limiter: &RateLimiter,
    reader: Reader,
    article_id: i64,
    helpful: bool,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<Tally> {
    db.read(|c| {
        articles::find_shown(c, article_id, reader.logged_in())?
            .map(|_| ())
            .ok_or(AppError::NotFound)
    })?;
    if reader == Reader::Staff {
        return Err(AppError::Forbidden);
    }
    if reader == Reader::Anonymous {
        let ip = rate_limit::client_key(meta.ip.as_deref());
        let per_article = format!("{ip}|{article_id}");
        limiter.check(ANONYMOUS_VOTES_PER_IP, &ip, now)?;
        limiter.check(ANONYMOUS_VOTES_PER_IP_ARTICLE, &per_article, now)?;
        limiter.hit(ANONYMOUS_VOTES_PER_IP, &ip, now)?;
        limiter.hit(ANONYMOUS_VOTES_PER_IP_ARTICLE, &per_article, now)?;
    }
    db.write(|tx| {
        let at = stamp(now);
        let my_vote = match reader {
            Reader::User(user) => {
                votes::set_for_user(tx, article_id, user, helpful, &at)?;
                Some(helpful)
            }
            _ => {
                votes::add_anonymous(tx, article_id, helpful, &at)?;
                None
            }
        };
        let article = articles::find(tx, article_id)?.ok_or(AppError::NotFound)?;
        Ok(Tally {
            helpful_yes: article.helpful_yes,
            helpful_no: article.helpful_no,
            my_vote,
        })
    })
}
