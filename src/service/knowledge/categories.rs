//! Knowledgebase categories: the tree and a category's page as readers
//! see them, and staff creating, changing and deleting them. Categories
//! nest one level: a parent must be a top-level category, and a category
//! with subcategories stays top-level.

use jiff::Timestamp;
use rusqlite::Connection;

use super::{
    Reader,
    articles::{ArticleSummary, summary},
    fields::{MAX_DESCRIPTION, MAX_NAME, Problems, audit_staff},
};
use crate::{
    auth::principal::{RequestMeta, StaffPrincipal},
    db::Db,
    domain::{
        knowledge::{slug_problem, slugify},
        markdown::{SafeHtml, render},
        scopes::Scope,
        time::stamp,
    },
    error::{AppError, Result},
    store::knowledge::{
        articles,
        categories::{self, Category, CategoryFields},
    },
};

/// A category as staff send it. An empty slug is made from the name.
#[derive(Debug, Clone, Default)]
pub struct CategoryInput {
    pub parent_id: Option<i64>,
    pub name: String,
    pub slug: String,
    /// Markdown.
    pub description: String,
    pub sort_order: i64,
    /// `public` or `logged_in`.
    pub visibility: String,
}

/// A category with its description rendered; `articles` counts what the
/// reader may see.
#[derive(Debug, Clone)]
pub struct ShownCategory {
    pub category: Category,
    pub description_html: SafeHtml,
    pub children: Vec<ShownCategory>,
}

fn shown(category: Category) -> ShownCategory {
    ShownCategory {
        description_html: render(&category.description),
        category,
        children: Vec::new(),
    }
}

/// The top-level categories a reader may see, each with its subcategories.
pub fn tree(db: &Db, reader: Reader) -> Result<Vec<ShownCategory>> {
    let logged_in = reader.logged_in();
    let (all, counts) = db.read(|c| {
        Ok((
            categories::list_shown(c, logged_in)?,
            articles::counts_shown(c, logged_in)?,
        ))
    })?;
    let count = |id| counts.iter().find(|(c, _)| *c == id).map_or(0, |(_, n)| *n);
    let all: Vec<Category> = all
        .into_iter()
        .map(|mut c| {
            c.articles = count(c.id);
            c
        })
        .collect();
    let mut top: Vec<ShownCategory> = all
        .iter()
        .filter(|c| c.parent_id.is_none())
        .cloned()
        .map(shown)
        .collect();
    for node in &mut top {
        node.children = all
            .iter()
            .filter(|c| c.parent_id == Some(node.category.id))
            .cloned()
            .map(shown)
            .collect();
    }
    Ok(top)
}

/// One category's page: its parent, subcategories and articles.
#[derive(Debug, Clone)]
pub struct CategoryPage {
    pub category: ShownCategory,
    pub parent: Option<Category>,
    pub articles: Vec<ArticleSummary>,
}

/// A category by id or slug, or a 404 when the reader may not see it.
pub fn page(db: &Db, ident: &str, reader: Reader) -> Result<CategoryPage> {
    let logged_in = reader.logged_in();
    let ident = ident.trim().to_string();
    db.read(|c| {
        let category = categories::find_shown(c, &ident, logged_in)?.ok_or(AppError::NotFound)?;
        let parent = match category.parent_id {
            Some(p) => categories::find(c, p)?,
            None => None,
        };
        let children = categories::list_shown(c, logged_in)?
            .into_iter()
            .filter(|k| k.parent_id == Some(category.id))
            .map(shown)
            .collect();
        let articles: Vec<ArticleSummary> = articles::in_category(c, category.id, logged_in)?
            .iter()
            .map(summary)
            .collect();
        let mut category = shown(category);
        category.category.articles = articles.len() as i64;
        category.children = children;
        Ok(CategoryPage {
            category,
            parent,
            articles,
        })
    })
}

/// Every category (staff, `support:read`).
pub fn list_all(db: &Db, staff: &StaffPrincipal) -> Result<Vec<Category>> {
    staff.require(Scope::SupportRead)?;
    db.read(|c| Ok(categories::list_all(c)?))
}

pub fn get(db: &Db, staff: &StaffPrincipal, id: i64) -> Result<Category> {
    staff.require(Scope::SupportRead)?;
    db.read(|c| categories::find(c, id)?.ok_or(AppError::NotFound))
}

/// The checked fields of `input` for category `id` (0 for a new one).
fn checked(tx: &Connection, id: i64, input: &CategoryInput) -> Result<(String, String, String)> {
    let mut p = Problems::default();
    let name = p.line("name", &input.name, MAX_NAME);
    let slug = match input.slug.trim() {
        "" => slugify(&name),
        given => given.to_string(),
    };
    if !p.has("name") {
        if let Some(problem) = slug_problem(&slug) {
            let why = match input.slug.trim().is_empty() {
                true => "cannot be made from this name: give one",
                false => problem,
            };
            p.add("slug", why);
        } else if categories::slug_taken(tx, &slug, id)? {
            p.add("slug", "is taken by another category");
        }
    }
    let description = p.markdown("description", &input.description, MAX_DESCRIPTION, false);
    p.visibility(&input.visibility);
    if let Some(parent_id) = input.parent_id {
        match categories::find(tx, parent_id)? {
            _ if id != 0 && parent_id == id => {
                p.add("parent_id", "a category cannot be its own parent")
            }
            None => p.add("parent_id", "no such category"),
            Some(parent) if parent.parent_id.is_some() => p.add(
                "parent_id",
                "must be a top-level category (categories nest one level)",
            ),
            Some(_) if id != 0 && categories::count_children(tx, id)? > 0 => p.add(
                "parent_id",
                "this category has subcategories, so it stays top-level",
            ),
            Some(_) => {}
        }
    }
    p.check()?;
    Ok((name, slug, description))
}

fn fields<'a>(
    input: &'a CategoryInput,
    checked: &'a (String, String, String),
) -> CategoryFields<'a> {
    CategoryFields {
        parent_id: input.parent_id,
        name: &checked.0,
        slug: &checked.1,
        description: &checked.2,
        sort_order: input.sort_order,
        visibility: super::fields::visibility_of(&input.visibility),
    }
}

pub fn create(
    db: &Db,
    staff: &StaffPrincipal,
    input: CategoryInput,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<Category> {
    staff.require(Scope::SupportWrite)?;
    db.write(|tx| {
        let checked = checked(tx, 0, &input)?;
        let id = categories::insert(tx, &fields(&input, &checked), &stamp(now))?;
        let details = serde_json::json!({ "name": checked.0, "slug": checked.1 });
        audit_staff(
            tx,
            staff,
            "kb.category_created",
            ("kb_category", id),
            details,
            meta,
            now,
        )?;
        categories::find(tx, id)?.ok_or(AppError::NotFound)
    })
}

pub fn update(
    db: &Db,
    staff: &StaffPrincipal,
    id: i64,
    input: CategoryInput,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<Category> {
    staff.require(Scope::SupportWrite)?;
    db.write(|tx| {
        categories::find(tx, id)?.ok_or(AppError::NotFound)?;
        let checked = checked(tx, id, &input)?;
        categories::update(tx, id, &fields(&input, &checked), &stamp(now))?;
        let details = serde_json::json!({ "name": checked.0, "slug": checked.1 });
        audit_staff(
            tx,
            staff,
            "kb.category_updated",
            ("kb_category", id),
            details,
            meta,
            now,
        )?;
        categories::find(tx, id)?.ok_or(AppError::NotFound)
    })
}

/// Delete an empty category: one with subcategories or articles is a 409.
pub fn delete(
    db: &Db,
    staff: &StaffPrincipal,
    id: i64,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<()> {
    staff.require(Scope::SupportWrite)?;
    db.write(|tx| {
        let category = categories::find(tx, id)?.ok_or(AppError::NotFound)?;
        if categories::count_children(tx, id)? > 0 {
            return Err(AppError::Conflict(
                "This category has subcategories: move or delete them first".into(),
            ));
        }
        if category.articles > 0 {
            return Err(AppError::Conflict(
                "This category has articles: move or delete them first".into(),
            ));
        }
        categories::delete(tx, id)?;
        let details = serde_json::json!({ "name": category.name, "slug": category.slug });
        audit_staff(
            tx,
            staff,
            "kb.category_deleted",
            ("kb_category", id),
            details,
            meta,
            now,
        )
    })
}
